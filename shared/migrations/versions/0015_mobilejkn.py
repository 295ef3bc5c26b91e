"""mobilejkn: the Mobile JKN web service's credentials, new patients and booking fields

Revision ID: 0015_mobilejkn
Revises: 0014_bpjs
Create Date: 2026-12-05 19:40:00

Personal data (card number, NIK, medical-record number) is kept apart from the booking and erased
by the daily purge after the site's booking retention.
"""

import sqlalchemy as sa
from alembic import op

import shared.models.base

revision = "0015_mobilejkn"
down_revision = "0014_bpjs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jkn_credential",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("updated_at", shared.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_jkn_credential_site_id_site")
        ),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_jkn_credential")),
    )
    op.create_table(
        "jkn_patient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("card_number", sa.String(length=13), nullable=True),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("medical_record", sa.String(length=20), nullable=False),
        sa.Column("created_at", shared.models.base.UTCDateTime(), nullable=False),
        sa.Column("erase_after", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_jkn_patient_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jkn_patient")),
        sa.UniqueConstraint(
            "site_id", "card_number", name=op.f("uq_jkn_patient_site_id_card_number")
        ),
    )
    with op.batch_alter_table("jkn_patient", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jkn_patient_site_id"), ["site_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_jkn_patient_erase_after"), ["erase_after"], unique=False
        )
    op.create_table(
        "jkn_booking",
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("card_number", sa.String(length=13), nullable=True),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("medical_record", sa.String(length=20), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("new_patient", sa.Boolean(), nullable=False),
        sa.Column("visit_kind", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("erase_after", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["booking.id"], name=op.f("fk_jkn_booking_booking_id_booking")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_jkn_booking_site_id_site")),
        sa.PrimaryKeyConstraint("booking_id", name=op.f("pk_jkn_booking")),
    )
    with op.batch_alter_table("jkn_booking", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jkn_booking_site_id"), ["site_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_jkn_booking_day"), ["day"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_jkn_booking_card_number"), ["card_number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_jkn_booking_erase_after"), ["erase_after"], unique=False
        )


def downgrade() -> None:
    op.drop_table("jkn_booking")
    op.drop_table("jkn_patient")
    op.drop_table("jkn_credential")
