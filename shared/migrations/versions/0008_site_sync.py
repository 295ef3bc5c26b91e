"""site sync: the origin of rows imported from an offline site

Revision ID: 0008_site_sync
Revises: 0007_sites
Create Date: 2026-12-05 17:00:00

A site running on its own machine sends its days to the central installation (shared/site_sync).
Every imported visit, ticket, log row and survey answer keeps where it came from
("<site slug>:<tag>:<id>"), unique, so that importing the same file again skips it. Rows made
here have none.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_site_sync"
down_revision = "0007_sites"
branch_labels = None
depends_on = None

TABLES = ("visit", "ticket", "ticket_log", "survey_response")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("origin", sa.String(length=80), nullable=True))
        op.create_index(op.f(f"ix_{table}_origin"), table, ["origin"], unique=True)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_origin"), table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("origin")
