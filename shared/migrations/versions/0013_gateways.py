"""gateways: a site's HTTP gateway for WhatsApp and SMS alerts

Revision ID: 0013_gateways
Revises: 0012_webhooks
Create Date: 2026-12-05 19:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_gateways"
down_revision = "0012_webhooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notify_gateway",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("channels", sa.String(length=10), nullable=False),
        sa.Column("preset", sa.String(length=20), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("body_format", sa.String(length=4), nullable=False),
        sa.Column("body_template", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_notify_gateway_site_id_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_gateway")),
    )
    with op.batch_alter_table("notify_gateway", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notify_gateway_site_id"), ["site_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notify_gateway", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notify_gateway_site_id"))
    op.drop_table("notify_gateway")
