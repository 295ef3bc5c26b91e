"""Doctors of the site worked on: their poli (a service), BPJS code, weekly practice hours with
each session's capacity split JKN / non-JKN, and leave days. Site admins and installation admins.

A day's sessions are rows of their own, made from the schedule when first asked for
(shared/queue/doctors.py): a new schedule changes the sessions not made yet, never today's made.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from counter.admin.base import Entity, register
from counter.admin.counters import service_choices
from counter.admin.fields import HHMM, WEEKDAYS, Field
from counter.admin.rows import RowsField
from counter.site_scope import current_site
from shared.models import Doctor, DoctorLeave, DoctorSchedule, Service

DIGITS = re.compile(r"^\d{1,20}$")


def _number(raw: str) -> int | None:
    return int(raw) if raw.strip().isdigit() else None


class ScheduleField(RowsField):
    columns = ("weekday", "start", "end", "capacity", "quota_jkn")

    def blank(self, index):
        return {**super().blank(index), "weekday": str(index % 7)}

    def is_blank(self, row):
        return not row["start"].strip() and not row["end"].strip()

    def rows_of(self, obj):
        rows = [
            {
                "weekday": str(s.weekday),
                "start": s.start,
                "end": s.end,
                "capacity": str(s.capacity),
                "quota_jkn": str(s.quota_jkn),
            }
            for s in obj.schedules
        ]
        practising = {s.weekday for s in obj.schedules}
        rows += [self.blank(day) for day in range(7) if day not in practising]
        return sorted(rows, key=lambda row: (int(row["weekday"]), row["start"] or "99"))

    def rows(self, obj, form):
        if form is None and obj is None:
            return [self.blank(day) for day in range(7)]
        return super().rows(obj, form)

    def weekday_options(self):
        return [(str(n), name) for n, name in enumerate(WEEKDAYS)]

    @staticmethod
    def nonjkn(row) -> str:
        """What is left of the capacity for non-JKN patients, as the form shows it."""
        capacity, quota = _number(row["capacity"]), _number(row["quota_jkn"])
        return str(capacity - quota) if capacity is not None and quota is not None else "–"

    def parse_rows(self, rows, problems):
        sessions = []
        for row in rows:
            if row["weekday"] not in {str(n) for n in range(7)}:
                problems.append(gettext("Choose a weekday for every row."))
                continue
            weekday = int(row["weekday"])
            day = WEEKDAYS[weekday]
            start, end = (row[k].strip().replace(".", ":") for k in ("start", "end"))
            if not all(HHMM.match(t) and t != "24:00" for t in (start, end)):
                problems.append(gettext("%(day)s: write the times like 08:00.", day=day))
                continue
            if start >= end:
                problems.append(gettext("%(day)s: the end must be after the start.", day=day))
                continue
            capacity, quota = _number(row["capacity"]), _number(row["quota_jkn"])
            if capacity is None or not 1 <= capacity <= 999:
                problems.append(gettext("%(day)s: the capacity is 1 to 999.", day=day))
                continue
            if quota is None or quota > capacity:
                problems.append(
                    gettext(
                        "%(day)s: the JKN quota is 0 to the capacity (%(n)s).",
                        day=day,
                        n=capacity,
                    )
                )
                continue
            for other in sessions:
                if other["weekday"] == weekday and other["start"] < end and start < other["end"]:
                    problems.append(gettext("%(day)s: two sessions overlap.", day=day))
                    break
            else:
                sessions.append(
                    {
                        "weekday": weekday,
                        "start": start,
                        "end": end,
                        "capacity": capacity,
                        "quota_jkn": quota,
                    }
                )
        return sorted(sessions, key=lambda s: (s["weekday"], s["start"]))


class LeavesField(RowsField):
    columns = ("day", "note")
    blank_rows = 1

    def rows_of(self, obj):
        rows = [{"day": leave.day.isoformat(), "note": leave.note} for leave in obj.leaves]
        return rows + [self.blank(len(rows))]

    def parse_rows(self, rows, problems):
        leaves = {}
        for row in rows:
            try:
                day = date.fromisoformat(row["day"].strip())
            except ValueError:
                problems.append(gettext("Write each leave date like 2026-12-25."))
                continue
            note = row["note"].strip()
            if len(note) > 120:
                problems.append(gettext("%(day)s: at most %(n)s characters.", day=day, n=120))
            elif day in leaves:
                problems.append(gettext("%(day)s is written twice.", day=day.isoformat()))
            else:
                leaves[day] = note
        return [{"day": day, "note": note} for day, note in sorted(leaves.items())]


class Doctors(Entity):
    key = "doctors"
    title = _l("Doctors")
    model = Doctor
    config_what = "services"  # the kiosk lists each poli's doctors with the places left
    order_by = "name"
    fields = [
        Field("name", _l("Name"), required=True, max_length=120),
        Field("service_id", _l("Polyclinic (service)"), kind="choice", choices=service_choices),
        Field("bpjs_code", _l("BPJS doctor code (digits, optional)"), max_length=20),
        Field("active", _l("Active"), kind="bool"),
        ScheduleField("schedules", _l("Weekly practice hours"), kind="rows"),
        LeavesField("leaves", _l("Leave days"), kind="rows"),
    ]
    columns = [
        (_l("Name"), "name"),
        (_l("Polyclinic (service)"), "service"),
        (_l("BPJS code"), "bpjs_code"),
        (_l("Weekly practice hours"), "schedules"),
        (_l("Active"), "active"),
    ]

    def cell(self, obj, attribute):
        if attribute == "service":
            return obj.service.name
        if attribute == "schedules":
            return (
                ", ".join(f"{WEEKDAYS[s.weekday][:3]} {s.start}–{s.end}" for s in obj.schedules)
                or "–"
            )
        return super().cell(obj, attribute)

    def check(self, session, obj, values):
        errors = {}
        if values["bpjs_code"] and not DIGITS.match(values["bpjs_code"]):
            errors["bpjs_code"] = gettext("The BPJS code has digits only, like 1001.")
        site_id = obj.site_id if obj is not None else current_site().id
        service = session.get(Service, values["service_id"])
        if service is None or service.site_id != site_id:
            errors["service_id"] = gettext("Choose a service of this site.")
        return errors

    def assign(self, session, obj, values):
        for name in ("name", "service_id", "bpjs_code", "active"):
            setattr(obj, name, values[name])
        # The old rows go first: (doctor, weekday, start) and (doctor, day) are unique.
        obj.schedules, obj.leaves = [], []
        session.flush()
        obj.schedules = [DoctorSchedule(**s) for s in values["schedules"]]
        obj.leaves = [DoctorLeave(**leave) for leave in values["leaves"]]

    def audit_value(self, value):
        if isinstance(value, list) and value and isinstance(value[0], DoctorSchedule):
            return [f"{s.weekday} {s.start}-{s.end} {s.capacity}/{s.quota_jkn}" for s in value]
        if isinstance(value, list) and value and isinstance(value[0], DoctorLeave):
            return [f"{leave.day.isoformat()} {leave.note}".strip() for leave in value]
        return super().audit_value(value)


register(Doctors())
