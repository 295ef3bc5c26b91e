"""A queue's counters and what they serve are read in a fixed number of statements, however many
counters an agency has (lazy loading took one per service and one per counter): which services
each counter serves is kept by the process, so only the counters themselves are read."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, inspect

from shared import queue
from shared.db import make_engine, make_session_factory
from shared.models import Counter
from shared.queue import loading, publishing
from shared.queue.availability import minutes_per_ticket, minutes_per_ticket_of
from shared.queue.loading import counter_sets, load_around_counter
from shared.queue.sites import get_site
from tests.factories import Factory
from tests.shared.concurrency import NOON_JAKARTA
from tests.statements import counted


def _costs(session, session_factory, factory, counters: int) -> tuple[int, int]:
    """Statements of a ticket + commit and of a call + commit, each in a session of its own (as
    a request has), in an agency with ``counters`` counters serving the same three services."""
    agency = factory.agency()
    service, *others = (factory.service(agency) for _ in range(3))
    desks = [factory.counter([service, *others]) for _ in range(counters)]
    for _ in range(3):
        queue.issue_ticket(session, service.id, now=NOON_JAKARTA, check_availability=False)
    session.commit()
    with session_factory() as fresh, counted(fresh.get_bind()) as ticket:
        queue.issue_ticket(fresh, service.id, now=NOON_JAKARTA, check_availability=False)
        fresh.commit()
    with session_factory() as fresh:
        desk = fresh.get(Counter, desks[0].id)
        with counted(fresh.get_bind()) as call:
            assert queue.call_next(fresh, desk, now=NOON_JAKARTA) is not None
            fresh.commit()
    return len(ticket), len(call)


@pytest.mark.parametrize("many", [6, 10])
def test_the_statements_do_not_grow_with_the_counters(session, session_factory, factory, many):
    few = _costs(session, session_factory, factory, 2)
    assert _costs(session, session_factory, factory, many) == few


def _warm(session_factory, site_id: int) -> None:
    """What the process keeps of the site, filled as the first request after a change fills it."""
    with session_factory() as warm:
        counter_sets(warm, site_id)
        loading._kept_services(warm, site_id)


def _stamped(session_factory, site_id: int):
    """A session that has read the site's stamp, as a request reads it with its caller's row."""
    fresh = session_factory()
    get_site(fresh, site_id)
    return fresh


def test_neighbours_are_read_as_lazy_loading_reads_them(session, session_factory, factory):
    """A call places every queue sharing its counter, each with its own counters: filled from
    what the process keeps with one statement (the counters), they are the collections lazy
    loading gives, and reading them takes none."""
    agency = factory.agency()
    called, beside, further, alone = (factory.service(agency) for _ in range(4))
    factory.counter([called, beside])
    factory.counter([beside, further])  # further shares no counter with called
    factory.counter([called], status=Counter.CLOSED)
    factory.counter([alone])
    session.commit()
    with session_factory() as lazy:
        expected = {
            s.id: sorted((c.id, sorted(o.id for o in c.services)) for c in s.counters)
            for s in (lazy.get(type(called), i) for i in (called.id, beside.id, further.id))
        }
    _warm(session_factory, agency.site_id)
    with _stamped(session_factory, agency.site_id) as fresh:
        service = fresh.get(type(called), called.id)
        with counted(fresh.get_bind()) as statements:
            sharing = publishing.sharing_a_counter(fresh, [service], to_place=True)
        assert len(statements) == 1 and "\nFROM counter \n" in statements[0]
        with counted(fresh.get_bind()) as statements:
            got = {
                s.id: sorted((c.id, sorted(o.id for o in c.services)) for c in s.counters)
                for s in sharing
            }
        assert statements == []
    assert sorted(got) == [called.id, beside.id]
    assert got == {key: expected[key] for key in got}


def _sets(services) -> dict:
    return {
        s.id: sorted((c.id, sorted(o.id for o in c.services)) for c in s.counters) for s in services
    }


def test_a_calls_counter_is_read_with_what_its_commit_places(session, session_factory, factory):
    """From the calling counter, one statement (the counters) fills its services and every queue
    the commit places (those sharing a counter with them, each with its counters), as lazy
    loading gives them; the placing then reads none, whichever of its services moved."""
    agency = factory.agency()
    called, beside, further, far = (factory.service(agency) for _ in range(4))
    desk = factory.counter([called, beside])
    factory.counter([beside, further])
    factory.counter([further, far])  # far shares no counter with the desk's services
    factory.counter([called], status=Counter.CLOSED)
    session.commit()
    with session_factory() as lazy:
        found = lazy.get(Counter, desk.id)
        mine = [s.id for s in found.services]
        expected = _sets({o for s in found.services for c in s.counters for o in c.services})
    _warm(session_factory, agency.site_id)
    with _stamped(session_factory, agency.site_id) as fresh:
        counter = fresh.get(Counter, desk.id)
        with counted(fresh.get_bind()) as statements:
            load_around_counter(fresh, counter)
        assert len(statements) == 1 and "\nFROM counter \n" in statements[0]
        with counted(fresh.get_bind()) as statements:
            assert [s.id for s in counter.services] == mine
            for service in counter.services:  # the one its call took
                publishing.sharing_a_counter(fresh, [service], to_place=True)
            got = _sets(publishing.sharing_a_counter(fresh, list(counter.services), to_place=True))
        assert statements == []
    assert sorted(got) == sorted(expected) == sorted([called.id, beside.id, further.id])
    assert got == expected


def test_a_calling_counter_is_read_with_the_counters_its_call_places(
    session, session_factory, factory
):
    """The clerk's view reads the calling counter and every counter its call places in one
    statement, as lazy loading gives them; a counter of another site is left to the view."""
    agency, elsewhere = factory.agency(), factory.agency(site=factory.site())
    called, beside, further = (factory.service(agency) for _ in range(3))
    desk = factory.counter([called, beside])
    factory.counter([beside, further])
    factory.counter([called], status=Counter.CLOSED)
    theirs = factory.counter([factory.service(elsewhere)])
    session.commit()
    with session_factory() as lazy:
        found = lazy.get(Counter, desk.id)
        expected = _sets({o for s in found.services for c in s.counters for o in c.services})
    _warm(session_factory, agency.site_id)
    with _stamped(session_factory, agency.site_id) as fresh:
        with counted(fresh.get_bind()) as statements:
            counter = loading.read_counter_and_near(fresh, desk.id, agency.site_id)
            assert loading.read_counter_and_near(fresh, theirs.id, agency.site_id) is None
            assert loading.read_counter_and_near(fresh, desk.id, None) is None
        assert len(statements) == 1 and "\nFROM counter \n" in statements[0]
        with counted(fresh.get_bind()) as statements:
            load_around_counter(fresh, counter)
            got = _sets(publishing.sharing_a_counter(fresh, list(counter.services), to_place=True))
        assert statements == []
    assert got == expected


def test_a_consoles_ticket_and_counter_name_their_services_without_a_statement(
    session, session_factory, factory
):
    """A start or a finish names its ticket's service and its counter's services: filled from
    what the process keeps of the clerk's site, they are what lazy loading gives, read with
    no statement; a ticket of another site is left to lazy loading."""
    agency, elsewhere = factory.agency(), factory.agency(site=factory.site())
    mine, beside, theirs = (
        factory.service(agency),
        factory.service(agency),
        factory.service(elsewhere),
    )
    desk = factory.counter([mine, beside])
    tickets = [
        queue.issue_ticket(session, s.id, now=NOON_JAKARTA, check_availability=False)
        for s in (mine, theirs)
    ]
    session.commit()
    with session_factory() as lazy:
        expected = (
            [s.name for s in lazy.get(Counter, desk.id).services],
            lazy.get(type(tickets[0]), tickets[0].id).service.name,
        )
    _warm(session_factory, agency.site_id)
    with _stamped(session_factory, agency.site_id) as fresh:
        counter = fresh.get(Counter, desk.id)
        ticket, other = (fresh.get(type(t), t.id) for t in tickets)
        with counted(fresh.get_bind()) as statements:  # the ticket's first: nothing in the map
            loading.load_ticket_service(fresh, ticket, agency.site_id)
            loading.load_ticket_service(fresh, other, agency.site_id)
            named = ticket.service.name
            loading.load_counter_services(fresh, counter)
            got = ([s.name for s in counter.services], named)
        assert statements == []
        assert got == expected
        assert "service" not in inspect(other).dict  # not this site's: not set
        with counted(fresh.get_bind()) as statements:
            assert other.service.id == theirs.id
        assert len(statements) == 1


def _desks(counters) -> list:
    return [(c.id, c.status, [s.id for s in c.services]) for c in counters]


def test_a_new_tickets_counters_are_light_values_as_lazy_loading_gives_them(
    session, session_factory, factory
):
    """A new ticket checks and counts with its service's counters as plain values: the statuses
    in one statement a transaction (none while the session holds the counters), the services
    from what the process keeps; no Counter object is built, no service attached."""
    agency = factory.agency()
    service, beside = factory.service(agency), factory.service(agency)
    desk = factory.counter([service, beside])
    factory.counter([service], status=Counter.CLOSED)
    factory.counter([beside])  # not one of the service's
    session.commit()
    with session_factory() as lazy:
        expected = _desks(lazy.get(type(service), service.id).counters)
    _warm(session_factory, agency.site_id)
    with _stamped(session_factory, agency.site_id) as fresh:
        mine = fresh.get(type(service), service.id)
        with counted(fresh.get_bind()) as statements:
            assert _desks(loading.desks_of(fresh, mine)) == expected
            assert _desks(loading.desks_of(fresh, mine)) == expected  # read once
        assert len(statements) == 1 and "counter.status" in statements[0]
        assert not any(isinstance(o, Counter) for o in fresh.identity_map.values())
        assert all(inspect(s).detached for d in loading.desks_of(fresh, mine) for s in d.services)
        fresh.commit()
        held = fresh.get(Counter, desk.id)  # the session's own, changed: its status counts
        held.status = Counter.CLOSED
        with counted(fresh.get_bind()) as statements, fresh.no_autoflush:  # not written yet
            got = _desks(loading.desks_of(fresh, mine))
        assert got == [(desk.id, Counter.CLOSED, expected[0][2]), expected[1]]
        reads = [s for s in statements if s.startswith("SELECT counter.id, counter.status")]
        assert len(reads) == 1 and "IN (?)" in reads[0]  # a new transaction: the other again
        fresh.rollback()


def test_the_live_rates_of_several_services_are_each_ones_own(session, factory):
    """One statement for the rates of a call's queues gives what each service's own gives."""
    agency = factory.agency()
    busy, quick, unserved = (
        factory.service(agency, avg_service_minutes=minutes) for minutes in (7, 4, 9)
    )
    factory.counter([busy, quick, unserved])
    for service, served in ((busy, 14), (quick, 2)):  # quick: too few for a live rate
        for n in range(served):
            ticket = queue.issue_ticket(
                session, service.id, now=NOON_JAKARTA, check_availability=False
            )
            ticket.status = "done"
            ticket.started_at = NOON_JAKARTA + timedelta(minutes=10 * n)
            ticket.finished_at = ticket.started_at + timedelta(minutes=1 + n % 5)
    session.flush()
    day = ticket.business_date
    services = [busy, quick, unserved]
    with counted(session.get_bind()) as statements:
        together = minutes_per_ticket_of(session, services, day)
    assert len(statements) == 1
    alone = {s.id: minutes_per_ticket(session, s, day) for s in services}
    assert together == alone
    # The last ten of busy's fourteen (n = 4 … 13: 1 + n % 5 minutes), then the configured means.
    assert alone == {busy.id: 3.0, quick.id: 4.0, unserved.id: 9.0}


def test_the_live_rate_reads_the_last_services_without_sorting_the_days(session, factory):
    """Late in a busy day a queue has hundreds of finished tickets: the rate's statement reads
    them newest first along an index and stops after a few, instead of sorting them all (on
    SQLite, a temporary B-tree in the plan)."""
    agency = factory.agency()
    services = [factory.service(agency) for _ in range(2)]
    factory.counter(services)
    for n in range(40):
        ticket = queue.issue_ticket(
            session, services[n % 2].id, now=NOON_JAKARTA, check_availability=False
        )
        ticket.status = "done"
        ticket.started_at = NOON_JAKARTA + timedelta(minutes=n)
        ticket.finished_at = ticket.started_at + timedelta(minutes=3)
    session.flush()
    for wanted in ([services[0]], services):  # one queue, and a call's several
        with statement_plans(session) as plans:
            minutes_per_ticket_of(session, wanted, ticket.business_date)
        (plan,) = plans
        assert "ix_ticket_finished" in plan
        assert "TEMP B-TREE" not in plan


@contextmanager
def statement_plans(session):
    """Yields SQLite's query plan of each statement the session runs inside the block."""
    connection = session.connection()
    seen: list[tuple[str, object]] = []

    def note(_conn, _cursor, statement, parameters, *_rest) -> None:
        seen.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", note)
    plans: list[str] = []
    try:
        yield plans
    finally:
        event.remove(connection, "before_cursor_execute", note)
    for statement, parameters in seen:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        plans.append("\n".join(row[-1] for row in rows))


