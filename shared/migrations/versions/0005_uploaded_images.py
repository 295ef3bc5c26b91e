"""uploaded images: logos by upload, kept in the database; the free-text logo_path goes

Revision ID: 0005_uploaded_images
Revises: 0003_reports
Create Date: 2026-11-29 20:30:00

An old ``logo_path`` (a path an admin typed, the hole this closes) is dropped, not imported:
the admin uploads the logo again on the mall's and the agency's page.
"""

import sqlalchemy as sa
from alembic import op

import shared.models.base

revision = "0005_uploaded_images"
down_revision = "0004_session_revocation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "uploaded_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", shared.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploaded_image")),
    )
    # On SQLite the batch rebuilds mall and agency (copy, drop, rename); env.py turns foreign
    # keys off for that, since services, counters and staff reference agency.
    for table in ("mall", "agency"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("logo_image_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_logo_image_id_uploaded_image"),
                "uploaded_image",
                ["logo_image_id"],
                ["id"],
                ondelete="SET NULL",
            )
            batch_op.drop_column("logo_path")


def downgrade() -> None:
    for table in ("agency", "mall"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("logo_path", sa.String(length=255), nullable=True))
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_logo_image_id_uploaded_image"), type_="foreignkey"
            )
            batch_op.drop_column("logo_image_id")
    op.drop_table("uploaded_image")
