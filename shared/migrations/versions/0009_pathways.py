"""pathways: visit steps, doctors and their sessions, patient identity, waiting targets

Revision ID: 0009_pathways
Revises: 0008_site_sync
Create Date: 2026-12-05 19:15:00

A hospital or puskesmas visit goes through steps (registration, poli, pharmacy, cashier), each a
queue; a poli's queue is per doctor session with its JKN and non-JKN quotas. Existing visits and
tickets get no pathway: they behave exactly as before.
"""

import sqlalchemy as sa
from alembic import op

import shared.models.base

revision = "0009_pathways"
down_revision = "0008_site_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pathway",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_pathway_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pathway")),
        sa.UniqueConstraint("site_id", "name", name=op.f("uq_pathway_site_id_name")),
    )
    with op.batch_alter_table("pathway", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pathway_site_id"), ["site_id"], unique=False)

    op.create_table(
        "pathway_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pathway_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("payer", sa.String(length=8), nullable=True),
        sa.Column("optional", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pathway_id"],
            ["pathway.id"],
            name=op.f("fk_pathway_step_pathway_id_pathway"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pathway_step")),
        sa.UniqueConstraint(
            "pathway_id", "position", name=op.f("uq_pathway_step_pathway_id_position")
        ),
    )
    op.create_table(
        "doctor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("bpjs_code", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_doctor_service_id_service")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_doctor_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_doctor")),
    )
    with op.batch_alter_table("doctor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_doctor_service_id"), ["service_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_doctor_site_id"), ["site_id"], unique=False)

    op.create_table(
        "pathway_step_service",
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_pathway_step_service_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["step_id"],
            ["pathway_step.id"],
            name=op.f("fk_pathway_step_service_step_id_pathway_step"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("step_id", "service_id", name=op.f("pk_pathway_step_service")),
    )
    op.create_table(
        "doctor_leave",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["doctor.id"],
            name=op.f("fk_doctor_leave_doctor_id_doctor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_doctor_leave")),
        sa.UniqueConstraint("doctor_id", "day", name=op.f("uq_doctor_leave_doctor_id_day")),
    )
    op.create_table(
        "doctor_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start", sa.String(length=5), nullable=False),
        sa.Column("end", sa.String(length=5), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("quota_jkn", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["doctor.id"],
            name=op.f("fk_doctor_schedule_doctor_id_doctor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_doctor_schedule")),
        sa.UniqueConstraint(
            "doctor_id", "weekday", "start", name=op.f("uq_doctor_schedule_doctor_id_weekday_start")
        ),
    )
    op.create_table(
        "doctor_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start", sa.String(length=5), nullable=False),
        sa.Column("end", sa.String(length=5), nullable=False),
        sa.Column("quota_jkn", sa.Integer(), nullable=False),
        sa.Column("quota_nonjkn", sa.Integer(), nullable=False),
        sa.Column("taken_jkn", sa.Integer(), nullable=False),
        sa.Column("taken_nonjkn", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["doctor_id"], ["doctor.id"], name=op.f("fk_doctor_session_doctor_id_doctor")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_doctor_session_service_id_service")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_doctor_session")),
        sa.UniqueConstraint(
            "doctor_id", "day", "start", name=op.f("uq_doctor_session_doctor_id_day_start")
        ),
    )
    with op.batch_alter_table("doctor_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_doctor_session_day"), ["day"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_doctor_session_doctor_id"), ["doctor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_doctor_session_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "patient_identity",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("card_number", sa.String(length=13), nullable=True),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("medical_record", sa.String(length=20), nullable=True),
        sa.Column("recorded_at", shared.models.base.UTCDateTime(), nullable=False),
        sa.Column("erase_after", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_patient_identity_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_patient_identity")),
    )
    with op.batch_alter_table("patient_identity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patient_identity_erase_after"), ["erase_after"], unique=False
        )

    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.add_column(sa.Column("doctor_session_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("payer", sa.String(length=8), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_booking_doctor_session_id_doctor_session"),
            "doctor_session",
            ["doctor_session_id"],
            ["id"],
        )

    with op.batch_alter_table("counter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("doctor_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_counter_doctor_id_doctor"),
            "doctor",
            ["doctor_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payer", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("wait_target_minutes", sa.Integer(), nullable=True))

    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("step", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("doctor_session_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_ticket_doctor_session_id_doctor_session"),
            "doctor_session",
            ["doctor_session_id"],
            ["id"],
        )

    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pathway_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("payer", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("plan", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("doctor_session_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("session_number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prescription", sa.String(length=12), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_visit_pathway_id_pathway"), "pathway", ["pathway_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_visit_doctor_session_id_doctor_session"),
            "doctor_session",
            ["doctor_session_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_booking_doctor_session_id_doctor_session"), type_="foreignkey"
        )
        batch_op.drop_column("payer")
        batch_op.drop_column("doctor_session_id")

    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_visit_doctor_session_id_doctor_session"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_visit_pathway_id_pathway"), type_="foreignkey")
        batch_op.drop_column("prescription")
        batch_op.drop_column("session_number")
        batch_op.drop_column("doctor_session_id")
        batch_op.drop_column("plan")
        batch_op.drop_column("payer")
        batch_op.drop_column("pathway_id")

    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_ticket_doctor_session_id_doctor_session"), type_="foreignkey"
        )
        batch_op.drop_column("doctor_session_id")
        batch_op.drop_column("step")

    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_column("wait_target_minutes")
        batch_op.drop_column("payer")

    with op.batch_alter_table("counter", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_counter_doctor_id_doctor"), type_="foreignkey")
        batch_op.drop_column("doctor_id")

    with op.batch_alter_table("patient_identity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_identity_erase_after"))

    op.drop_table("patient_identity")
    with op.batch_alter_table("doctor_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_doctor_session_service_id"))
        batch_op.drop_index(batch_op.f("ix_doctor_session_doctor_id"))
        batch_op.drop_index(batch_op.f("ix_doctor_session_day"))

    op.drop_table("doctor_session")
    op.drop_table("doctor_schedule")
    op.drop_table("doctor_leave")
    op.drop_table("pathway_step_service")
    with op.batch_alter_table("doctor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_doctor_site_id"))
        batch_op.drop_index(batch_op.f("ix_doctor_service_id"))

    op.drop_table("doctor")
    op.drop_table("pathway_step")
    with op.batch_alter_table("pathway", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pathway_site_id"))

    op.drop_table("pathway")
