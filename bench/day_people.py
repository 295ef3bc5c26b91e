"""The people of bench/day.py: arriving citizens, clerks at their counters, and the final checks."""

from __future__ import annotations

import math
import re
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

import requests

from bench.day_clients import META_CSRF, Staff, rate_visit, ticket_status
from bench.day_load import plan_factor
from shared import demo_data  # the demo mall's own figures (service minutes, floors), no server

DAY_SECONDS = 7 * 3600  # 08:00-15:00
# Share of the day's arrivals per hour: a morning peak, the lunch dip, an afternoon bump.
HOURS = [0.11, 0.20, 0.19, 0.15, 0.07, 0.16, 0.12]
AGENCY_SHARE = {
    "Dukcapil": 0.34, "Samsat": 0.15, "BPJS Kes": 0.11, "BPJS TK": 0.08, "Imigrasi": 0.07,
    "Polres": 0.11, "KPP Pratama": 0.07, "DPMPTSP": 0.07,
}  # fmt: skip
CLERKS_BY_AGENCY = {
    "Dukcapil": ["dukcapil1", "dukcapil2", "dukcapil3"], "Imigrasi": ["imigrasi1", "imigrasi2"],
    "Samsat": ["samsat1", "samsat2"], "BPJS Kes": ["bpjskes1"], "BPJS TK": ["bpjstk1"],
    "Polres": ["polres1"], "KPP Pratama": ["kpppratama1"], "DPMPTSP": ["dpmptsp1", "dpmptsp2"],
}  # fmt: skip
CLERKS = [name for names in CLERKS_BY_AGENCY.values() for name in names]
FINAL = {"done", "no_show", "cancelled", "transferred"}
PRIORITIES = ["lansia", "disabilitas", "ibu_hamil"]
MINUTES = {s[0]: s[3] for agency in demo_data.AGENCIES for s in agency[3]}
FLOOR_ZONE = {  # display zones are numbered in the demo's order: 2 = Lantai 1, 3 = Lantai 2
    short: zone for zone, (_, shorts, _) in enumerate(demo_data.DISPLAYS, 1) for short in shorts
}


