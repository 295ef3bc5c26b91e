"""The health sites' part of ``antre seed-demo``: service settings (payer, waiting target,
priority ratio), doctors with their weekly sessions, pathways, and a site's own staff list.

Every piece is data of the site spec (shared/demo_rsud.py, shared/demo_sites.py); a spec without
it gets nothing from here. Created once: running it again changes nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.accounts import DEMO_PASSWORD, create_user, find_user
from shared.models import (
    Agency,
    Counter,
    Doctor,
    DoctorSchedule,
    Pathway,
    PathwayStep,
    Service,
    Site,
    StaffUser,
)
from shared.queue.targets import apply_default_targets


def _services(session: Session, site: Site) -> dict[str, Service]:
    rows = session.execute(select(Service).where(Service.site_id == site.id)).scalars()
    return {s.code: s for s in rows}


def _counters(session: Session, site: Site) -> dict[int, Counter]:
    rows = session.execute(select(Counter).where(Counter.site_id == site.id)).scalars()
    return {c.number: c for c in rows}


def seed_health(session: Session, site: Site, spec: dict, open_counters: bool) -> bool:
    """What the spec adds to a site after its agencies, services and counters exist."""
    created = False
    if spec.get("priority_codes") and not site.priority_codes:
        site.priority_codes = list(spec["priority_codes"])
        created = True
    services = _services(session, site)
    for code, settings in spec.get("service_settings", {}).items():
        service = services[code]
        for name, value in settings.items():
            if getattr(service, name) is None or name == "priority_ratio":
                created |= getattr(service, name) != value
                setattr(service, name, value)
    created |= _seed_doctors(session, site, spec.get("doctors", []), services)
    created |= _seed_pathways(session, site, spec.get("pathways", []), services)
    created |= _seed_staff(session, site, spec.get("staff", []), open_counters)
    session.flush()
    return created


def _seed_doctors(session: Session, site: Site, doctors: list, services: dict) -> bool:
    created = False
    counters = _counters(session, site)
    for code, name, bpjs_code, room, weekdays, start, end, capacity, quota_jkn in doctors:
        # The demo's poli codes are BPJS poli codes (INT, ANA): mapped for the BPJS bridge.
        services[code].bpjs_code = services[code].bpjs_code or code
        stmt = select(Doctor).where(Doctor.site_id == site.id, Doctor.bpjs_code == bpjs_code)
        if session.execute(stmt).scalar_one_or_none() is not None:
            continue
        doctor = Doctor(site_id=site.id, service=services[code], name=name, bpjs_code=bpjs_code)
        doctor.schedules = [
            DoctorSchedule(
                weekday=day, start=start, end=end, capacity=capacity, quota_jkn=quota_jkn
            )
            for day in weekdays
        ]
        session.add(doctor)
        session.flush()
        counters[room].doctor_id = doctor.id  # the consulting room calls this doctor's queue
        created = True
    return created


def _seed_pathways(session: Session, site: Site, pathways: list, services: dict) -> bool:
    created = False
    for name, steps in pathways:
        stmt = select(Pathway).where(Pathway.site_id == site.id, Pathway.name == name)
        if session.execute(stmt).scalar_one_or_none() is not None:
            continue
        pathway = Pathway(site_id=site.id, name=name)
        pathway.steps = [
            PathwayStep(
                position=position,
                name=step_name,
                stage=stage,
                payer=payer,
                optional=optional,
                services=[services[c] for c in codes],
            )
            for position, step_name, stage, payer, optional, codes in steps
        ]
        session.add(pathway)
        apply_default_targets(pathway)  # Kepmenkes 129/2008 where the demo set none
        created = True
    return created


def _seed_staff(session: Session, site: Site, staff: list, open_counters: bool) -> bool:
    created = False
    agencies = {
        a.short_name: a
        for a in session.execute(select(Agency).where(Agency.site_id == site.id)).scalars()
    }
    counters = _counters(session, site)
    for username, role, short, room in staff:
        if find_user(session, username) is not None:
            continue
        agency = agencies[short]
        title = "Supervisor" if role == StaffUser.SUPERVISOR else "Petugas"
        user = create_user(
            session,
            username,
            DEMO_PASSWORD,
            name=f"{title} {short}",
            role=role,
            agency_id=agency.id,
            demo_seed=True,
        )
        if room is not None and open_counters and counters[room].status == Counter.OPEN:
            counters[room].clerk_id = user.id
        created = True
    return created
