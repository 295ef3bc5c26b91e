"""Visits, tickets, the append-only ticket log, and the counters behind numbering and events."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.enums import PrintState, TicketSource, TicketStatus, check_constraints
from shared.models.base import Base, UTCDateTime, origin_index, utcnow, when_set
from shared.models.health import DoctorSession, Pathway
from shared.models.people import PriorityGroup, StaffUser
from shared.models.site import Counter, Service


class Visit(Base):
    """One citizen's trip through the mall: after a transfer the tickets share the visit."""

    __tablename__ = "visit"
    __table_args__ = (origin_index("visit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "<site slug>:<tag>:<id>" of a row imported from an offline site (shared/site_sync).
    origin: Mapped[str | None] = mapped_column(String(80))
    # A visit along a pathway (shared/queue/pathways.py): which, who pays ("jkn"/"umum"), the
    # services chosen ahead for later steps ({"<step position>": service id}), the doctor's
    # session it holds a place in and its number there, and the prescription ("racikan"/
    # "non_racikan"/"none") once the poli has decided.
    pathway_id: Mapped[int | None] = mapped_column(ForeignKey("pathway.id"))
    payer: Mapped[str | None] = mapped_column(String(8))
    plan: Mapped[dict | None] = mapped_column(JSON)
    doctor_session_id: Mapped[int | None] = mapped_column(ForeignKey("doctor_session.id"))
    session_number: Mapped[int | None] = mapped_column(Integer)
    prescription: Mapped[str | None] = mapped_column(String(12))

    pathway: Mapped[Pathway | None] = relationship()
    doctor_session: Mapped[DoctorSession | None] = relationship()
    tickets: Mapped[list[Ticket]] = relationship(back_populates="visit", order_by="Ticket.id")


class Ticket(Base):
    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("service_id", "business_date", "number"),
        # Call order read in SQL (shared/queue/ordering.py): a range scan that stops at the head.
        Index(
            "ix_ticket_call_order",
            "service_id",
            "business_date",
            "status",
            "priority",
            "boost",
            "queued_at",
            "id",
        ),
        # Today's calls of a service, newest first (the priority streak, the phones' call count).
        # Partial, as the next two: a waiting ticket is in none of them (shared/models/base.py).
        Index(
            "ix_ticket_calls", "service_id", "business_date", "called_at", **when_set("called_at")
        ),
        # Today's services of a queue, last finished first (the live rate): read newest first
        # along it, the statement stops after a few rows instead of sorting the day's.
        Index(
            "ix_ticket_finished",
            "service_id",
            "business_date",
            "finished_at",
            **when_set("finished_at"),
        ),
        Index("ix_ticket_counter_status", "counter_id", "status", **when_set("counter_id")),
        origin_index("ticket"),
        *check_constraints("ticket"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    business_date: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(Integer)
    display_number: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(24), unique=True)
    priority: Mapped[str] = mapped_column(String(20), default="none")
    source: Mapped[str] = mapped_column(String(10), default=TicketSource.KIOSK)
    status: Mapped[str] = mapped_column(String(12), default=TicketStatus.WAITING)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    print_state: Mapped[str] = mapped_column(String(10), default=PrintState.NONE)
    print_error: Mapped[str] = mapped_column(String(200), default="")
    # Queue order within a priority class: (boost, queued_at); boost 0 goes before 1.
    boost: Mapped[int] = mapped_column(Integer, default=1)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # shared.queue.taking.device_key: the kiosk's key scoped to the kiosk (and demo client).
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    transferred_from_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    origin: Mapped[str | None] = mapped_column(String(80))
    # The pathway step this ticket queues at (its position), and for a poli step the doctor's
    # session whose queue it is in.
    step: Mapped[int | None] = mapped_column(Integer)
    doctor_session_id: Mapped[int | None] = mapped_column(ForeignKey("doctor_session.id"))

    visit: Mapped[Visit] = relationship(back_populates="tickets")
    service: Mapped[Service] = relationship()
    counter: Mapped[Counter | None] = relationship()
    clerk: Mapped[StaffUser | None] = relationship()
    transferred_from: Mapped[Ticket | None] = relationship(remote_side="Ticket.id")
    doctor_session: Mapped[DoctorSession | None] = relationship()
    # "none" (the regular queue) has no row: no foreign key, a read-only join by code.
    priority_group: Mapped[PriorityGroup | None] = relationship(
        primaryjoin="foreign(Ticket.priority) == PriorityGroup.code", viewonly=True
    )


class TicketLog(Base):
    """Append-only: every change of a ticket, the source for reports and audits."""

    __tablename__ = "ticket_log"
    __table_args__ = (*check_constraints("ticket_log"), origin_index("ticket_log"))

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str | None] = mapped_column(String(80))

    # Set instead of ticket_id by a change logged before its ticket's first flush, so that the
    # ticket and its first line go in together.
    ticket: Mapped[Ticket] = relationship()


class TicketSequence(Base):
    """The last number given per service per business day, advanced by one atomic upsert."""

    __tablename__ = "ticket_sequence"

    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class EventStream(Base):
    """The last sequence number per Socket.IO room, so clients can see that they missed one."""

    __tablename__ = "event_stream"
    # Keyed by its name alone, stored in that key's own b-tree on SQLite (no rowid table beside
    # it): each commit's upsert of its rooms writes one b-tree instead of two.
    __table_args__ = {"sqlite_with_rowid": False}

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class AuditLog(Base):
    """Admin changes and sensitive clerk actions (call a specific ticket, transfer, cancel)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
