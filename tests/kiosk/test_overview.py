"""The kiosk's batched service status agrees with the one-service rules, in a fixed query count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from shared.models import Counter
from shared.queue import issue_ticket, service_status
from shared.queue.overview import service_statuses
from shared.queue.sites import default_site

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Monday 10.00 WIB


def _summary(status):
    reason = status.reason
    return (
        status.service.id,
        status.waiting,
        status.open_counters,
        round(status.minutes_per_ticket, 6),
        status.quota_left,
        status.eta_minutes,
        None if reason is None else (reason.code, reason.params),
    )


def test_batched_status_matches_service_status(session, factory):
    mall = factory.mall()
    agency = factory.agency()
    busy = factory.service(agency, avg_service_minutes=7)
    quota = factory.service(agency, daily_quota=2)
    mornings = factory.service(agency, opening_hours={"0": ["07:00", "09:00"]})
    sunday_only = factory.service(agency, opening_hours={"6": ["08:00", "12:00"]})
    no_counter = factory.service(agency)
    inactive = factory.service(agency, active=False)
    factory.counter([busy, quota, mornings, sunday_only, inactive])
    factory.counter([busy], status=Counter.CLOSED)
    for minutes in range(6):
        ticket = issue_ticket(session, busy.id, now=NOW - timedelta(minutes=60 - minutes))
        if minutes < 4:  # four served, with different durations: the live rate counts
            ticket.status = "done"
            ticket.started_at = NOW - timedelta(minutes=50 - minutes)
            ticket.finished_at = ticket.started_at + timedelta(minutes=3 + minutes)
    for _ in range(2):
        issue_ticket(session, quota.id, now=NOW)
    session.flush()
    services = [busy, quota, mornings, sunday_only, no_counter, inactive]
    batched = [_summary(s) for s in service_statuses(session, mall, services, NOW)]
    single = [_summary(service_status(session, default_site(session), s, NOW)) for s in services]
    assert batched == single
    codes = [row[-1][0] if row[-1] else None for row in batched]
    assert codes == [
        None,
        "quota_exhausted",
        "outside_hours",
        "closed_today",
        "no_counter_open",
        "service_inactive",
    ]
    assert batched[0][1] == 2 and batched[0][3] == 4.5  # two waiting; mean of 3, 4, 5, 6 minutes


def test_query_count_does_not_grow_with_services(session, factory):
    mall = factory.mall()
    services = [factory.service() for _ in range(12)]
    factory.counter(services)
    statements = []

    def count(*_args):
        statements.append(1)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        service_statuses(session, mall, services[:2], NOW)
        few = len(statements)
        statements.clear()
        service_statuses(session, mall, services, NOW)
        many = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert many == few <= 4
