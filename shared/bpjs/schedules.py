"""``jadwaldokter``: BPJS's doctor schedules of a poli on a day, into our schedules and sessions.

What is mapped, for each entry that is not a day off (``libur`` 0) and whose ``kodedokter`` is a
doctor of the site (Doctor.bpjs_code) at the poli whose ``kodepoli`` is Service.bpjs_code:
- ``jadwal`` "08:00 - 12:00" → the weekday's DoctorSchedule start/end (found by its start, or
  added), ``kapasitaspasien`` → its capacity, the JKN quota kept in the same proportion as before
  (80 % for a new row, the deployments' usual split);
- the day's DoctorSession, if already made, gets the same hours and quotas (never below the
  places already taken).
Unknown doctor codes and days off are reported, not created or changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.bpjs import client
from shared.models import Doctor, DoctorSchedule, DoctorSession, Service

JKN_SHARE = 0.8


@dataclass
class Pulled:
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _hours(jadwal: str) -> tuple[str, str] | None:
    parts = [part.strip() for part in str(jadwal).split("-")]
    if len(parts) != 2 or not all(len(p) == 5 and p[2] == ":" for p in parts):
        return None
    return parts[0], parts[1]


def _quota(capacity: int, old_capacity: int, old_jkn: int) -> int:
    share = old_jkn / old_capacity if old_capacity else JKN_SHARE
    return min(capacity, round(capacity * share))


def apply_schedules(session: Session, poli: Service, day: date, entries: list[dict]) -> Pulled:
    pulled = Pulled()
    doctors = {
        d.bpjs_code: d
        for d in session.execute(
            select(Doctor).where(Doctor.service_id == poli.id, Doctor.bpjs_code != "")
        ).scalars()
    }
    for entry in entries:
        code = str(entry.get("kodedokter", ""))
        doctor = doctors.get(code)
        hours = _hours(entry.get("jadwal", ""))
        if doctor is None or hours is None or int(entry.get("libur") or 0):
            pulled.skipped.append(f"{code} {entry.get('jadwal', '')}")
            continue
        start, end = hours
        capacity = int(entry.get("kapasitaspasien") or 0)
        row = next(
            (s for s in doctor.schedules if s.weekday == day.weekday() and s.start == start), None
        )
        if row is None:
            row = DoctorSchedule(weekday=day.weekday(), start=start, capacity=0, quota_jkn=0)
            doctor.schedules.append(row)
        row.quota_jkn = _quota(capacity, row.capacity, row.quota_jkn)
        row.end, row.capacity = end, capacity
        made = session.execute(
            select(DoctorSession).where(
                DoctorSession.doctor_id == doctor.id,
                DoctorSession.day == day,
                DoctorSession.start == start,
            )
        ).scalar()
        if made is not None:
            made.end = end
            made.quota_jkn = max(made.taken_jkn, row.quota_jkn)
            made.quota_nonjkn = max(made.taken_nonjkn, capacity - row.quota_jkn)
        pulled.updated.append(f"{doctor.name} {start}-{end} ({capacity})")
    session.flush()
    return pulled


def pull_schedules(
    session: Session, credentials: client.Credentials, poli: Service, day: date
) -> Pulled:
    path = f"jadwaldokter/kodepoli/{poli.bpjs_code}/tanggal/{day.isoformat()}"
    answer = client.call(credentials, "GET", path)
    entries = answer.response if isinstance(answer.response, list) else []
    return apply_schedules(session, poli, day, entries)
