"""alerts: a visit's request to be told by WhatsApp, SMS or push; each service's "N lagi"

Revision ID: 0011_alerts
Revises: 0010_outbox
Create Date: 2026-12-05 19:15:00
"""

import sqlalchemy as sa
from alembic import op

import shared.models.base

revision = "0011_alerts"
down_revision = "0010_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("push_endpoint", sa.Text(), nullable=True),
        sa.Column("push_keys", sa.JSON(), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("near_sent_ticket_id", sa.Integer(), nullable=True),
        sa.Column("created_at", shared.models.base.UTCDateTime(), nullable=False),
        sa.Column("erase_after", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_alert_subscription_site_id_site")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_alert_subscription_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_subscription")),
        sa.UniqueConstraint(
            "visit_id", "channel", name=op.f("uq_alert_subscription_visit_id_channel")
        ),
    )
    with op.batch_alter_table("alert_subscription", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alert_subscription_erase_after"), ["erase_after"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_alert_subscription_site_id"), ["site_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_alert_subscription_visit_id"), ["visit_id"], unique=False
        )

    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("alert_lead", sa.Integer(), server_default="3", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_column("alert_lead")

    with op.batch_alter_table("alert_subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_subscription_visit_id"))
        batch_op.drop_index(batch_op.f("ix_alert_subscription_site_id"))
        batch_op.drop_index(batch_op.f("ix_alert_subscription_erase_after"))

    op.drop_table("alert_subscription")
