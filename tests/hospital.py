"""A small test hospital: registration (JKN, umum) → poli with a doctor → pharmacy → cashier."""

from __future__ import annotations

from dataclasses import dataclass

from shared.models import Doctor, DoctorSchedule, Pathway, PathwayStep, Service, Site
from tests.factories import Factory


@dataclass
class Hospital:
    site: Site
    pathway: Pathway
    reg_jkn: Service
    reg_umum: Service
    poli: Service
    doctor: Doctor
    non_racikan: Service
    racikan: Service
    cashier: Service


def build_hospital(factory: Factory, *, capacity: int = 30, quota_jkn: int = 24) -> Hospital:
    """Every day 00:00–23:59 so tests run at any hour; one doctor seeing ``capacity`` a day."""
    site = factory.site(kind="hospital", name="RSUD Uji")
    registration = factory.agency("Pendaftaran", site=site)
    clinics = factory.agency("Poli", site=site)
    pharmacy = factory.agency("Farmasi", site=site)
    cash = factory.agency("Kasir", site=site)
    reg_jkn = factory.service(registration, payer="jkn")
    reg_umum = factory.service(registration, payer="umum")
    poli = factory.service(clinics, wait_target_minutes=60)
    non_racikan = factory.service(pharmacy, wait_target_minutes=30)
    racikan = factory.service(pharmacy, wait_target_minutes=60)
    cashier = factory.service(cash)
    for service in (reg_jkn, reg_umum, poli, non_racikan, racikan, cashier):
        factory.counter([service])
    doctor = Doctor(site_id=site.id, service=poli, name="dr. Uji, Sp.PD", bpjs_code="1001")
    doctor.schedules = [
        DoctorSchedule(
            weekday=d, start="00:00", end="23:59", capacity=capacity, quota_jkn=quota_jkn
        )
        for d in range(7)
    ]
    pathway = Pathway(site_id=site.id, name="Rawat jalan")
    pathway.steps = [
        PathwayStep(
            position=1, name="Pendaftaran", stage="registration", services=[reg_jkn, reg_umum]
        ),
        PathwayStep(position=2, name="Poli", stage="poli", services=[poli]),
        PathwayStep(
            position=3,
            name="Farmasi",
            stage="pharmacy",
            optional=True,
            services=[non_racikan, racikan],
        ),
        PathwayStep(position=4, name="Kasir", stage="cashier", payer="umum", services=[cashier]),
    ]
    factory.session.add_all([doctor, pathway])
    factory.session.flush()
    return Hospital(site, pathway, reg_jkn, reg_umum, poli, doctor, non_racikan, racikan, cashier)
