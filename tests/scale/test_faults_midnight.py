"""Local midnight passing while the mall is open, in a real server process whose clock is moved
by libfaketime (LD_PRELOAD): the mall's clock runs on by itself across its own midnight.

The fake clock is an offset read from a file (FAKETIME_TIMESTAMP_FILE, re-read every second):
the server starts ten minutes before the mall's midnight, tickets are taken, then the offset
moves the clock to a few seconds before midnight and the real seconds carry it over. The
monotonic clock is left alone (FAKETIME_DONT_FAKE_MONOTONIC) so that gevent's timers are not
disturbed by the jump. Each zone rolls over at its own midnight (WIB: 17.00 UTC, WITA: 16.00)."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from shared import timeutil
from tests.scale.mall import counter_one, set_timezone
from tests.scale.processes import Clerk, KioskClient
from tests.servers import fold_reports, running_server

pytestmark = pytest.mark.slow
LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
BEFORE = 4  # seconds before midnight at which the clock is set for the last stretch


def next_midnight(timezone: str) -> datetime:
    local = datetime.now(ZoneInfo(timezone))
    return datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), local.tzinfo)


def set_clock(rc: Path, moment: datetime) -> None:
    """Make the server's clock read ``moment`` now (and run on from there)."""
    rc.write_text(f"{round(moment.timestamp() - time.time()):+d}\n")  # seconds, may be < 0


def server_time(base: str) -> datetime:
    state = requests.get(f"{base}/display/api/state?zone=1", timeout=10).json()
    return datetime.fromtimestamp(state["server_ms"] / 1000, UTC)


def per_day(admin: Clerk, service_id: int, first: date, last: date) -> dict[str, list[str]]:
    """The "Tickets per day" table of the reports' CSV export: date -> [issued, served]."""
    query = f"period=custom&start={first}&end={last}&scope=service&id={service_id}"
    answer = admin.http.get(f"{admin.base}/counter/reports/export.csv?{query}", timeout=30)
    assert answer.status_code == 200, answer.text[:300]
    rows = list(csv.reader(io.StringIO(answer.text.lstrip("\ufeff"))))
    start = next(i for i, row in enumerate(rows) if row and row[0] == "# per_day")
    table = {}
    for row in rows[start + 2 :]:
        if not row:
            break
        table[row[0]] = row[1:]
    return table


@pytest.mark.parametrize("timezone", ["Asia/Jakarta", "Asia/Makassar"])
def test_local_midnight_passes_while_open(demo_db_url, tmp_path, timezone):
    if not LIBFAKETIME.exists():
        pytest.skip(f"{LIBFAKETIME} is missing: apt-get install faketime (.ci/run installs it)")
    set_timezone(demo_db_url, timezone)
    counter = counter_one(demo_db_url)
    midnight = next_midnight(timezone)
    yesterday, today = (midnight - timedelta(days=1)).date(), midnight.date()
    rc = tmp_path / "faketime.rc"
    set_clock(rc, midnight - timedelta(minutes=10))
    env = {
        "LD_PRELOAD": str(LIBFAKETIME),
        "FAKETIME_TIMESTAMP_FILE": str(rc),
        "FAKETIME_CACHE_DURATION": "1",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
    }
    with running_server(demo_db_url, log_path=tmp_path / "server.log", **env) as (base, _):
        clock = server_time(base)
        assert midnight - timedelta(minutes=11) < clock < midnight - timedelta(minutes=9), clock
        kiosk = KioskClient(base)
        clerk, admin = Clerk(base, counter["clerk"]), Clerk(base, "admin")
        service = counter["service"]

        # Before midnight: three tickets (the day's numbering goes on), one served, two waiting.
        late = [kiosk.take(service).json()["ticket"] for _ in range(3)]
        numbers = [int(t["number"][-3:]) for t in late]
        assert numbers == list(range(numbers[0], numbers[0] + 3)), late
        called = clerk.call_next(counter["id"]).json()["ticket"]
        assert called["number"] == late[0]["number"]
        clerk.serve(called["id"])
        fold_reports(demo_db_url)
        assert per_day(admin, service, yesterday, today) == {str(yesterday): ["3", "1"]}

        # The clock runs over the mall's midnight by itself.
        set_clock(rc, midnight - timedelta(seconds=BEFORE))
        deadline = time.monotonic() + 30
        while server_time(base) < midnight and time.monotonic() < deadline:
            time.sleep(0.5)
        assert server_time(base) >= midnight, "the server's clock did not reach midnight"

        # A new business day: numbering restarts at 1 for the service.
        early = [kiosk.take(service).json()["ticket"] for _ in range(2)]
        assert [t["number"][-3:] for t in early] == ["001", "002"], early
        # Yesterday's waiting tickets are no longer called; today's are, in order.
        for ticket in early:
            answer = clerk.call_next(counter["id"]).json()
            assert answer["ticket"]["number"] == ticket["number"], answer
            clerk.serve(answer["ticket"]["id"])
        nothing = clerk.call_next(counter["id"])
        assert nothing.status_code == 200 and nothing.json()["ticket"] is None, nothing.text

        # Yesterday's ticket page says it expired (and for which day); today's does not.
        old = requests.get(f"{base}/t/{late[2]['code']}.json", timeout=10).json()
        assert (old["expired"], old["business_date"], old["people_ahead"]) == (
            True,
            str(yesterday),
            0,
        )
        page = requests.get(f"{base}/t/{late[2]['code']}", timeout=10).text
        assert "kedaluwarsa" in page and timeutil.long_date(yesterday) in page
        fresh = requests.get(f"{base}/t/{early[0]['code']}.json", timeout=10).json()
        assert (fresh["expired"], fresh["business_date"]) == (False, str(today))

        # The TV's snapshot and the kiosk show the new day only.
        state = requests.get(f"{base}/display/api/state?zone=1", timeout=10).json()
        assert (
            datetime.fromisoformat(state["server_time"]).astimezone(ZoneInfo(timezone)).date()
            == today
        )
        assert [c["number"] for c in state["recent_calls"]] == [
            t["number"] for t in reversed(early)
        ]
        waiting = {s["id"]: s["waiting"] for s in state["services"]}
        assert waiting[service] == 0  # not yesterday's two
        services = requests.get(f"{base}/kiosk/api/services", timeout=10).json()["services"]
        assert next(s for s in services if s["id"] == service)["waiting"] == 0

        # Reports put each ticket on its own business day.
        fold_reports(demo_db_url)
        assert per_day(admin, service, yesterday, today) == {
            str(yesterday): ["3", "1"],
            str(today): ["2", "2"],
        }
