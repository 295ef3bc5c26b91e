"""Into the central database: check everything first, then import in chunks the caller commits.

Idempotent: every row carries its origin (unique); a row already here is skipped, so importing a
file twice changes nothing and re-running an interrupted import continues where it stopped.
Numbers stay as printed: a number the central site already gave that day to another ticket of
the same service refuses the whole file before anything is written (NumberClash), and the
central ticket_sequence of each imported day is raised past the imported numbers so central
numbering never repeats one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import Counter, Service, Site, Ticket
from shared.queue.sites import site_by_slug
from shared.site_sync import signing
from shared.site_sync.chunk import Chunk, Places, existing, import_chunk
from shared.site_sync.errors import (
    DANGLING,
    NOT_THE_FORMAT,
    OTHER_SITE,
    TWICE,
    MalformedFile,
    MissingPlaces,
    NoKeyRegistered,
    NumberClash,
    OriginClash,
    UnknownSite,
)
from shared.site_sync.payload import Payload

CHUNK_VISITS = 200  # visits (with their tickets, log rows and answers) per committed chunk
KINDS = ("visits", "tickets", "logs", "surveys")


@dataclass
class Counts:
    imported: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    updated: int = 0  # tickets brought up to date by newer log rows
    chunks: int = 0

    def as_json(self) -> dict:
        return {"imported": self.imported, "skipped": self.skipped, "updated": self.updated}


def read_document(session: Session, data: bytes, slug: str | None = None) -> tuple[Site, Payload]:
    """The site and payload of a sync file signed by the site's registered key."""
    header, body = signing.unpack(data)
    if slug is not None and header["site"] != slug:
        raise MalformedFile(OTHER_SITE, header["site"][:40])
    site = site_by_slug(session, header["site"])
    if site is None:
        raise UnknownSite(site=header["site"][:40])
    if not site.sync_public_key:
        raise NoKeyRegistered(site=site.slug)
    signing.verify(header, body, site.sync_public_key, site.slug)
    try:
        payload = Payload.model_validate_json(body)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise MalformedFile(NOT_THE_FORMAT, f"{where}: {first['msg']}"[:200]) from None
    if payload.site != site.slug:
        raise MalformedFile(OTHER_SITE, payload.site[:40])
    _check_references(payload)
    return site, payload


def _check_references(payload: Payload) -> None:
    """Every row's ticket and visit is in the file, and nothing is in it twice."""
    visits = {v.origin for v in payload.visits}
    tickets = {t.origin for t in payload.tickets}
    numbers = {(t.service, t.business_date, t.number) for t in payload.tickets}
    unique = (
        (visits, payload.visits),
        (tickets, payload.tickets),
        (numbers, payload.tickets),
        ({t.code for t in payload.tickets}, payload.tickets),
        ({e.origin for e in payload.logs}, payload.logs),
        ({s.origin for s in payload.surveys}, payload.surveys),
        ({s.ticket for s in payload.surveys}, payload.surveys),
    )
    if any(len(distinct) < len(rows) for distinct, rows in unique):
        raise MalformedFile(TWICE)
    for row in (*payload.logs, *payload.surveys):
        if row.ticket not in tickets:
            raise MalformedFile(DANGLING, row.ticket)
    for ticket in payload.tickets:
        if ticket.visit not in visits or (
            ticket.transferred_from and ticket.transferred_from not in tickets
        ):
            raise MalformedFile(DANGLING, ticket.origin)


def _places(session: Session, site: Site, payload: Payload) -> Places:
    services = {
        s.code: s
        for s in session.execute(select(Service).where(Service.site_id == site.id)).scalars()
    }
    counters = dict(
        session.execute(select(Counter.number, Counter.id).where(Counter.site_id == site.id)).all()
    )
    codes = {t.service for t in payload.tickets} - services.keys()
    used = {row.counter for row in (*payload.tickets, *payload.logs, *payload.surveys)}
    numbers = used - {None} - counters.keys()
    if codes or numbers:
        raise MissingPlaces(
            site=site.slug,
            services=", ".join(sorted(codes)) or "-",
            counters=", ".join(str(n) for n in sorted(numbers)) or "-",
        )
    return Places(services=services, counters=counters)


def _check_clashes(session: Session, places: Places, payload: Payload) -> None:
    """Refuse, before writing anything, tickets whose number or code is taken here already."""
    known = existing(session, Ticket, [t.origin for t in payload.tickets], Ticket.code)
    changed = [t.display_number for t in payload.tickets if known.get(t.origin, t.code) != t.code]
    if changed:
        raise OriginClash(numbers=", ".join(changed[:20]))
    new = [t for t in payload.tickets if t.origin not in known]
    if not new:
        return
    service_ids = {places.services[t.service].id for t in new}
    days = {t.business_date for t in new}
    taken = set(
        session.execute(
            select(Ticket.service_id, Ticket.business_date, Ticket.number).where(
                Ticket.service_id.in_(service_ids), Ticket.business_date.in_(days)
            )
        ).all()
    )
    clashes = [
        f"{t.display_number} ({t.business_date.isoformat()})"
        for t in new
        if (places.services[t.service].id, t.business_date, t.number) in taken
    ]
    codes = existing(session, Ticket, [t.code for t in new], Ticket.code, by=Ticket.code)
    clashes += [t.display_number for t in new if t.code in codes]
    if clashes:
        raise NumberClash(numbers=", ".join(clashes[:20]))


def chunks_of(payload: Payload, size: int) -> Iterator[Chunk]:
    """Whole visits per chunk (a transfer's tickets share a visit, so they travel together)."""
    tickets: dict[str, list] = {}
    for ticket in payload.tickets:
        tickets.setdefault(ticket.visit, []).append(ticket)
    logs: dict[str, list] = {}
    for entry in payload.logs:
        logs.setdefault(entry.ticket, []).append(entry)
    surveys = {answer.ticket: answer for answer in payload.surveys}
    for start in range(0, len(payload.visits), size):
        visits = payload.visits[start : start + size]
        own = [t for v in visits for t in tickets.get(v.origin, [])]
        yield Chunk(
            visits=visits,
            tickets=own,
            logs=[e for t in own for e in logs.get(t.origin, [])],
            surveys=[surveys[t.origin] for t in own if t.origin in surveys],
        )


def import_chunks(
    session: Session, data: bytes, slug: str | None = None, size: int = CHUNK_VISITS
) -> Iterator[Counts]:
    """Check the file, then import it chunk by chunk; the caller commits after each one.

    Nothing is written before every check passed (signature, places, clashes), so a refused
    file leaves the database as it was; a chunk is whole or absent after a crash.
    """
    site, payload = read_document(session, data, slug)
    places = _places(session, site, payload)
    _check_clashes(session, places, payload)
    counts = Counts()
    for chunk in chunks_of(payload, size):
        import_chunk(session, places, chunk, counts)
        counts.chunks += 1
        yield counts
    if not payload.visits:
        yield counts


def import_file(session: Session, data: bytes, slug: str | None = None) -> Counts:
    """The whole file, committing after each chunk (the CLI and the HTTP push).

    The one place that commits more than once: a chunk committed is a chunk a re-run skips.
    """
    counts = Counts()
    for done in import_chunks(session, data, slug):
        session.commit()
        counts = done
    return counts
