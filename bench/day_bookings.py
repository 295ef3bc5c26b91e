"""Booked visitors of bench/day.py: today's slots at the real clock times of the compressed day,
the bookings through the public booking API, the check-ins on the day, and their checks.

Check-in is allowed in a real-time window around the slot's start (by default 30 minutes before
to 15 after), and the day is compressed to minutes, so the script gives each booked visitor a
one-minute slot starting at the next clock minute after they will arrive: they come up to a
minute early, as the booking card asks. The slots are made as an admin would (the booking-slot
form of the counter's admin pages, with its CSRF token), on services whose own slots today do not
overlap those minutes, and deleted again after the day (the bookings keep their times).
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter, defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import requests

from bench.day_clients import Staff

BOOKED_FIRST = ("KTP", "JKN", "SKCK", "PASPOR", "PASPOR2")  # what the demo mall offers to book
SERVICES = 4  # booked services, so that the admin forms stay few
TIMEZONE = re.compile(r'<select name="timezone">.*?<option value="([^"]+)" selected', re.S)
EDIT_LINK = re.compile(r'href="/counter/admin/slots/(\d+)"')


class Bookings:
    def __init__(self, base: str, admin: Staff, day, clerks: dict[str, list[str]]):
        self.base, self.admin, self.day, self.clerks = base, admin, day, clerks
        mall = admin.http.get(f"{base}/counter/admin/mall/", timeout=30).text
        self.zone = ZoneInfo(TIMEZONE.search(mall).group(1))
        self.booked: list[dict] = []  # service, at, start, code, how, ticket
        self.templates: list[tuple[int, str, str]] = []  # service id, start, end
        self.desks: dict[str, Staff] = {}  # a second console session of a clerk per agency
        self.refused: Counter = Counter()

    # -- before the day --
    def prepare(self, starts_at: float) -> dict:
        """Choose the booked visitors in the plan, make their slots and book them."""
        args, rng, plan = self.day.args, self.day.rng, self.day.plan
        today = datetime.fromtimestamp(starts_at, self.zone).date()
        wanted = round(args.visitors * args.booked_share)
        minute_of = {}  # plan index -> slot start "HH:MM"
        for index, (at, _, _, _) in enumerate(plan):
            slot = math.ceil((starts_at + at / self.day.scale) / 60) * 60  # the next clock minute
            start = datetime.fromtimestamp(slot, self.zone)
            if start.date() == today and start.strftime("%H:%M") < "23:59":
                minute_of[index] = start.strftime("%H:%M")
        services = self.choose_services(today, minute_of, plan, wanted)
        eligible = [i for i in minute_of if plan[i][1]["id"] in services]
        chosen = rng.sample(eligible, min(wanted, len(eligible)))
        # Shares by count, not by draw, so that a small day still has each way of coming.
        no_shows = round(len(chosen) * args.booked_no_show_share)
        at_counter = round((len(chosen) - no_shows) * args.counter_checkin_share)
        ways = ["no_show"] * no_shows + ["counter"] * at_counter
        ways += ["kiosk"] * (len(chosen) - len(ways))
        slots = Counter((plan[i][1]["id"], minute_of[i]) for i in chosen)
        for (service_id, start), places in sorted(slots.items()):
            self.add_template(today.weekday(), service_id, start, places)
        for index, how in sorted(zip(chosen, ways, strict=True)):
            at, service, _, _ = plan[index]
            made = self.book(service, today.isoformat(), minute_of[index])
            if made is not None:
                entry = {"service": service, "at": at, "start": minute_of[index], "how": how}
                self.booked.append({**entry, "code": made, "ticket": None})
                plan[index] = (at, service, "none", self.booked[-1])
        for agency in {b["service"]["agency"]["short_name"] for b in self.booked}:
            self.desks[agency] = Staff(self.base, self.clerks[agency][0])
        return {
            "wanted": wanted,
            "booked": len(self.booked),
            "services": sorted(services.values()),
            "slots_made": len(self.templates),
            "refused": dict(self.refused),
        }

    def choose_services(self, today, minute_of: dict, plan, wanted: int) -> dict[int, str]:
        """Open services whose own slots today do not overlap the day's minutes: SERVICES of
        them, or more until twice the wanted visitors come for them."""
        minutes = set(minute_of.values())
        if not minutes:
            return {}
        first, last = min(minutes), max(minutes)
        order = {code: n for n, code in enumerate(BOOKED_FIRST)}
        offered = {plan[i][1]["id"]: plan[i][1] for i in minute_of}
        chosen = {}
        for service in sorted(offered.values(), key=lambda s: (order.get(s["code"], 99), s["id"])):
            query = {"service_id": service["id"], "date": today.isoformat()}
            answer = requests.get(f"{self.base}/kiosk/api/booking/slots", params=query, timeout=30)
            if answer.status_code != 200:
                continue  # a holiday, or bookings closed: not this one
            slots = answer.json()["slots"]
            if all(s["end"] <= first or s["start"] > last for s in slots):
                chosen[service["id"]] = service["code"]
            coming = sum(1 for i in minute_of if plan[i][1]["id"] in chosen)
            if len(chosen) >= SERVICES and coming >= 2 * wanted:
                break
        return chosen

    def add_template(self, weekday: int, service_id: int, start: str, places: int) -> None:
        hours, minutes = (int(part) for part in start.split(":"))
        end = f"{hours + (minutes + 1) // 60:02d}:{(minutes + 1) % 60:02d}"  # start < 23:59
        form = {
            "csrf_token": self.admin.http.headers["X-CSRFToken"],
            "service_id": str(service_id),
            "weekday": str(weekday),
            "start": start,
            "end": end,
            "capacity": str(places),
        }
        answer = self.admin.http.post(f"{self.base}/counter/admin/slots/new", data=form, timeout=30)
        if answer.status_code == 200 and answer.history:  # saved: redirected to the list
            self.templates.append((service_id, start, end))
        else:
            self.refused[f"slot_form_{answer.status_code}"] += 1

    def book(self, service: dict, day: str, start: str) -> str | None:
        body = {"service_id": service["id"], "date": day, "start": start, "name": "Warga"}
        answer = requests.post(f"{self.base}/kiosk/api/bookings", json=body, timeout=30)
        if answer.status_code != 201:
            self.refused[f"booking_{answer.status_code}"] += 1
            return None
        return answer.json()["booking"]["code"]

    # -- on the day --
    def arrive(self, booked: dict) -> None:
        """A booked citizen arrives (the kiosk thread pool runs this at their planned time)."""
        day, code = self.day, booked["code"]
        if booked["how"] == "no_show":
            day.note("booked_no_show")
            return
        if booked["how"] == "kiosk":
            path = f"{self.base}/kiosk/api/bookings/{code}/check-in"
            answer = day.timed("check_in_kiosk", day.kiosk_session().post, path, timeout=60)
        else:
            desk = self.desks[booked["service"]["agency"]["short_name"]]
            path = f"{self.base}/counter/api/bookings/{code}/check-in"
            answer = day.timed("check_in_counter", desk.http.post, path, json={}, timeout=60)
        if answer.status_code not in (200, 201):
            day.note(f"check_in_refused_{answer.status_code}")
            booked["how"] = f"refused_{answer.status_code}"
            return
        t = answer.json()["ticket"]
        booked["ticket"] = t["code"]
        issued = {"code": t["code"], "number": t["number"], "service_id": booked["service"]["id"]}
        day.note(f"checked_in_at_{booked['how']}", +1, issued)

    # -- after the day --
    def remove_templates(self) -> int:
        """Delete the slots made for the day (they repeat weekly); the bookings stay."""
        page = self.admin.http.get(f"{self.base}/counter/admin/slots/", timeout=60).text
        mine = {(str(s), a, b) for s, a, b in self.templates}
        removed = 0
        for row in html.unescape(page).split("<tr>")[1:]:
            link = EDIT_LINK.search(row)
            cells = re.findall(r"<td>([^<]*)</td>", row)
            if link is None or len(cells) < 4:
                continue
            for service_id, start, end in mine:
                if cells[2] == start and cells[3] == end and self.is_service(row, service_id):
                    token = self.admin.http.headers["X-CSRFToken"]
                    path = f"{self.base}/counter/admin/slots/{link.group(1)}/delete"
                    answer = self.admin.http.post(path, data={"csrf_token": token}, timeout=30)
                    removed += answer.status_code == 200
                    break
        return removed

    def is_service(self, row: str, service_id: str) -> bool:
        service = next(b["service"] for b in self.booked if str(b["service"]["id"]) == service_id)
        return f"{service['prefix']} {service['name']}" in row

    def checks(self) -> dict:
        """Each checked-in booking points at its one ticket; a no-show's booking at none."""
        http = requests.Session()
        wrong: Counter = Counter()
        tickets = Counter()
        by_how = defaultdict(int)
        for booked in self.booked:
            shown = http.get(f"{self.base}/kiosk/api/bookings/{booked['code']}", timeout=30)
            answer = shown.json()["booking"]
            by_how[booked["how"]] += 1
            link = answer["ticket_url"] or ""
            if booked["ticket"]:
                tickets[link.rsplit("/", 1)[-1]] += 1
                if answer["status"] != "checked_in" or not link.endswith(f"/t/{booked['ticket']}"):
                    wrong["checked_in_without_its_ticket"] += 1
            elif answer["ticket"] is not None or answer["status"] == "checked_in":
                wrong["ticket_without_check_in"] += 1
        wrong["ticket_of_two_bookings"] = sum(1 for n in tickets.values() if n > 1)
        problems = {k: v for k, v in wrong.items() if v}
        return {"ok": not problems, "bookings": dict(by_how), "problems": problems}
