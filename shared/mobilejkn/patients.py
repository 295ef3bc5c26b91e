"""New patients registered by Mobile JKN (``pasienbaru``) and finding a patient by card number.

Antre is not the hospital's medical-record system: it keeps only the card number, the NIK and the
number it gave (``norm``); the name, address and the rest of the form are for the admission desk
to take from the patient, so they are validated and then dropped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.health import identifiers
from shared.mobilejkn.errors import Refused
from shared.models import JknPatient, Site

NORM_PREFIX = "JKN"


def check_card(value: str, *, required: bool = True) -> str | None:
    """The same rule as the clerk's (shared/health/identifiers.py), refused in BPJS's words."""
    value = str(value or "").strip()
    if not value and not required:
        return None
    try:
        return identifiers.check_card_number(value)
    except identifiers.InvalidIdentifier:
        raise Refused("Format Nomor Kartu Tidak Sesuai (13 digit angka)") from None


def check_nik(value: str) -> str:
    value = str(value or "").strip()
    try:
        return identifiers.check_nik(value)
    except identifiers.InvalidIdentifier:
        raise Refused("Format NIK Tidak Sesuai (16 digit angka)") from None


def check_norm(value) -> str | None:
    value = str(value or "").strip()
    if not value:
        return None
    try:
        return identifiers.check_medical_record(value)
    except identifiers.InvalidIdentifier:
        raise Refused("Format No. Rekam Medis Tidak Sesuai") from None


def find_patient(session: Session, site: Site, card_number: str | None) -> JknPatient | None:
    if not card_number:
        return None
    return session.execute(
        select(JknPatient).where(
            JknPatient.site_id == site.id, JknPatient.card_number == card_number
        )
    ).scalar_one_or_none()


def register_new_patient(
    session: Session, site: Site, fields: dict, *, now: datetime | None = None
) -> JknPatient:
    """A medical-record number for a patient BPJS says is new here (fields: BPJS's names)."""
    now = now or timeutil.now_utc()
    card = check_card(fields.get("nomorkartu", ""))
    nik = check_nik(fields.get("nik", ""))
    for name, label in (
        ("nama", "Nama"),
        ("tanggallahir", "Tanggal Lahir"),
        ("jeniskelamin", "Jenis Kelamin"),
    ):
        if not str(fields.get(name) or "").strip():
            raise Refused(f"{label} Belum Diisi")
    if str(fields["jeniskelamin"]).strip().upper() not in ("L", "P"):
        raise Refused("Jenis Kelamin Tidak Sesuai (L atau P)")
    try:
        born = datetime.strptime(str(fields["tanggallahir"]).strip(), "%Y-%m-%d").date()
    except ValueError:
        raise Refused(
            "Format Tanggal Lahir Tidak Sesuai, format yang benar adalah yyyy-mm-dd"
        ) from None
    if born > timeutil.business_date(now, site.timezone):
        raise Refused("Tanggal Lahir Tidak Sesuai")
    if find_patient(session, site, card) is not None:
        raise Refused("Data Peserta Sudah Pernah Dientrikan")
    today = timeutil.business_date(now, site.timezone)
    patient = JknPatient(
        site_id=site.id,
        card_number=card,
        nik=nik,
        medical_record="-",
        created_at=now,
        erase_after=today + timedelta(days=site.booking_horizon_days + site.booking_retention_days),
    )
    session.add(patient)
    session.flush()
    patient.medical_record = f"{NORM_PREFIX}{patient.id:06d}"
    session.flush()
    return patient
