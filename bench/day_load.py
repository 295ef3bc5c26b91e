"""How hard bench/day.py works the counters: one factor for every minute a clerk spends with a
citizen (the walk to the desk, the service, the recalls of a no-show), chosen so that the busiest
agency's counters are busy about 85% of the day.

The first version shortened only the service times, by the mall-wide mean. That left the walk to
the desk (20–60 s a citizen) and the requests' own time out of the sum, and it ignored that
Dukcapil gets 34% of the visitors with 3 of the 13 clerks and BPJS Kesehatan one clerk and the
transfers: at 3,000 visitors those counters were loaded at roughly twice their capacity, which is
why the 8-minute day did not drain. The clerks' requests take wall time that compression cannot
shorten, so it is measured before the day and counted (with an allowance for the day's load).
"""

from __future__ import annotations

import statistics
import time
from collections import Counter

WALK = 40.0  # mean simulated seconds from the call to the desk (uniform 20–60)
LUNCH = 30 * 60.0  # mean simulated break per clerk (uniform 20–40 min)
REQUESTS = 3  # call-next, start, finish: what the console does per citizen
LOAD_ALLOWANCE = 2.0  # the requests' idle latency, doubled for a server under the day's load
TARGET = 0.85


def request_seconds(staff, counter_id: int, samples: int = 8) -> float:
    """Median wall time of a clerk's console request on the idle server (the snapshot GET)."""
    times = []
    for _ in range(samples):
        began = time.perf_counter()
        staff.http.get(f"{staff.base}/counter/api/counters/{counter_id}", timeout=30)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def plan_factor(plan, clerks: dict[str, int], minutes: dict[str, int], args, day, latency):
    """(factor, figures) for a planned day; 1.0 when the counters cope at the demo's times.

    ``plan`` holds (at, service, group, booking) tuples; ``clerks`` counts clerks per agency;
    ``day`` is (simulated seconds of opening, compression); ``latency`` wall seconds a request.
    """
    day_seconds, scale = day
    overhead = REQUESTS * latency * LOAD_ALLOWANCE * scale  # simulated seconds, not shortened
    work: Counter = Counter()  # simulated seconds at factor 1
    people: Counter = Counter()
    show = 1.0 - args.no_show_share
    for _, service, _, _ in plan:
        agency = service["agency"]["short_name"]
        service_seconds = minutes.get(service["code"], 8) * 60
        people[agency] += 1
        work[agency] += WALK + show * service_seconds + args.no_show_share * 2 * 60
        if agency == "Dukcapil":  # the transfers to BPJS Kesehatan (JKN, 8 min)
            people["BPJS Kes"] += show * args.transfer_share
            work["BPJS Kes"] += show * args.transfer_share * (WALK + show * 8 * 60)
    factor, loads = 1.0, {}
    for agency, n in people.items():
        capacity = clerks.get(agency, 0) * (day_seconds - LUNCH)
        if capacity <= 0:
            continue
        room = TARGET * capacity - n * overhead
        # room <= 0: even instant service would not fit; the planned loads will say so
        factor = 0.0 if room <= 0 else min(factor, room / work[agency])
        loads[agency] = {"people": round(n), "clerks": clerks[agency], "work": work[agency]}
    for agency, load in loads.items():
        busy = factor * load.pop("work") + load["people"] * overhead
        load["planned_load"] = round(busy / (clerks[agency] * (day_seconds - LUNCH)), 2)
    return factor, {"request_seconds_measured": round(latency, 4), "agencies": loads}
