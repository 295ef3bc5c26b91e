"""One site's days out of the offline database, as the payload that ``signing.pack`` signs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.models import Counter, Service, Site, SurveyResponse, Ticket, TicketLog, Visit
from shared.site_sync.payload import VERSION

SCORES = tuple(f"u{i}" for i in range(1, 10))


def _iso(moment) -> str | None:
    return None if moment is None else moment.isoformat()


def _of_site(stmt, site: Site, first: date | None, last: date | None):
    """``stmt`` (which joins Ticket) narrowed to the site's tickets of the days asked for; joins,
    not IN lists, so that a year of tickets stays one query on SQLite too."""
    stmt = stmt.join(Service, Service.id == Ticket.service_id).where(Service.site_id == site.id)
    if first is not None:
        stmt = stmt.where(Ticket.business_date >= first)
    if last is not None:
        stmt = stmt.where(Ticket.business_date <= last)
    return stmt


def days_with_tickets(session: Session, site: Site, first: date | None = None) -> list[date]:
    """The business days on which the site gave tickets (``push`` sends one file per day)."""
    stmt = (
        select(Ticket.business_date)
        .join(Service, Service.id == Ticket.service_id)
        .where(Service.site_id == site.id)
        .distinct()
        .order_by(Ticket.business_date)
    )
    if first is not None:
        stmt = stmt.where(Ticket.business_date >= first)
    return list(session.execute(stmt).scalars())


def export_site(
    session: Session, site: Site, tag: str, first: date | None = None, last: date | None = None
) -> dict:
    """The site's visits, tickets, log rows and survey answers from ``first`` to ``last``."""

    def origin(row) -> str:
        # A row imported here earlier keeps its first origin; our own get "<slug>:<tag>:<id>".
        return row.origin or f"{site.slug}:{tag}:{row.id}"

    scope = (site, first, last)
    rows = session.execute(_of_site(select(Ticket, Service.code), *scope).order_by(Ticket.id)).all()
    tickets = {ticket.id: ticket for ticket, _ in rows}
    visit_ids = select(Ticket.visit_id)
    visits = (
        session.execute(
            select(Visit).where(Visit.id.in_(_of_site(visit_ids, *scope))).order_by(Visit.id)
        )
        .scalars()
        .all()
    )
    visit_origins = {visit.id: origin(visit) for visit in visits}
    counters = dict(session.execute(select(Counter.id, Counter.number)).all())
    logs = session.execute(
        _of_site(select(TicketLog).join(Ticket, Ticket.id == TicketLog.ticket_id), *scope).order_by(
            TicketLog.id
        )
    ).scalars()
    surveys = session.execute(
        _of_site(
            select(SurveyResponse).join(Ticket, Ticket.id == SurveyResponse.ticket_id), *scope
        ).order_by(SurveyResponse.id)
    ).scalars()
    origins = {ticket_id: origin(ticket) for ticket_id, ticket in tickets.items()}
    return {
        "version": VERSION,
        "site": site.slug,
        "exported_at": timeutil.now_utc().isoformat(),
        "first_day": first.isoformat() if first else None,
        "last_day": last.isoformat() if last else None,
        "visits": [
            {
                "origin": visit_origins[v.id],
                "business_date": v.business_date.isoformat(),
                "created_at": _iso(v.created_at),
            }
            for v in visits
        ],
        "tickets": [  # ordered by id: a transfer's first ticket comes before the second
            {
                "origin": origin(t),
                "visit": visit_origins[t.visit_id],
                "service": code,
                "business_date": t.business_date.isoformat(),
                "number": t.number,
                "display_number": t.display_number,
                "code": t.code,
                "priority": t.priority,
                "source": t.source,
                "status": t.status,
                "counter": counters.get(t.counter_id),
                "recall_count": t.recall_count,
                "boost": t.boost,
                "transferred_from": origins.get(t.transferred_from_id),
                **{
                    k: _iso(getattr(t, k))
                    for k in ("queued_at", "issued_at", "called_at", "started_at", "finished_at")
                },
            }
            for t, code in rows
        ],
        "logs": [
            {
                "origin": origin(e),
                "ticket": origins[e.ticket_id],
                "at": _iso(e.at),
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "counter": counters.get(e.counter_id),
            }
            for e in logs
        ],
        "surveys": [
            {
                "origin": origin(s),
                "ticket": origins[s.ticket_id],
                "counter": counters.get(s.counter_id),
                "submitted_at": _iso(s.submitted_at),
                "channel": s.channel,
                **{k: getattr(s, k) for k in SCORES},
                "age": s.age,
                "sex": s.sex,
                "education": s.education,
                "occupation": s.occupation,
                "suggestion": s.suggestion,
            }
            for s in surveys
        ],
    }
