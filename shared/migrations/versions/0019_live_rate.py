"""live_rate: read a queue's last services along an index instead of sorting the day's

Revision ID: 0019_live_rate
Revises: 0018_config_stamp
Create Date: 2026-12-06 16:20:00

The live rate (shared/queue/availability.py) takes a service's last ten finished tickets of the
day. Along ix_ticket_call_order it read every finished ticket of the day and sorted them, so every
call cost more as the day went on; ix_ticket_finished gives them newest first.
"""

from alembic import op

revision = "0019_live_rate"
down_revision = "0018_config_stamp"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ticket_finished", ["service_id", "business_date", "finished_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_finished")
