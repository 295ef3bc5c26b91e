"""What a kiosk offers with a poli, as data: doctors' sessions not yet ended, where the ticket
queues first per payer, and whether the payer is asked (no Flask)."""

from __future__ import annotations

from datetime import date

from shared.models import DoctorSchedule
from shared.queue.poli_choices import choices_by_service
from tests.hospital import build_hospital

MONDAY = date(2026, 11, 23)


def test_a_poli_offers_the_sessions_not_yet_ended_and_its_first_steps(session, factory):
    rs = build_hospital(factory)
    rs.doctor.schedules.append(
        DoctorSchedule(weekday=0, start="07:00", end="10:00", capacity=10, quota_jkn=8)
    )
    session.flush()
    services = [rs.reg_jkn, rs.poli, rs.cashier]
    morning = choices_by_service(session, rs.site.id, services, MONDAY, "09:30")
    assert [d["session"] for d in morning[rs.poli.id]["doctors"]] == ["00:00–23:59", "07:00–10:00"]
    assert morning[rs.poli.id]["asks_payer"] is True
    assert morning[rs.poli.id]["first_step"]["umum"]["service_id"] == rs.reg_umum.id
    assert set(morning) == {rs.poli.id, rs.cashier.id}  # registration is where visits start
    # The cashier is a later step too: chosen at a kiosk, it queues first at registration.
    firsts = morning[rs.cashier.id]["first_step"]
    assert (firsts["jkn"]["service_id"], firsts["umum"]["service_id"]) == (
        rs.reg_jkn.id,
        rs.reg_umum.id,
    )
    assert "doctors" not in morning[rs.cashier.id]
    assert morning[rs.cashier.id]["asks_payer"] is True

    later = choices_by_service(session, rs.site.id, services, MONDAY, "10:00")
    assert [d["session"] for d in later[rs.poli.id]["doctors"]] == ["00:00–23:59"]


def test_a_site_without_pathways_or_doctors_adds_nothing(session, factory):
    service = factory.service()
    assert choices_by_service(session, service.site_id, [service], MONDAY, "09:00") == {}
