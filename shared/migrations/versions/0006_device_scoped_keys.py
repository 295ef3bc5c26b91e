"""device-scoped keys: the counter's survey tablet token

Revision ID: 0006_device_scoped_keys
Revises: 0003_reports
Create Date: 2026-11-29 20:30:00

Idempotency keys became device-scoped without a schema change (the stored key is a SHA-256 of
kiosk, client and key, still 64 characters); this adds the token of the counter's survey tablet.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_device_scoped_keys"
down_revision = "0005_uploaded_images"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("counter", sa.Column("tablet_token_hash", sa.String(length=64), nullable=True))
    op.create_index(
        op.f("ix_counter_tablet_token_hash"), "counter", ["tablet_token_hash"], unique=True
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_counter_tablet_token_hash"), table_name="counter")
    op.drop_column("counter", "tablet_token_hash")
