"""Sites (an MPP, a hospital, a puskesmas, a mobile unit), their agencies (instansi, or a
hospital's units), the agencies' services (layanan, poli) and counters (loket, ruang).

Every place-bound row has one owner: agencies, kiosks and TVs carry ``site_id``; services and
counters carry a copy of their agency's (set from the agency on every insert and update, below)
so that a site's prefixes and counter numbers can be unique per site and a site's queues
filtered in one column. Tickets follow their service."""

from __future__ import annotations

import uuid

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.enums import (
    BookingPlacement,
    CounterStatus,
    SiteKind,
    TransferPlacement,
    check_constraints,
)
from shared.models.base import Base

# Opening hours are stored as {"0": ["08:00", "15:00"], ..., "6": null}: keys are weekdays
# (Monday is 0), a null or missing day is closed.
OpeningHours = dict[str, list[str] | None]


class Site(Base):
    """A place where citizens queue, with its own clock, hours, words and settings."""

    __tablename__ = "site"
    __table_args__ = tuple(check_constraints("site"))

    MPP, HOSPITAL, PUSKESMAS, MOBILE = SiteKind
    KINDS = SiteKind.values()

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(12), default=MPP)
    address: Mapped[str] = mapped_column(Text, default="")
    logo_image_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploaded_image.id", ondelete="SET NULL")
    )
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")
    opening_hours: Mapped[OpeningHours] = mapped_column(JSON, default=dict)
    running_text: Mapped[str] = mapped_column(Text, default="")
    ticket_footer: Mapped[str] = mapped_column(Text, default="")
    # The language a kiosk, TV or ticket page of this site starts in ("id" or "en").
    default_language: Mapped[str] = mapped_column(String(5), default="id")
    # Priority group codes this site offers (empty: every active group of the installation).
    priority_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # SKM weighting of this site's reports: "exact" or "permenpan" (see shared/skm.py).
    skm_weight: Mapped[str] = mapped_column(String(12), default="exact")
    # Online booking: how far ahead, the check-in window around a slot's start, data retention.
    booking_horizon_days: Mapped[int] = mapped_column(Integer, default=7)
    checkin_early_minutes: Mapped[int] = mapped_column(Integer, default=30)
    checkin_late_minutes: Mapped[int] = mapped_column(Integer, default=15)
    booking_retention_days: Mapped[int] = mapped_column(Integer, default=30)
    # Public key (hex, Ed25519) of an offline site's own machine: its exports must be signed by it.
    sync_public_key: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Replaced by every change of the site's configuration: what each process keeps of it is
    # used only while this matches (shared/config_cache.py).
    config_stamp: Mapped[str] = mapped_column(
        String(32), default=lambda: uuid.uuid4().hex, server_default=""
    )

    agencies: Mapped[list[Agency]] = relationship(
        back_populates="site", order_by="Agency.display_order"
    )


class Agency(Base):
    __tablename__ = "agency"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    short_name: Mapped[str] = mapped_column(String(30))
    colour: Mapped[str] = mapped_column(String(7), default="#1d4ed8")
    logo_image_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploaded_image.id", ondelete="SET NULL")
    )
    display_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    site: Mapped[Site] = relationship(back_populates="agencies")
    services: Mapped[list[Service]] = relationship(
        back_populates="agency", order_by="Service.display_order"
    )
    counters: Mapped[list[Counter]] = relationship(
        back_populates="agency", order_by="Counter.number"
    )


class Service(Base):
    __tablename__ = "service"
    __table_args__ = (
        UniqueConstraint("site_id", "code"),
        UniqueConstraint("site_id", "prefix"),
        *check_constraints("service"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(3))
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
    transfer_placement: Mapped[str] = mapped_column(String(12), default=TransferPlacement.FRONT)
    # Where a booked citizen who checks in joins the queue: "front" (ahead of walk-ins) or
    # "slot_time" (as if they had queued at their slot's start).
    booking_placement: Mapped[str] = mapped_column(String(12), default=BookingPlacement.FRONT)
    display_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Who this queue is for on a pathway ("jkn", "umum"; none: everyone), and the waiting target
    # in minutes (none: no target), e.g. the hospital minimum standard's 60 for a poli.
    payer: Mapped[str | None] = mapped_column(String(8))
    # The poli's BPJS code (kodepoli, e.g. "INT") where the site reports to BPJS.
    bpjs_code: Mapped[str] = mapped_column(String(20), default="", server_default="")
    wait_target_minutes: Mapped[int | None] = mapped_column(Integer)
    # A citizen who asked for alerts is told when this many people are still ahead ("3 lagi").
    alert_lead: Mapped[int] = mapped_column(Integer, default=3, server_default="3")

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

    __table_args__ = (UniqueConstraint("site_id", "number"), *check_constraints("counter"))

    OPEN, PAUSED, CLOSED = CounterStatus

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
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
    # A consulting room's doctor: its "call next" takes that doctor's session queue.
    doctor_id: Mapped[int | None] = mapped_column(ForeignKey("doctor.id", ondelete="SET NULL"))

    agency: Mapped[Agency] = relationship(back_populates="counters")
    services: Mapped[list[Service]] = relationship(
        secondary="counter_service", back_populates="counters", order_by="Service.id"
    )


def _copy_agency_site(_mapper, connection, target) -> None:
    """A service's or counter's site is its agency's, whatever the caller set."""
    attrs = inspect(target).attrs
    if target.id is not None and not (
        attrs.agency_id.history.has_changes() or attrs.site_id.history.has_changes()
    ):
        return  # an update of something else (a counter's every call): nothing to copy
    if target.agency_id is not None:
        target.site_id = connection.execute(
            select(Agency.site_id).where(Agency.id == target.agency_id)
        ).scalar_one()


for _owned in (Service, Counter):
    event.listen(_owned, "before_insert", _copy_agency_site)
    event.listen(_owned, "before_update", _copy_agency_site)
