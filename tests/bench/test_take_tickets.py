"""bench/take_tickets.py against two real server processes sharing one database: the kiosks are
shared out over both URLs and no number is given twice; citizens arriving at a rate (--rate);
warm-up taps (--warmup); bench/http_floor.py beside it; counts, not timing."""

from __future__ import annotations

import pytest

from bench.take_tickets import poisson_arrivals
from tests.bench.runs import demo_server, run_json

pytestmark = pytest.mark.slow


def take(*urls: str, tickets: int = 40, rate: float | None = None, warmup: int = 0) -> dict:
    options = [part for url in urls for part in ("--url", url)]
    paced = ("--rate", str(rate)) if rate else ()
    return run_json(
        *("-m", "bench.take_tickets", *options, *paced, "--warmup", str(warmup)),
        *("--kiosks", "4", "--tickets", str(tickets), "--max-seconds", "120"),
    )


def test_two_urls_share_the_kiosks(tmp_path):
    db = f"sqlite:///{tmp_path / 'antre.db'}"
    with (
        demo_server(tmp_path, "one", db=db) as (one, _),
        demo_server(tmp_path, "two", db=db) as (two, _),
    ):
        both = take(one, two)
        alone = take(one, tickets=10)  # the old usage: one --url
        paced = take(one, tickets=14, rate=20)  # not a multiple of the 4 kiosks
        warmed = take(one, tickets=5, warmup=1)
        floor = run_json(
            *("-m", "bench.http_floor", "--url", one, "--threads", "3", "--requests", "30"),
            timeout=120,
        )
    assert both["tickets"] == 40 and both["failures"] == {} and both["duplicate_numbers"] == 0
    # Kiosks take from one shared count, so each URL's share is about half, not exactly.
    assert set(both["tickets_per_url"]) == {one, two} and min(both["tickets_per_url"].values()) > 0
    assert alone["url"] == one and alone["tickets"] == 10 and alone["duplicate_numbers"] == 0
    # Open loop: every citizen's tap, none before its arrival (the run lasts past the last one).
    assert paced["tickets"] == 14 and paced["offered_taps_per_second"] == 20
    assert paced["seconds"] >= poisson_arrivals(20, 14, 18)[-1]
    assert paced["duplicate_numbers"] == 0 and paced["failures"] == {}
    # Warm-up taps (one per open service) are taken and checked, but not measured.
    assert warmed["warmup_taps"] > 1 and warmed["tickets"] == 5
    assert warmed["latency"]["count"] == 5 and warmed["duplicate_numbers"] == 0
    # The load generator's floor (bench/http_floor.py): a static file, every request answered.
    assert floor["latency"]["count"] == 30 and floor["failures"] == 0


def test_arrivals_come_at_the_rate_asked():
    times = poisson_arrivals(20, 4000, seed=7)
    assert times == sorted(times) and times == poisson_arrivals(20, 4000, seed=7)
    assert 190 < times[-1] < 210  # 4,000 taps at 20 a second: about 200 s
