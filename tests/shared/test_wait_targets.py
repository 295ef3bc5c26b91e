"""Waiting targets: the standard's defaults, amber and red on the dashboard, the share within
target per step and day in the reports (explicit times throughout)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared import queue
from shared.db import make_engine, make_session_factory
from shared.models import Counter
from shared.queue.dashboard import agency_overview, mall_totals
from shared.queue.targets import (
    AMBER,
    OK,
    RED,
    apply_default_targets,
    wait_state,
    within_target,
)
from shared.reports import Scope, make_period, refresh_rollups, step_target_report
from tests.factories import Factory
from tests.hospital import build_hospital

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Monday 10:00 WIB
DAY = NOW.date()


@pytest.fixture
def rs(factory):
    return build_hospital(factory)


def test_defaults_follow_the_standard_by_stage_and_keep_what_the_admin_set(session, rs):
    for service in (rs.reg_jkn, rs.poli, rs.non_racikan, rs.racikan, rs.cashier):
        service.wait_target_minutes = None
    rs.reg_umum.wait_target_minutes = 10  # set by the admin: kept
    changed = apply_default_targets(rs.pathway)
    assert set(changed) == {rs.poli, rs.non_racikan, rs.racikan}
    assert rs.poli.wait_target_minutes == 60
    # The pharmacy step's last service takes racikan prescriptions (pathways.next_step).
    assert (rs.non_racikan.wait_target_minutes, rs.racikan.wait_target_minutes) == (30, 60)
    assert rs.reg_jkn.wait_target_minutes is None and rs.cashier.wait_target_minutes is None
    assert rs.reg_umum.wait_target_minutes == 10


@pytest.mark.parametrize(
    "minutes,target,state",
    [
        (0, 60, OK),
        (47, 60, OK),
        (48, 60, AMBER),  # 80 % of 60
        (59, 60, AMBER),
        (60, 60, RED),
        (61, 60, RED),
        (23, 30, OK),
        (24, 30, AMBER),
        (30, 30, RED),
        (500, None, None),  # no target: no state
    ],
)
def test_amber_from_80_percent_and_red_once_the_target_is_reached(minutes, target, state):
    assert wait_state(minutes, target) == state


def test_within_target_counts_whole_minutes_below_the_target():
    assert within_target(59 * 60 + 59, 60)
    assert not within_target(60 * 60, 60)


def _to_poli(session, rs, at):
    """A umum visit registered (served at once) at ``at``: its poli ticket queues at ``at``."""
    ticket = queue.issue_ticket(session, rs.reg_umum.id, check_availability=False, now=at)
    counter = _counter_of(session, rs.reg_umum)
    called = queue.call_next(session, counter, now=at)
    assert called.id == ticket.id
    queue.start_ticket(session, called, now=at)
    queue.finish_ticket(session, called, now=at)
    return max(called.visit.tickets, key=lambda t: t.id)


def _counter_of(session, service):
    return session.query(Counter).filter(Counter.services.contains(service)).first()


def test_dashboard_turns_amber_then_red_and_counts_tickets_past_their_target(session, factory):
    _check_dashboard(session, factory)


def _check_dashboard(session, factory):
    rs = build_hospital(factory)
    for minutes_ago in (61, 50, 5):
        poli_ticket = _to_poli(session, rs, NOW - timedelta(minutes=minutes_ago))
        assert poli_ticket.service_id == rs.poli.id
    overview = agency_overview(session, rs.poli.agency, DAY, NOW)
    (poli,) = overview["services"]
    assert (poli["waiting"], poli["longest_wait_minutes"]) == (3, 61)
    assert (poli["wait_target_minutes"], poli["wait_state"], poli["past_target"]) == (60, RED, 1)
    assert overview["totals"]["past_target"] == 1

    # 50 minutes later than the oldest: the poli's queue is now amber (48 ≥ 80 % of 60).
    queue.call_next(session, _counter_of(session, rs.poli), now=NOW)
    later = agency_overview(session, rs.poli.agency, DAY, NOW - timedelta(minutes=2))
    (poli,) = later["services"]
    assert (poli["longest_wait_minutes"], poli["wait_state"], poli["past_target"]) == (48, AMBER, 0)

    # At an MPP: the same figures for a service with a target; none without one.
    mpp = factory.agency("Dukcapil")
    ktp = factory.service(mpp, wait_target_minutes=15)
    kk = factory.service(mpp)
    factory.counter([ktp, kk])
    for service, minutes_ago in ((ktp, 16), (ktp, 3), (kk, 90)):
        at = NOW - timedelta(minutes=minutes_ago)
        queue.issue_ticket(session, service.id, check_availability=False, now=at)
    rows = {r["id"]: r for r in agency_overview(session, mpp, DAY, NOW)["services"]}
    assert (rows[ktp.id]["wait_state"], rows[ktp.id]["past_target"]) == (RED, 1)
    assert (rows[kk.id]["wait_state"], rows[kk.id]["past_target"]) == (None, 0)
    assert mall_totals([overview, agency_overview(session, mpp, DAY, NOW)])["past_target"] == 2


def test_report_gives_the_share_within_target_and_the_mean_wait_per_step_and_day(session, factory):
    _check_report(session, factory)


@pytest.mark.slow
@pytest.mark.postgres
def test_dashboard_and_report_on_postgresql(pg_url):
    engine = make_engine(pg_url)
    with make_session_factory(engine)() as session:
        factory = Factory(session)
        _check_dashboard(session, factory)
        _check_report(session, factory)
        session.rollback()
    engine.dispose()


def _check_report(session, factory):
    rs = build_hospital(factory)
    start = NOW - timedelta(hours=2)
    # Poli waits of 30, 59, 60 and 75 minutes: two within the 60-minute target.
    queued = [_to_poli(session, rs, start + timedelta(minutes=i)) for i in range(4)]
    poli_counter = _counter_of(session, rs.poli)
    for i, waited in enumerate((30, 59, 60, 75)):
        at = start + timedelta(minutes=i + waited)
        called = queue.call_next(session, poli_counter, now=at)
        assert called.id == queued[i].id
        queue.start_ticket(session, called, now=at)
        queue.finish_ticket(session, called, now=at, prescription="none")
    session.flush()
    refresh_rollups(session, now=NOW)

    rows = step_target_report(session, make_period("day", DAY), Scope("mall", rs.site.id))
    by_service = {r.service_id: r for r in rows}
    poli = by_service[rs.poli.id]
    assert (poli.day, poli.step, poli.target_minutes) == (DAY, "Poli", 60)
    assert (poli.waited, poli.within_target) == (4, 2)
    assert poli.within_target_share == pytest.approx(0.5)
    assert poli.mean_wait_seconds == pytest.approx((30 + 59 + 60 + 75) * 60 / 4)
    registration = by_service[rs.reg_umum.id]
    assert registration.step == "Pendaftaran" and registration.waited == 4
    assert registration.target_minutes is None and registration.within_target_share is None
    # Rows follow the pathway: registration before the poli.
    assert [r.service_id for r in rows].index(rs.reg_umum.id) < [r.service_id for r in rows].index(
        rs.poli.id
    )
