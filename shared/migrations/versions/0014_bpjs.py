"""bpjs: a site's BPJS Antrean Online bridge, poli codes, and what each JKN visit sent

Revision ID: 0014_bpjs
Revises: 0013_gateways
Create Date: 2026-12-05 19:40:00

The bridge's secret and user key are Fernet tokens (shared/bpjs/sealing.py). Calls to BPJS are
outbox messages of kind "bpjs" keyed by the visit's kodebooking.
"""

import sqlalchemy as sa
from alembic import op

import shared.models.base

revision = "0014_bpjs"
down_revision = "0013_gateways"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bpjs_bridge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("variant", sa.String(length=8), nullable=False),
        sa.Column("cons_id", sa.String(length=40), nullable=False),
        sa.Column("secret", sa.String(length=400), nullable=False),
        sa.Column("user_key", sa.String(length=400), nullable=False),
        sa.Column("base_url", sa.String(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", shared.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_bpjs_bridge_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bpjs_bridge")),
        sa.UniqueConstraint("site_id", name=op.f("uq_bpjs_bridge_site_id")),
    )
    op.create_table(
        "bpjs_visit",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("kodebooking", sa.String(length=40), nullable=False),
        sa.Column("added", sa.Boolean(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("created_at", shared.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_bpjs_visit_site_id_site")),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_bpjs_visit_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_bpjs_visit")),
        sa.UniqueConstraint("kodebooking", name=op.f("uq_bpjs_visit_kodebooking")),
    )
    with op.batch_alter_table("bpjs_visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bpjs_visit_site_id"), ["site_id"], unique=False)
    op.create_table(
        "bpjs_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("waktu", sa.BigInteger(), nullable=False),
        sa.Column("message_uid", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_bpjs_task_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bpjs_task")),
        sa.UniqueConstraint("visit_id", "task_id", name=op.f("uq_bpjs_task_visit_id_task_id")),
    )
    with op.batch_alter_table("bpjs_task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bpjs_task_visit_id"), ["visit_id"], unique=False)
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("bpjs_code", sa.String(length=20), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_column("bpjs_code")
    with op.batch_alter_table("bpjs_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bpjs_task_visit_id"))
    op.drop_table("bpjs_task")
    with op.batch_alter_table("bpjs_visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bpjs_visit_site_id"))
    op.drop_table("bpjs_visit")
    op.drop_table("bpjs_bridge")