def test_a_counter_removed_while_a_request_runs_is_left_out(pg_url):
    """On PostgreSQL each statement reads what is committed when it runs: a counter removed
    after a request read the site's stamp (so it still uses the kept sets that name the counter)
    is left out of the collections, not a failed request."""
    engine = make_engine(pg_url)
    factory_of = make_session_factory(engine)
    try:
        with factory_of() as setup:
            make = Factory(setup)
            agency = make.agency()
            service = make.service(agency)
            kept, removed = make.counter([service]), make.counter([service])
            setup.commit()
            ids = (agency.site_id, service.id, kept.id, removed.id)
        site_id, service_id, kept_id, removed_id = ids
        _warm(factory_of, site_id)
        with _stamped(factory_of, site_id) as request:  # the stamp from before the removal
            with factory_of() as other:
                other.delete(other.get(Counter, removed_id))
                other.commit()
            found = request.get(type(service), service_id)
            publishing.sharing_a_counter(request, [found], to_place=True)
            assert [c.id for c in found.counters] == [kept_id]
        with factory_of() as fresh:  # the next request: a new stamp, the sets read again
            found = fresh.get(type(service), service_id)
            publishing.sharing_a_counter(fresh, [found], to_place=True)
            assert [c.id for c in found.counters] == [kept_id]
    finally:
        engine.dispose()
