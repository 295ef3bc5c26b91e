"""One chunk of an import: whole visits with their tickets, log rows and survey answers.

Rows already here (by origin) are skipped. A ticket that gains log rows it did not have takes
the file's state (status, counter, times): the file was exported later than the one imported
before, and the log is append-only, so a later file knows more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from shared.models import (
    ReportState,
    Service,
    SurveyResponse,
    Ticket,
    TicketLog,
    TicketSequence,
    Visit,
)
from shared.reports.rollup import STATE
from shared.site_sync.payload import LogRow, SurveyRow, TicketRow, VisitRow

IN_BATCH = 500  # values per IN (...) list: far below SQLite's limit on bound parameters
SCORES = tuple(f"u{i}" for i in range(1, 10))
REFRESHED = ("status", "recall_count", "boost", "queued_at", "called_at", "started_at")


@dataclass
class Places:
    services: dict[str, Service]  # by code
    counters: dict[int, int]  # counter id by number


@dataclass
class Chunk:
    visits: list[VisitRow]
    tickets: list[TicketRow]
    logs: list[LogRow]
    surveys: list[SurveyRow]


def existing(session: Session, model, keys: Iterable, value, by=None) -> dict:
    """{key: value} of the rows of ``model`` whose ``by`` (default: origin) is one of ``keys``."""
    column = by if by is not None else model.origin
    keys = list(keys)
    found: dict = {}
    for start in range(0, len(keys), IN_BATCH):
        batch = keys[start : start + IN_BATCH]
        found.update(session.execute(select(column, value).where(column.in_(batch))).all())
    return found


def raise_sequence(session: Session, service_id: int, day, number: int) -> None:
    """Central numbering of that day continues after ``number`` (never lowered)."""
    dialect = session.get_bind().dialect.name
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
    table = TicketSequence.__table__
    stmt = insert(table).values(service_id=service_id, business_date=day, last_number=number)
    higher, current = stmt.excluded.last_number, table.c.last_number
    stmt = stmt.on_conflict_do_update(
        index_elements=["service_id", "business_date"],
        set_={"last_number": case((current < higher, higher), else_=current)},
    )
    session.execute(stmt)


def _visits(session: Session, chunk: Chunk, counts) -> dict[str, int]:
    ids = existing(session, Visit, [v.origin for v in chunk.visits], Visit.id)
    counts.skipped["visits"] += len(ids)
    new = {
        v.origin: Visit(business_date=v.business_date, created_at=v.created_at, origin=v.origin)
        for v in chunk.visits
        if v.origin not in ids
    }
    session.add_all(new.values())
    session.flush()
    counts.imported["visits"] += len(new)
    return ids | {origin: visit.id for origin, visit in new.items()}


def _tickets(session: Session, places: Places, chunk: Chunk, visits: dict, counts):
    """Insert new tickets; the ids of all the chunk's tickets, and of those here before."""
    ids = existing(session, Ticket, [t.origin for t in chunk.tickets], Ticket.id)
    counts.skipped["tickets"] += len(ids)
    known = dict(ids)
    for row in chunk.tickets:  # in id order: a transfer's first ticket is here already
        if row.origin in ids:
            continue
        ticket = Ticket(
            visit_id=visits[row.visit],
            service_id=places.services[row.service].id,
            business_date=row.business_date,
            number=row.number,
            display_number=row.display_number,
            code=row.code,
            priority=row.priority,
            source=row.source,
            counter_id=places.counters.get(row.counter),
            print_state="none",  # printed offline; nothing to print here
            transferred_from_id=known.get(row.transferred_from),
            origin=row.origin,
            issued_at=row.issued_at,
            finished_at=row.finished_at,
            **{name: getattr(row, name) for name in REFRESHED},
        )
        session.add(ticket)
        session.flush()
        known[row.origin] = ticket.id
        counts.imported["tickets"] += 1
    return known, ids


def _logs(session: Session, places: Places, chunk: Chunk, tickets: dict, counts) -> set[str]:
    """Insert new log rows; the origins of the tickets that gained some."""
    ids = existing(session, TicketLog, [e.origin for e in chunk.logs], TicketLog.id)
    counts.skipped["logs"] += len(ids)
    grown = set()
    for row in chunk.logs:
        if row.origin in ids:
            continue
        session.add(
            TicketLog(
                ticket_id=tickets[row.ticket],
                at=row.at,
                action=row.action,
                from_status=row.from_status,
                to_status=row.to_status,
                counter_id=places.counters.get(row.counter),
                origin=row.origin,
            )
        )
        grown.add(row.ticket)
        counts.imported["logs"] += 1
    return grown


def _refresh(session: Session, places: Places, chunk: Chunk, before: dict, grown, counts):
    for row in chunk.tickets:
        if row.origin in grown and row.origin in before:
            ticket = session.get(Ticket, before[row.origin])
            for name in (*REFRESHED, "finished_at"):
                setattr(ticket, name, getattr(row, name))
            ticket.counter_id = places.counters.get(row.counter)
            counts.updated += 1


def _surveys(session: Session, places: Places, chunk: Chunk, tickets: dict, counts) -> None:
    ids = existing(session, SurveyResponse, [s.origin for s in chunk.surveys], SurveyResponse.id)
    rated = existing(
        session,
        SurveyResponse,
        [tickets[s.ticket] for s in chunk.surveys],
        SurveyResponse.id,
        by=SurveyResponse.ticket_id,
    )
    rows = {t.origin: t for t in chunk.tickets}
    for answer in chunk.surveys:
        if answer.origin in ids or tickets[answer.ticket] in rated:
            counts.skipped["surveys"] += 1
            continue
        ticket = rows[answer.ticket]
        service = places.services[ticket.service]
        fields = answer.model_dump(exclude={"origin", "ticket", "counter"})
        session.add(
            SurveyResponse(
                ticket_id=tickets[answer.ticket],
                service_id=service.id,
                agency_id=service.agency_id,
                counter_id=places.counters.get(answer.counter),
                business_date=ticket.business_date,
                origin=answer.origin,
                **fields,
            )
        )
        counts.imported["surveys"] += 1


def import_chunk(session: Session, places: Places, chunk: Chunk, counts) -> None:
    """Add what is new in ``chunk``; flushes, never commits."""
    # Hold the roll-ups' state row: no report refresh reads the newest log id while these rows
    # are uncommitted (on PostgreSQL it would step past them and miss the imported days).
    session.execute(select(ReportState).where(ReportState.name == STATE).with_for_update())
    visits = _visits(session, chunk, counts)
    tickets, before = _tickets(session, places, chunk, visits, counts)
    grown = _logs(session, places, chunk, tickets, counts)
    _refresh(session, places, chunk, before, grown, counts)
    _surveys(session, places, chunk, tickets, counts)
    highest: dict[tuple, int] = {}
    for row in chunk.tickets:
        key = (places.services[row.service].id, row.business_date)
        highest[key] = max(highest.get(key, 0), row.number)
    for (service_id, day), number in highest.items():
        raise_sequence(session, service_id, day, number)
    session.flush()
