"""The business day is the mall's local date: numbering restarts at local midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from shared import queue, timeutil
from shared.models import Ticket


@pytest.mark.parametrize(
    ("timezone", "midnight_utc"),
    [
        ("Asia/Jakarta", datetime(2026, 11, 23, 17, 0, tzinfo=UTC)),  # 00:00 WIB on the 24th
        ("Asia/Makassar", datetime(2026, 11, 23, 16, 0, tzinfo=UTC)),  # 00:00 WITA on the 24th
    ],
)
def test_numbering_restarts_at_local_midnight(session, factory, timezone, midnight_utc):
    factory.mall(timezone=timezone)
    service = factory.service()
    factory.counter([service])
    before = midnight_utc - timedelta(seconds=1)
    late = [queue.issue_ticket(session, service.id, now=before) for _ in range(3)]
    early = queue.issue_ticket(session, service.id, now=midnight_utc)
    assert [t.number for t in late] == [1, 2, 3]
    assert {t.business_date for t in late} == {date(2026, 11, 23)}
    assert (early.number, early.business_date) == (1, date(2026, 11, 24))
    # Yesterday's tickets are kept, not deleted, and no longer queue today.
    assert session.query(Ticket).count() == 4
    counter = service.counters[0]
    assert queue.call_next(session, counter, now=midnight_utc).id == early.id


def test_utc_midnight_is_not_a_rollover_in_jakarta(session, factory):
    factory.mall(timezone="Asia/Jakarta")
    service = factory.service()
    factory.counter([service])
    utc_midnight = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 07:00 WIB
    a = queue.issue_ticket(session, service.id, now=utc_midnight - timedelta(minutes=1))
    b = queue.issue_ticket(session, service.id, now=utc_midnight)
    assert (a.business_date, b.business_date) == (date(2026, 11, 24), date(2026, 11, 24))
    assert b.number == 2


def test_business_date_in_each_zone():
    moment = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
    assert timeutil.business_date(moment, "Asia/Jakarta") == date(2026, 11, 23)  # 22.30 WIB
    assert timeutil.business_date(moment, "Asia/Makassar") == date(2026, 11, 23)  # 23.30 WITA
    assert timeutil.business_date(moment, "Asia/Jayapura") == date(2026, 11, 24)  # 00.30 WIT