class Day:
    def __init__(self, base: str, args, rng):
        self.base, self.args, self.rng = base, args, rng
        listing = requests.get(f"{base}/kiosk/api/services", timeout=30).json()["services"]
        self.services = [s for s in listing if s["open"]]
        self.jkn = next(s["id"] for s in listing if s["code"] == "JKN")
        self.scale = DAY_SECONDS / (args.minutes * 60)
        self.plan = self.schedule()  # (at, service, group, booking or None), by arrival
        self.service_factor, self.load = 1.0, {}
        self.on_booked = None  # a booked citizen's arrival (bench/day_bookings.py)
        self.on_ticket = None  # a kiosk ticket in the citizen's hand (bench/day_alerts.py)
        self.counts: Counter = Counter()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.issued: list[dict] = []  # {code, number, service_id}: kiosk tickets and transfers
        self.calls: list[tuple[int, int, int, str]] = []  # ticket, recall_count, counter, agency
        self.lock = threading.Lock()
        self.open_tickets = 0
        self.arrivals_done = threading.Event()
        self.hit_deadline = False
        self.local = threading.local()

    def calibrate(self, latency: float) -> None:
        """13 counters cannot serve 3,000 people at the demo's times: shorten every minute at
        the counter by one factor, so that the busiest agency is busy ~85% (bench/day_load.py)."""
        clerks = {agency: len(names) for agency, names in CLERKS_BY_AGENCY.items()}
        timing = (DAY_SECONDS, self.scale)
        self.service_factor, self.load = plan_factor(
            self.plan, clerks, MINUTES, self.args, timing, latency
        )

    # -- time --
    def sleep_sim(self, sim_seconds: float) -> None:
        time.sleep(max(0.0, min(sim_seconds / self.scale, self.deadline - time.monotonic())))

    def sim_now(self) -> float:
        return (time.monotonic() - self.start) * self.scale

    def timed(self, name: str, function, *args, **kwargs):
        began = time.perf_counter()
        result = function(*args, **kwargs)
        with self.lock:
            self.latency[name].append(time.perf_counter() - began)
        return result

    def note(self, key: str, open_change: int = 0, issued: dict | None = None) -> None:
        with self.lock:
            self.counts[key] += 1
            self.open_tickets += open_change
            if issued:
                self.issued.append(issued)

    # -- the day --
    def run(self, starts_at: float, max_seconds: float) -> None:
        """Sign the clerks in, wait for the clock time the bookings were planned on, play."""
        clerks = [Staff(self.base, name) for name in CLERKS]
        self.late_start = max(0.0, time.time() - starts_at)
        time.sleep(max(0.0, starts_at - time.time()))
        self.start = time.monotonic()
        self.deadline = self.start + max_seconds
        self.surveys = ThreadPoolExecutor(2)
        threads = [threading.Thread(target=self.arrivals)]
        for index, staff in enumerate(clerks):
            counter = staff.counters()[int(staff_suffix(CLERKS[index])) - 1]
            lunch = self.rng.uniform(3.5, 5.0) * 3600, self.rng.uniform(20, 40) * 60
            threads.append(threading.Thread(target=self.clerk, args=(staff, counter, lunch)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.surveys.shutdown(wait=True)

    def schedule(self) -> list[tuple[float, dict, str]]:
        agencies = defaultdict(list)
        for service in self.services:
            agencies[service["agency"]["short_name"]].append(service)
        names = [n for n in AGENCY_SHARE if n in agencies]
        weights = [AGENCY_SHARE[n] for n in names]
        plan = []
        for _ in range(self.args.visitors):
            hour = self.rng.choices(range(len(HOURS)), HOURS)[0]
            at = (hour + self.rng.random()) * 3600
            service = self.rng.choice(agencies[self.rng.choices(names, weights)[0]])
            group = "none"
            if self.rng.random() < self.args.priority_share:
                group = self.rng.choice(PRIORITIES)
            plan.append((at, service, group, None))
        return sorted(plan, key=lambda item: item[0])

    def arrivals(self) -> None:
        with ThreadPoolExecutor(8) as kiosks:
            for at, service, group, booked in self.plan:
                self.sleep_sim(at - self.sim_now())
                if time.monotonic() >= self.deadline:
                    break
                if booked is not None:
                    kiosks.submit(self.on_booked, booked)
                else:
                    kiosks.submit(self.take, service, group)
        self.arrivals_done.set()

    def take(self, service: dict, group: str) -> None:
        body = {"service_id": service["id"], "priority": group, "idempotency_key": uuid.uuid4().hex}
        kiosk = self.kiosk_session()
        answer = self.timed(
            "take_ticket", kiosk.post, f"{self.base}/kiosk/api/tickets", json=body, timeout=60
        )
        if answer.status_code == 201:
            t = answer.json()["ticket"]
            issued = {"code": t["code"], "number": t["number"], "service_id": service["id"]}
            self.note("issued_at_kiosk", +1, issued)
            self.note("priority" if group != "none" else "regular")
            if self.on_ticket is not None:
                self.on_ticket(t)
        else:
            self.note(f"kiosk_refused_{answer.status_code}")

    def kiosk_session(self) -> requests.Session:
        """One touchscreen per kiosk thread: the page's cookie and CSRF token, as the browser."""
        kiosk = getattr(self.local, "kiosk", None)
        if kiosk is None:
            kiosk = self.local.kiosk = requests.Session()
            page = kiosk.get(f"{self.base}/kiosk/", timeout=60).text
            kiosk.headers["X-CSRFToken"] = META_CSRF.search(page).group(1)
        return kiosk

    def finished(self) -> bool:
        with self.lock:
            return self.arrivals_done.is_set() and self.open_tickets == 0

    def clerk(self, staff: Staff, counter: int, lunch: tuple[float, float]) -> None:
        had_lunch = False
        while time.monotonic() < self.deadline and not self.finished():
            if not had_lunch and self.sim_now() >= lunch[0]:
                staff.set_status(counter, "paused", "Istirahat siang")
                self.note("breaks")
                self.sleep_sim(lunch[1])
                staff.set_status(counter, "open")
                had_lunch = True
            ticket = self.timed("call_next", staff.call_next, counter)
            if ticket is None:  # nobody waiting: look again in a (simulated) minute, or 0.3 s
                time.sleep(max(0.3, min(60 / self.scale, 2.0)))
                continue
            self.called(ticket, counter)
            self.serve(staff, counter, ticket)
        if not self.finished():
            self.hit_deadline = True
            self.close(staff, counter)

    def called(self, ticket: dict, counter: int) -> None:
        with self.lock:
            agency = ticket["agency"]["short_name"]
            self.calls.append((ticket["id"], ticket["recall_count"], counter, agency))

    def serve(self, staff: Staff, counter: int, ticket: dict) -> None:
        rng, tid, factor = self.rng, ticket["id"], self.service_factor
        self.sleep_sim(factor * rng.uniform(20, 60))  # the citizen walks to the counter
        if rng.random() < self.args.no_show_share:
            for seen in range(ticket["recall_limit"]):
                again = staff.act(tid, "recall", recall_count=seen)["ticket"]
                self.called(again, counter)
                self.sleep_sim(factor * 60)
            staff.act(tid, "no-show")
            self.note("no_show", -1)
            return
        staff.act(tid, "start")
        mean = MINUTES.get(ticket["service"].get("code"), 8) * 60 * factor
        sigma = 0.5  # log-normal: most near the mean, a few long ones
        self.sleep_sim(rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma))
        if ticket["agency"]["short_name"] == "Dukcapil" and rng.random() < self.args.transfer_share:
            new = staff.act(tid, "transfer", service_id=self.jkn, note="Daftar JKN")["ticket"]
            issued = {"code": new["code"], "number": new["number"], "service_id": self.jkn}
            self.note("transferred", 0, issued)
            return
        staff.act(tid, "finish")
        self.note("served", -1)
        if rng.random() < self.args.survey_share:
            scores = {f"u{i}": rng.choices([2, 3, 4], [1, 5, 6])[0] for i in range(1, 10)}
            self.surveys.submit(self.rate, ticket["code"], scores)

    def rate(self, code: str, scores: dict) -> None:
        self.note("surveys" if rate_visit(self.base, code, scores) else "survey_not_open")

    def close(self, staff: Staff, counter: int) -> None:
        """Closing time: finish the citizen at the desk, cancel whoever still waits here."""
        snapshot = staff.http.get(f"{self.base}/counter/api/counters/{counter}", timeout=60).json()
        current = snapshot.get("current")
        if current and current["status"] == "called":
            staff.act(current["id"], "start")
        if current:
            staff.act(current["id"], "finish")
            self.note("served", -1)
        for waiting in snapshot.get("waiting", []):
            answer = staff.http.post(
                f"{self.base}/counter/api/tickets/{waiting['id']}/cancel",
                json={"note": "Tutup"},
                timeout=60,
            )
            if answer.status_code == 200 and answer.json().get("performed"):
                self.note("cancelled_at_closing", -1)


def staff_suffix(username: str) -> str:
    """dukcapil2 -> "2": the demo clerk's place among their agency's counters."""
    return re.search(r"\d+$", username).group()


def final_checks(base: str, day: Day, tvs, before: dict, after: dict) -> dict:
    http = requests.Session()
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda t: ticket_status(http, base, t["code"]), day.issued))
    not_final = Counter(s for s in statuses if s not in FINAL)
    numbers = [(t["service_id"], t["number"]) for t in day.issued]
    by_clerks: dict[int, set[int]] = defaultdict(set)
    for ticket_id, _, counter, _ in day.calls:
        by_clerks[ticket_id].add(counter)
    tv_counters = tvs[0].counters_by_ticket()  # zone 1, "Lobi utama", shows every agency
    missed = {}
    for tv in tvs:
        expected = {
            (t, r) for t, r, _, agency in day.calls if tv.zone == 1 or FLOOR_ZONE[agency] == tv.zone
        }
        missed[f"zone {tv.zone}"] = len(expected - tv.seen())
    c = day.counts
    booked = c["checked_in_at_kiosk"] + c["checked_in_at_counter"]
    figures = {
        "Issued": c["issued_at_kiosk"] + booked + c["transferred"],
        "New arrivals (not transfers)": c["issued_at_kiosk"] + booked,
        "Served": c["served"],
        "No-show": c["no_show"],
        "Cancelled": c["cancelled_at_closing"],
        "Transferred": c["transferred"],
    }
    reported = {k: delta(after, before, "summary", k) for k in figures}
    sources = {"Kiosk": c["issued_at_kiosk"], "Online booking": booked}
    reported_sources = {k: delta(after, before, "sources", k) for k in sources}
    respondents = delta(after, before, "skm_overall", "Respondents")
    issued = c["issued_at_kiosk"] + booked
    return {
        # A check on an empty day proves nothing: most visitors must have got a ticket
        # (a one-counter agency refuses tickets while its clerk is at lunch: realistic, counted).
        "the_day_happened": {
            "ok": issued >= 0.8 * day.args.visitors and len(day.calls) > 0,
            "tickets_at_kiosk": c["issued_at_kiosk"],
            "checked_in_bookings": booked,
            "calls": len(day.calls),
        },
        "every_ticket_final": {"ok": not not_final, "tickets": len(statuses), "open": not_final},
        "no_number_twice": {"ok": len(set(numbers)) == len(numbers), "numbers": len(numbers)},
        "no_ticket_on_two_counters": {
            "ok": all(len(s) == 1 for s in by_clerks.values())
            and all(len(s) == 1 for s in tv_counters.values()),
            "tickets_called": len(by_clerks),
        },
        "every_call_on_the_tvs": {"ok": not any(missed.values()), "missed": missed},
        "report_matches": {
            "ok": reported == figures
            and reported_sources == sources
            and respondents == c["surveys"],
            "simulated": {**figures, **sources, "Respondents": c["surveys"]},
            "reported": {**reported, **reported_sources, "Respondents": respondents},
        },
    }


def delta(after: dict, before: dict, table: str, row: str) -> int:
    def value(report):
        return int(float(report.get(table, {}).get(row) or 0))

    return value(after) - value(before)
