"""Every report figure against the seeded day (tests/reports/seeded_day.py), by construction."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from shared import queue, skm
from shared.db import begin_reading
from shared.reports import Scope, make_period, refresh_rollups, skm_report, ticket_report
from shared.reports.refresher import refresh_in_steps
from tests.reports.seeded_day import DAY, at, seed_day


@pytest.fixture
def day(session, factory):
    seeded = seed_day(session, factory)
    refresh_rollups(session)  # what the background job does after the day
    session.commit()
    return seeded


def report(session, scope=Scope("mall"), kind="day"):
    return ticket_report(session, make_period(kind, DAY), scope)


def test_mall_counts(session, day):
    r = report(session)
    assert r.counts == {
        "issued": 7,
        "arrived": 6,
        "served": 3,
        "no_show": 1,
        "cancelled": 1,
        "transferred": 1,
    }


def test_mall_waiting_and_service_times(session, day):
    r = report(session)
    # waits 5, 10, 15, 5, 11 minutes; service 10, 20, 8, 12 minutes
    assert (r.wait.count, r.wait.mean_seconds) == (5, 46 * 60 / 5)
    assert (r.wait.median_minutes, r.wait.p90_minutes) == (10, 15)
    assert (r.service.count, r.service.mean_seconds) == (4, 12.5 * 60)
    assert (r.service.median_minutes, r.service.p90_minutes) == (10, 20)
    assert (r.within_standard, r.within_standard_share) == (2, 0.5)


def test_mall_arrivals_heatmap_and_sources(session, day):
    r = report(session)
    assert r.heatmap == {(0, 8): 3, (0, 9): 2, (0, 10): 1}  # the transfer is no arrival
    assert r.sources == {"kiosk": 4, "booking": 2, "counter": 0}
    assert r.per_day == [(DAY, 7, 3)]


def test_service_scope(session, day):
    r = report(session, Scope("service", day.s1.id))
    assert r.counts["issued"] == 5 and r.counts["served"] == 2
    assert (r.counts["no_show"], r.counts["cancelled"], r.counts["transferred"]) == (1, 1, 1)
    assert (r.wait.count, r.wait.mean_seconds) == (4, 35 * 60 / 4)
    assert (r.wait.median_minutes, r.wait.p90_minutes) == (5, 15)
    assert (r.service.mean_seconds, r.service.median_minutes) == (38 * 60 / 3, 10)
    assert r.within_standard == 2 and r.within_standard_share == pytest.approx(2 / 3)
    s2 = report(session, Scope("service", day.s2.id))
    assert s2.counts["issued"] == 2 and s2.counts["arrived"] == 1
    assert s2.within_standard == 0  # 12 minutes against the fallback standard of 10


def test_counter_and_clerk_scopes(session, day):
    c1 = report(session, Scope("counter", day.c1.id))
    assert c1.counts["issued"] == 4  # T1, T2, T3, T5 reached counter 1; T4 never did
    assert c1.counts["served"] == 2 and c1.counts["no_show"] == 1
    c2 = report(session, Scope("counter", day.c2.id))
    assert c2.counts == {
        "issued": 1,
        "arrived": 0,
        "served": 1,
        "no_show": 0,
        "cancelled": 0,
        "transferred": 0,
    }
    k2 = report(session, Scope("clerk", day.k2.id))
    assert (k2.service.mean_seconds, k2.wait.mean_seconds) == (12 * 60, 11 * 60)
    agency = report(session, Scope("agency", day.s1.agency_id))
    assert agency.counts["issued"] == 7


def test_week_and_month_hold_the_day_and_other_days_do_not(session, day):
    assert report(session, kind="week").counts["issued"] == 7
    assert report(session, kind="month").counts["served"] == 3
    other = ticket_report(session, make_period("day", DAY + timedelta(days=1)), Scope("mall"))
    assert other.counts["issued"] == 0 and other.wait.mean_seconds is None


def test_skm_of_the_day(session, day):
    r = skm_report(session, make_period("day", DAY), Scope("mall"))
    assert r.result.respondents == 4
    assert r.result.skm_rounded() == Decimal("90.51") and r.result.band.grade == "A"
    assert r.distribution["u8"] == {1: 0, 2: 0, 3: 2, 4: 1}
    printed = skm_report(session, make_period("day", DAY), Scope("mall"), skm.PRINTED)
    assert printed.result.skm_rounded() == Decimal("89.60")
    only_t6 = skm_report(session, make_period("day", DAY), Scope("service", day.s2.id))
    assert only_t6.result.respondents == 1 and only_t6.result.nrr["u8"] is None
    clerk = skm_report(session, make_period("day", DAY), Scope("clerk", day.k1.id))
    assert clerk.result.respondents == 3


def test_later_log_entries_update_the_day(session, day, session_factory):
    assert report(session).counts["served"] == 3
    t7 = day.tickets["T7"]
    queue.call_next(session, day.c2, day.k2, now=at("10:10"))
    queue.start_ticket(session, t7, day.k2, now=at("10:11"))
    queue.finish_ticket(session, t7, day.k2, now=at("10:20"))
    session.commit()
    with session_factory() as reader:
        begin_reading(reader)  # as a report page reads
        assert report(reader).counts["served"] == 3  # a report only reads
    refresh_in_steps(session_factory)  # the background job's next round, a day at a time
    with session_factory() as fresh:
        r = report(fresh)
    assert r.counts["served"] == 4
    assert (r.wait.count, r.wait.mean_seconds) == (6, 56 * 60 / 6)
