"""BPJS poli and doctor codes → Antre's services and doctors' sessions.

The poli code is the service's ``bpjs_code`` where the site maps one, else its own ``code``
(the demo RSUD's polis are INT and ANA, BPJS's codes); the doctor code is ``Doctor.bpjs_code``.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.mobilejkn.errors import Refused
from shared.models import Doctor, DoctorSession, Service, Site
from shared.queue import doctors

_HOURS = re.compile(r"^\s*(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})\s*$")


def poli_code(service: Service) -> str:
    return (service.bpjs_code or service.code or "").upper()


def find_poli(session: Session, site: Site, code: str) -> Service:
    """The site's active poli (a service with doctors) of BPJS code ``code``, or Refused."""
    wanted = str(code or "").strip().upper()
    services = session.execute(
        select(Service).where(Service.site_id == site.id, Service.active.is_(True))
    ).scalars()
    for service in services:
        if wanted and poli_code(service) == wanted:
            return service
    raise Refused("Poli Tidak Ditemukan")


def find_session(
    session: Session, service: Service, doctor_code: str, day: date, hours: str | None
) -> DoctorSession:
    """The doctor's session that day (at ``hours`` "08:00-12:00" when given), or Refused."""
    doctor = session.execute(
        select(Doctor).where(
            Doctor.service_id == service.id,
            Doctor.bpjs_code == str(doctor_code or "").strip(),
            Doctor.active.is_(True),
        )
    ).scalar_one_or_none()
    if doctor is None:
        raise Refused("Dokter Tidak Ditemukan")
    wanted = _HOURS.match(str(hours or ""))
    for candidate in doctors.sessions_for_day(session, service, day):
        if candidate.doctor_id != doctor.id:
            continue
        if wanted is None or (candidate.start, candidate.end) == wanted.groups():
            return candidate
    raise Refused(
        "Jadwal Dokter Tersebut Belum Tersedia, Silahkan Reschedule Tanggal dan Jam Praktek Lainnya"
    )


def practice_hours(doctor_session: DoctorSession) -> str:
    return f"{doctor_session.start}-{doctor_session.end}"


def quotas_json(doctor_session: DoctorSession) -> dict:
    return {
        "sisakuotajkn": doctor_session.quota_jkn_left,
        "kuotajkn": doctor_session.quota_jkn,
        "sisakuotanonjkn": doctor_session.quota_nonjkn_left,
        "kuotanonjkn": doctor_session.quota_nonjkn,
    }
