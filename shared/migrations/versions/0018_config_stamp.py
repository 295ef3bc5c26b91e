"""config_stamp: each site's configuration stamp, for the per-process cache

Revision ID: 0018_config_stamp
Revises: 0017_call_order
Create Date: 2026-12-06 04:10:00

Every change of a site's configuration replaces its stamp; what a process keeps of the site is
used only while the stamp matches (shared/config_cache.py). Each existing site gets a random one:
two databases never share a stamp for different settings.
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0018_config_stamp"
down_revision = "0017_call_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("config_stamp", sa.String(length=32), server_default="", nullable=False)
        )
    site = sa.table("site", sa.column("id", sa.Integer), sa.column("config_stamp", sa.String))
    bind = op.get_bind()
    for (site_id,) in bind.execute(sa.select(site.c.id)).all():
        bind.execute(
            site.update().where(site.c.id == site_id).values(config_stamp=uuid.uuid4().hex)
        )


def downgrade() -> None:
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.drop_column("config_stamp")
