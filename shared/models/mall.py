"""The mall, its agencies (instansi), their services (layanan) and counters (loket)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.models.base import Base

# Opening hours are stored as {"0": ["08:00", "15:00"], ..., "6": null}: keys are weekdays
# (Monday is 0), a null or missing day is closed.
OpeningHours = dict[str, list[str] | None]


class Mall(Base):
    __tablename__ = "mall"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(Text, default="")
    logo_image_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploaded_image.id", ondelete="SET NULL")
    )
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")
    opening_hours: Mapped[OpeningHours] = mapped_column(JSON, default=dict)
    running_text: Mapped[str] = mapped_column(Text, default="")
    ticket_footer: Mapped[str] = mapped_column(Text, default="")
    # Online booking: how far ahead, the check-in window around a slot's start, data retention.
    booking_horizon_days: Mapped[int] = mapped_column(Integer, default=7)
    checkin_early_minutes: Mapped[int] = mapped_column(Integer, default=30)
    checkin_late_minutes: Mapped[int] = mapped_column(Integer, default=15)
    booking_retention_days: Mapped[int] = mapped_column(Integer, default=30)


class Agency(Base):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    short_name: Mapped[str] = mapped_column(String(30))
    colour: Mapped[str] = mapped_column(String(7), default="#1d4ed8")
    logo_image_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploaded_image.id", ondelete="SET NULL")
    )
    display_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    services: Mapped[list[Service]] = relationship(
        back_populates="agency", order_by="Service.display_order"
    )
    counters: Mapped[list[Counter]] = relationship(
        back_populates="agency", order_by="Counter.number"
    )


class Service(Base):
    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(3), unique=True)
    daily_quota: Mapped[int | None] = mapped_column(Integer)
    opening_hours: Mapped[OpeningHours | None] = mapped_column(JSON)
    avg_service_minutes: Mapped[int] = mapped_column(Integer, default=10)
    requirements: Mapped[str] = mapped_column(Text, default="")
    procedure: Mapped[str] = mapped_column(Text, default="")
    duration: Mapped[str] = mapped_column(String(120), default="")
    cost: Mapped[str] = mapped_column(String(120), default="Gratis")
    # How many regular tickets are called between two priority tickets (0: priority first).
    priority_ratio: Mapped[int] = mapped_column(Integer, default=2)
    recall_limit: Mapped[int] = mapped_column(Integer, default=2)
    # Where a ticket transferred into this service joins the queue: "front" or "issue_time".
    transfer_placement: Mapped[str] = mapped_column(String(12), default="front")
    # Where a booked citizen who checks in joins the queue: "front" (ahead of walk-ins) or
    # "slot_time" (as if they had queued at their slot's start).
    booking_placement: Mapped[str] = mapped_column(String(12), default="front")
    display_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    agency: Mapped[Agency] = relationship(back_populates="services")
    counters: Mapped[list[Counter]] = relationship(
        secondary="counter_service", back_populates="services"
    )


counter_service = Table(
    "counter_service",
    Base.metadata,
    Column("counter_id", ForeignKey("counter.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
)


class Counter(Base):
    __tablename__ = "counter"

    OPEN, PAUSED, CLOSED = "open", "paused", "closed"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(60))
    zone: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(10), default=CLOSED)
    pause_reason: Mapped[str] = mapped_column(String(120), default="")
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # The last "call next" request answered, so that a retried request gets the same ticket.
    last_call_request: Mapped[str | None] = mapped_column(String(64))
    # SHA-256 of the token of the citizen-facing survey tablet bound to this counter (the token
    # is shown once, by ``antre tablet add``); only that tablet may submit the counter's SKM.
    tablet_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)

    agency: Mapped[Agency] = relationship(back_populates="counters")
    services: Mapped[list[Service]] = relationship(
        secondary="counter_service", back_populates="counters", order_by="Service.id"
    )
