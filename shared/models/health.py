"""Visit pathways, doctors and their sessions, and the identity a hospital keeps for a visit.

A pathway is data: an ordered list of steps, each a queue of one or more services (registration
JKN or umum, a poli, pharmacy racikan or non racikan, the cashier). Nothing here knows what a
hospital is; a site of any kind may have pathways (docs/architecture.md, "Pathways").
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.models.base import Base, UTCDateTime, utcnow
from shared.models.site import Service

# What a step is for, so that reports and bridges (BPJS task ids, SATUSEHAT) can name it without
# knowing the site: registration, poli, pharmacy, cashier, other.
STAGES = ("registration", "poli", "pharmacy", "cashier", "other")
PAYERS = ("jkn", "umum")

pathway_step_service = Table(
    "pathway_step_service",
    Base.metadata,
    Column("step_id", ForeignKey("pathway_step.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
)


class Pathway(Base):
    __tablename__ = "pathway"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    steps: Mapped[list[PathwayStep]] = relationship(
        back_populates="pathway", order_by="PathwayStep.position", cascade="all, delete-orphan"
    )


class PathwayStep(Base):
    """One step: its services (the queue is one of them), for whom, and whether it may be skipped.

    ``payer`` limits the step to JKN or umum visits (the cashier is for umum); ``optional`` steps
    are taken unless the clerk of the step before skips them (no prescription, no pharmacy).
    """

    __tablename__ = "pathway_step"
    __table_args__ = (UniqueConstraint("pathway_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathway.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(80))
    stage: Mapped[str] = mapped_column(String(20), default="other")
    payer: Mapped[str | None] = mapped_column(String(8))
    optional: Mapped[bool] = mapped_column(Boolean, default=False)

    pathway: Mapped[Pathway] = relationship(back_populates="steps")
    services: Mapped[list[Service]] = relationship(
        secondary=pathway_step_service, order_by="Service.display_order, Service.id"
    )


class Doctor(Base):
    """A doctor practising at one poli (a service), with a BPJS code where the site reports."""

    __tablename__ = "doctor"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    bpjs_code: Mapped[str] = mapped_column(String(20), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    service: Mapped[Service] = relationship()
    schedules: Mapped[list[DoctorSchedule]] = relationship(
        back_populates="doctor",
        order_by="DoctorSchedule.weekday, DoctorSchedule.start",
        cascade="all, delete-orphan",
    )
    leaves: Mapped[list[DoctorLeave]] = relationship(
        back_populates="doctor", order_by="DoctorLeave.day", cascade="all, delete-orphan"
    )


class DoctorSchedule(Base):
    """Weekly practice hours (Monday 0) and each session's capacity, split JKN / non-JKN."""

    __tablename__ = "doctor_schedule"
    __table_args__ = (UniqueConstraint("doctor_id", "weekday", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctor.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)
    start: Mapped[str] = mapped_column(String(5))
    end: Mapped[str] = mapped_column(String(5))
    capacity: Mapped[int] = mapped_column(Integer, default=30)
    quota_jkn: Mapped[int] = mapped_column(Integer, default=24)

    doctor: Mapped[Doctor] = relationship(back_populates="schedules")


class DoctorLeave(Base):
    __tablename__ = "doctor_leave"
    __table_args__ = (UniqueConstraint("doctor_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctor.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(120), default="")

    doctor: Mapped[Doctor] = relationship(back_populates="leaves")


class DoctorSession(Base):
    """One day's session of a doctor: made from the schedule on first use, then its own row.

    The places taken and the last number given are advanced by one conditional UPDATE, so two
    kiosks racing for the last JKN place cannot both get it.
    """

    __tablename__ = "doctor_session"
    __table_args__ = (UniqueConstraint("doctor_id", "day", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctor.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    start: Mapped[str] = mapped_column(String(5))
    end: Mapped[str] = mapped_column(String(5))
    quota_jkn: Mapped[int] = mapped_column(Integer)
    quota_nonjkn: Mapped[int] = mapped_column(Integer)
    taken_jkn: Mapped[int] = mapped_column(Integer, default=0)
    taken_nonjkn: Mapped[int] = mapped_column(Integer, default=0)
    last_number: Mapped[int] = mapped_column(Integer, default=0)

    doctor: Mapped[Doctor] = relationship()
    service: Mapped[Service] = relationship()

    @property
    def quota_jkn_left(self) -> int:
        return max(0, self.quota_jkn - self.taken_jkn)

    @property
    def quota_nonjkn_left(self) -> int:
        return max(0, self.quota_nonjkn - self.taken_nonjkn)

    @property
    def label(self) -> str:
        return f"{self.start}–{self.end}"


class PatientIdentity(Base):
    """What a hospital needs to know of a visit's patient; kept apart so no payload can carry it.

    Never serialised into an event, a public page, a log line or a webhook; erased by the daily
    purge once ``erase_after`` has passed (shared/health/identity.py).
    """

    __tablename__ = "patient_identity"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), primary_key=True)
    card_number: Mapped[str | None] = mapped_column(String(13))
    nik: Mapped[str | None] = mapped_column(String(16))
    medical_record: Mapped[str | None] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    erase_after: Mapped[date] = mapped_column(Date, index=True)
