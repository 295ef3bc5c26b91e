"""Doctors' sessions: today's sessions of a poli, their places left, and taking a place.

A session row is made from the weekly schedule the first time anyone asks for that day, and
from then on it is its own: changing the schedule does not move places already taken. Taking a
place is one conditional UPDATE … RETURNING, so the last JKN place goes to exactly one visit on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload

from shared.db import is_postgres
from shared.models import Doctor, DoctorLeave, DoctorSchedule, DoctorSession, Service
from shared.queue import errors

JKN, UMUM = "jkn", "umum"


class SessionFull(errors.DomainError):
    status = 409
    code = "session_full"
    message = errors.N_("No places are left in this doctor's session. Choose another session.")


def _ensure_rows(session: Session, rows: list[dict]) -> None:
    if not rows:
        return
    insert = pg_insert if is_postgres(session) else sqlite_insert
    stmt = insert(DoctorSession).values(rows)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["doctor_id", "day", "start"]))


def sessions_for_day(session: Session, service: Service, day: date) -> list[DoctorSession]:
    """The poli's doctor sessions on ``day`` (doctors on leave have none), by start time."""
    return sessions_for_services(session, [service], day).get(service.id, [])


def sessions_for_services(
    session: Session, services: list[Service], day: date
) -> dict[int, list[DoctorSession]]:
    """``{service id: its sessions on day}`` for the services that have doctors, in a fixed
    number of statements however many services are asked (the kiosk's hot service list)."""
    service_ids = [s.id for s in services]
    if not service_ids:
        return {}
    doctors = session.execute(
        select(Doctor).where(Doctor.service_id.in_(service_ids), Doctor.active.is_(True))
    ).scalars()
    by_id = {d.id: d for d in doctors}
    if not by_id:
        return {}
    on_leave = set(
        session.execute(
            select(DoctorLeave.doctor_id).where(
                DoctorLeave.doctor_id.in_(list(by_id)), DoctorLeave.day == day
            )
        ).scalars()
    )
    schedules = session.execute(
        select(DoctorSchedule).where(
            DoctorSchedule.doctor_id.in_(list(by_id)), DoctorSchedule.weekday == day.weekday()
        )
    ).scalars()
    wanted = [s for s in schedules if s.doctor_id not in on_leave]
    stmt = (
        select(DoctorSession)
        .where(DoctorSession.service_id.in_(service_ids), DoctorSession.day == day)
        .where(DoctorSession.doctor_id.not_in(on_leave) if on_leave else True)
        .order_by(DoctorSession.start, DoctorSession.id)
        .options(joinedload(DoctorSession.doctor))  # session_json names the doctor
    )
    found = list(session.execute(stmt).scalars())
    made = {(s.doctor_id, s.start) for s in found}
    missing = [s for s in wanted if (s.doctor_id, s.start) not in made]
    if missing:  # the first ask of the day: make the rows, then read them all again
        _ensure_rows(
            session,
            [
                {
                    "doctor_id": s.doctor_id,
                    "service_id": by_id[s.doctor_id].service_id,
                    "day": day,
                    "start": s.start,
                    "end": s.end,
                    "quota_jkn": min(s.quota_jkn, s.capacity),
                    "quota_nonjkn": max(0, s.capacity - s.quota_jkn),
                    "taken_jkn": 0,
                    "taken_nonjkn": 0,
                    "last_number": 0,
                }
                for s in missing
            ],
        )
        found = list(session.execute(stmt).scalars())
    grouped: dict[int, list[DoctorSession]] = {}
    for row in found:
        grouped.setdefault(row.service_id, []).append(row)
    return grouped


def places_left(doctor_session: DoctorSession, payer: str | None) -> int:
    if payer == JKN:
        return doctor_session.quota_jkn_left
    return doctor_session.quota_nonjkn_left


def take_place(
    session: Session, doctor_session: DoctorSession, payer: str | None, *, numbered: bool = True
) -> int:
    """Take one place of ``payer``'s quota; the visit's number in the session, or SessionFull.

    A booking holds a place without a number (``numbered`` False): it gets its number when it
    checks in (:func:`number_held_place`), so numbers follow arrival and have no gaps.
    """
    bump = {DoctorSession.last_number: DoctorSession.last_number + 1} if numbered else {}
    taken, quota = (
        (DoctorSession.taken_jkn, DoctorSession.quota_jkn)
        if payer == JKN
        else (DoctorSession.taken_nonjkn, DoctorSession.quota_nonjkn)
    )
    number = session.execute(
        update(DoctorSession)
        .where(DoctorSession.id == doctor_session.id, taken < quota)
        .values({taken: taken + 1, **bump})
        .returning(DoctorSession.last_number)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if number is None:
        raise SessionFull()
    session.refresh(doctor_session)
    return number


def release_place(session: Session, doctor_session: DoctorSession, payer: str | None) -> None:
    """Give a place back (the visit moved to another doctor); its number is not given again."""
    taken = DoctorSession.taken_jkn if payer == JKN else DoctorSession.taken_nonjkn
    session.execute(
        update(DoctorSession)
        .where(DoctorSession.id == doctor_session.id, taken > 0)
        .values({taken: taken - 1})
        .execution_options(synchronize_session=False)
    )
    session.refresh(doctor_session)


def number_held_place(session: Session, doctor_session: DoctorSession) -> int:
    """The next number of the session for a visit whose place is already held (a booking)."""
    number = session.execute(
        update(DoctorSession)
        .where(DoctorSession.id == doctor_session.id)
        .values({DoctorSession.last_number: DoctorSession.last_number + 1})
        .returning(DoctorSession.last_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    session.refresh(doctor_session)
    return number


def first_with_room(
    session: Session, service: Service, day: date, payer: str | None
) -> DoctorSession | None:
    """The earliest session of the day that still has a place for ``payer``."""
    for candidate in sessions_for_day(session, service, day):
        if places_left(candidate, payer) > 0:
            return candidate
    return None


def session_json(doctor_session: DoctorSession) -> dict:
    """What the kiosk and the booking page show of a session: no one's personal data."""
    return {
        "id": doctor_session.id,
        "name": doctor_session.doctor.name,
        "bpjs_code": doctor_session.doctor.bpjs_code,
        "session": doctor_session.label,
        "quota_jkn_left": doctor_session.quota_jkn_left,
        "quota_nonjkn_left": doctor_session.quota_nonjkn_left,
    }


def doctors_json(session: Session, service: Service, day: date) -> list[dict]:
    return [session_json(s) for s in sessions_for_day(session, service, day)]
