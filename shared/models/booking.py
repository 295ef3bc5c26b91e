"""Online booking (antrian online): slot templates, holidays, bookings and slot usage."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.enums import BookingStatus, check_constraints
from shared.models.base import Base, UTCDateTime, utcnow
from shared.models.site import Service
from shared.models.tickets import Ticket


class SlotTemplate(Base):
    """A recurring slot: service, weekday (Monday 0), start and end ("08:00"), capacity."""

    __tablename__ = "slot_template"
    __table_args__ = (UniqueConstraint("service_id", "weekday", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)
    start: Mapped[str] = mapped_column(String(5))
    end: Mapped[str] = mapped_column(String(5))
    capacity: Mapped[int] = mapped_column(Integer, default=10)

    service: Mapped[Service] = relationship()


class Holiday(Base):
    """A tanggal merah: no bookings that day; at one site, or (no site) at every site."""

    __tablename__ = "holiday"
    __table_args__ = (UniqueConstraint("site_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    name: Mapped[str] = mapped_column(String(120))


class SlotUsage(Base):
    """How many bookings a slot holds: advanced by one atomic upsert, checked against capacity."""

    __tablename__ = "slot_usage"

    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    start: Mapped[str] = mapped_column(String(5), primary_key=True)
    booked: Mapped[int] = mapped_column(Integer, default=0)


class Booking(Base):
    __tablename__ = "booking"
    __table_args__ = tuple(check_constraints("booking"))

    BOOKED, CHECKED_IN, CANCELLED = BookingStatus

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    start: Mapped[str] = mapped_column(String(5))
    end: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(12), default=BOOKED)
    # Minimal personal data, optional, purged after the retention period. Never a NIK.
    name: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    # A poli booking holds a place in a doctor's session (its quota for ``payer``: jkn / umum).
    doctor_session_id: Mapped[int | None] = mapped_column(ForeignKey("doctor_session.id"))
    payer: Mapped[str | None] = mapped_column(String(8))

    service: Mapped[Service] = relationship()
    ticket: Mapped[Ticket | None] = relationship()
