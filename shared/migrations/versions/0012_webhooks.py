"""webhooks: signed event deliveries to a site's integrators

Revision ID: 0012_webhooks
Revises: 0011_alerts
Create Date: 2026-12-05 19:09:25

Each row is a URL that receives the events it chose, signed with its secret; deliveries are
outbox messages of kind "webhook" (ref_type "webhook", ref_id the row's id).
"""

import sqlalchemy as sa
from alembic import op

import shared.models.base

revision = "0012_webhooks"
down_revision = "0011_alerts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("include_personal_data", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", shared.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_webhook_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook")),
    )
    with op.batch_alter_table("webhook", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_site_id"), ["site_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("webhook", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_site_id"))

    op.drop_table("webhook")
