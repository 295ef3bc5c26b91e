"""call_order: read a queue's head in SQL instead of sorting every waiting ticket

Revision ID: 0017_call_order
Revises: 0016_status_checks
Create Date: 2026-12-05 22:00:00

ix_ticket_call_order extends ix_ticket_queue (same leading columns) with the call order, so it
replaces it; ix_ticket_calls serves the priority streak and the phones' count of calls.
"""

from alembic import op

revision = "0017_call_order"
down_revision = "0016_status_checks"
branch_labels = None
depends_on = None

CALL_ORDER = ["service_id", "business_date", "status", "priority", "boost", "queued_at", "id"]


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_call_order", CALL_ORDER, unique=False)
        batch_op.create_index(
            "ix_ticket_calls", ["service_id", "business_date", "called_at"], unique=False
        )
        batch_op.drop_index("ix_ticket_queue")


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ticket_queue", ["service_id", "business_date", "status"], unique=False
        )
        batch_op.drop_index("ix_ticket_calls")
        batch_op.drop_index("ix_ticket_call_order")
