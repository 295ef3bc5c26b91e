"""The demo's RSUD and puskesmas: polis, doctors and rooms, pathways, targets and staff as the
issue describes them, and a patient who walks the RSUD's pathway from the kiosk to the cashier."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from shared import queue
from shared.models import Counter, Doctor, Pathway, Service, Site, StaffUser
from shared.queue import doctors
from shared.seed import seed_demo

MONDAY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 WIB
SUNDAY = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


@pytest.fixture
def demo(session):
    seed_demo(session)
    session.commit()
    return session


def _site(session, slug: str) -> Site:
    return session.execute(select(Site).where(Site.slug == slug)).scalar_one()


def _services(session, site: Site) -> dict[str, Service]:
    rows = session.execute(select(Service).where(Service.site_id == site.id)).scalars()
    return {s.code: s for s in rows}


def test_the_rsud_has_its_polis_doctors_rooms_and_targets(demo):
    site = _site(demo, "rsud-sts")
    services = _services(demo, site)
    assert services["RS-JKN"].payer == "jkn" and services["RS-UMUM"].payer == "umum"
    assert services["RS-BAYAR"].payer == "umum"
    targets = {code: services[code].wait_target_minutes for code in services}
    assert targets["INT"] == targets["ANA"] == targets["RS-RACIK"] == 60
    assert targets["RS-NONRACIK"] == 30
    found = demo.execute(select(Doctor).where(Doctor.site_id == site.id)).scalars().all()
    by_code = {d.bpjs_code: d for d in found}
    assert {by_code["1001"].service.code, by_code["1002"].service.code} == {"INT", "ANA"}
    for doctor in found:
        assert [s.weekday for s in doctor.schedules] == [0, 1, 2, 3, 4, 5]
        assert {(s.start, s.end, s.capacity, s.quota_jkn) for s in doctor.schedules} == {
            ("08:00", "12:00", 30, 24)
        }
        room = demo.execute(select(Counter).where(Counter.doctor_id == doctor.id)).scalar_one()
        assert room.services == [doctor.service]
    assert doctors.sessions_for_day(demo, services["INT"], SUNDAY.date()) == []


def test_the_rsud_pathway_and_staff(demo):
    site = _site(demo, "rsud-sts")
    pathway = demo.execute(select(Pathway).where(Pathway.site_id == site.id)).scalar_one()
    assert pathway.name == "Rawat Jalan"
    steps = [
        (s.name, s.stage, s.payer, s.optional, [x.code for x in s.services]) for s in pathway.steps
    ]
    assert steps == [
        ("Pendaftaran", "registration", None, False, ["RS-JKN", "RS-UMUM"]),
        ("Poli", "poli", None, False, ["INT", "ANA"]),
        ("Farmasi", "pharmacy", None, True, ["RS-NONRACIK", "RS-RACIK"]),
        ("Kasir", "cashier", "umum", False, ["RS-BAYAR"]),
    ]
    staff = demo.execute(select(StaffUser).where(StaffUser.site_id == site.id)).scalars()
    roles = {u.username: (u.role, u.agency.short_name) for u in staff}
    assert roles == {
        "pendaftaran1": ("clerk", "Pendaftaran"),
        "poliint1": ("clerk", "Penyakit Dalam"),
        "polianak1": ("clerk", "Anak"),
        "farmasi1": ("clerk", "Farmasi"),
        "kasir1": ("clerk", "Kasir"),
        "spv.rsud": ("supervisor", "Pendaftaran"),
    }


def _serve(session, site: Site, ticket, **finish):
    rooms = session.execute(select(Counter).where(Counter.site_id == site.id)).scalars()
    counter = next(c for c in rooms if ticket.service in c.services)
    called = queue.call_next(session, counter, now=MONDAY)
    assert called.id == ticket.id
    queue.start_ticket(session, called, now=MONDAY)
    queue.finish_ticket(session, called, now=MONDAY, **finish)
    return max(called.visit.tickets, key=lambda t: t.id)


def test_an_umum_patient_walks_the_rsud_pathway(demo):
    site = _site(demo, "rsud-sts")
    services = _services(demo, site)
    ticket = queue.issue_ticket(demo, services["ANA"].id, payer="umum", now=MONDAY)
    assert ticket.service.code == "RS-UMUM"
    poli = _serve(demo, site, ticket)
    assert poli.service.code == "ANA" and poli.display_number == "D-001"
    assert poli.doctor_session.doctor.bpjs_code == "1002"
    assert poli.visit.doctor_session.quota_nonjkn_left == 5
    pharmacy = _serve(demo, site, poli, prescription="racikan")
    assert pharmacy.service.code == "RS-RACIK"
    cashier = _serve(demo, site, pharmacy)
    assert cashier.service.code == "RS-BAYAR"
    last = _serve(demo, site, cashier)
    assert last.id == cashier.id and last.status == "done"


def test_the_puskesmas_path_and_priority_ratio(demo):
    site = _site(demo, "pkm-muaro-tebo")
    assert set(site.priority_codes) == {"lansia", "ibu_hamil", "disabilitas"}
    services = _services(demo, site)
    assert {"PKM-UMUM", "PKM-GIGI", "PKM-KIA"} <= set(services)
    pathway = demo.execute(select(Pathway).where(Pathway.site_id == site.id)).scalar_one()
    assert [s.stage for s in pathway.steps] == ["registration", "poli"]
    assert services["PKM-DAFTAR"].priority_ratio == 2  # one priority after two regular
    ticket = queue.issue_ticket(demo, services["PKM-GIGI"].id, priority="lansia", now=MONDAY)
    assert ticket.service.code == "PKM-DAFTAR" and ticket.priority == "lansia"
    poli = _serve(demo, site, ticket)
    assert poli.service.code == "PKM-GIGI"
    assert _serve(demo, site, poli).id == poli.id  # registration → poli, then done


def test_seeding_twice_changes_nothing(demo):
    assert seed_demo(demo) is False
