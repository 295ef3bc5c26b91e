"""The status of many services at once (kiosk home, service lists) in a fixed number of queries.

``service_status`` answers for one service with five or six queries; a kiosk listing fifteen
services would run ninety. Here each figure is one grouped query for all services, and the rules
are the same as ``availability.unavailability`` (the tests compare the two on every case).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.models import Counter, Service, Site, Ticket, TicketSequence, counter_service
from shared.queue.availability import SAMPLE, ServiceStatus, rate_from_samples, unavailability
from shared.queue.numbering import quota_left
from shared.queue.states import DONE, WAITING


def _grouped_counts(session: Session, stmt) -> dict[int, int]:
    return {service_id: count for service_id, count in session.execute(stmt)}


def _recent_minutes(session: Session, ids: list[int], day) -> dict[int, list[float]]:
    """The last SAMPLE service durations of each service today (a window function, one query)."""
    ranked = (
        select(
            Ticket.service_id,
            Ticket.started_at,
            Ticket.finished_at,
            func.row_number()
            .over(partition_by=Ticket.service_id, order_by=Ticket.finished_at.desc())
            .label("rank"),
        )
        .where(
            Ticket.service_id.in_(ids),
            Ticket.business_date == day,
            Ticket.status.in_((DONE, "transferred")),
            Ticket.started_at.is_not(None),
            Ticket.finished_at.is_not(None),
        )
        .subquery()
    )
    stmt = select(ranked.c.service_id, ranked.c.started_at, ranked.c.finished_at).where(
        ranked.c.rank <= SAMPLE
    )
    spans: dict[int, list[float]] = defaultdict(list)
    for service_id, start, end in session.execute(stmt):
        spans[service_id].append((end - start).total_seconds() / 60)
    return spans


def service_statuses(
    session: Session, mall: Site, services: Sequence[Service], now: datetime
) -> list[ServiceStatus]:
    """``service_status`` for each of ``services``, in the same order, in four queries."""
    ids = [s.id for s in services]
    if not ids:
        return []
    day = timeutil.business_date(now, mall.timezone)
    waiting = _grouped_counts(
        session,
        select(Ticket.service_id, func.count())
        .where(Ticket.service_id.in_(ids), Ticket.business_date == day, Ticket.status == WAITING)
        .group_by(Ticket.service_id),
    )
    counters = _grouped_counts(
        session,
        select(counter_service.c.service_id, func.count())
        .join(Counter, Counter.id == counter_service.c.counter_id)
        .where(counter_service.c.service_id.in_(ids), Counter.status == Counter.OPEN)
        .group_by(counter_service.c.service_id),
    )
    given = _grouped_counts(
        session,
        select(TicketSequence.service_id, TicketSequence.last_number).where(
            TicketSequence.service_id.in_(ids), TicketSequence.business_date == day
        ),
    )
    spans = _recent_minutes(session, ids, day)
    statuses = []
    for service in services:
        left = quota_left(service, given.get(service.id, 0))
        open_counters = counters.get(service.id, 0)
        statuses.append(
            ServiceStatus(
                service=service,
                waiting=waiting.get(service.id, 0),
                open_counters=open_counters,
                minutes_per_ticket=rate_from_samples(service, spans.get(service.id, [])),
                quota_left=left,
                reason=unavailability(
                    session,
                    mall,
                    service,
                    now,
                    day,
                    given=given.get(service.id, 0),
                    open_counters=open_counters,
                ),
            )
        )
    return statuses
