"""The words on a site's screens follow its kind: an MPP says instansi, loket and orang; the
RSUD of the demo says poli, ruang and pasien (shared/web/vocabulary.py)."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from shared.models import Display, Service, Site
from shared.queue import issue_ticket


def _kiosk_strings(page) -> dict:
    found = re.search(r'id="kiosk-strings">(.*?)</script>', page.text, re.S)
    return json.loads(found.group(1))


def test_a_hospital_kiosk_speaks_of_poli_and_patients(client):
    page = client.get("/kiosk/?site=rsud-sts&lang=id")
    assert page.status_code == 200
    assert "RSUD Sultan Thaha Saifuddin" in page.text
    assert "Pilih poli atau unit" in page.text
    assert "pasien di depan Anda" in page.text
    assert _kiosk_strings(page)["waiting"] == "{n} pasien menunggu"
    assert "instansi" not in page.text.lower() and "orang di depan" not in page.text


def test_an_mpp_kiosk_speaks_of_agencies_and_people(client):
    page = client.get("/kiosk/?site=mpp-tebo&lang=id")
    assert page.status_code == 200
    assert "MPP Kabupaten Tebo" in page.text
    assert "Pilih instansi" in page.text
    assert "orang di depan Anda" in page.text
    assert _kiosk_strings(page)["waiting"] == "{n} menunggu"
    assert not re.search(r"\b(poli|pasien)\b", page.text, re.I)


def test_the_words_are_english_in_english(client):
    hospital = client.get("/kiosk/?site=rsud-sts&lang=en")
    assert "Choose a polyclinic or unit" in hospital.text
    assert "patients ahead of you" in hospital.text
    mpp = client.get("/kiosk/?site=mpp-tebo&lang=en")
    assert "Choose an agency" in mpp.text and "people ahead of you" in mpp.text


def _display(session, slug: str) -> int:
    site = session.execute(select(Site).where(Site.slug == slug)).scalar_one()
    found = (
        session.execute(select(Display.id).where(Display.site_id == site.id).order_by(Display.id))
        .scalars()
        .first()
    )
    session.rollback()  # no read transaction left open on the app's SQLite file
    return found


def test_the_tv_names_rooms_at_a_hospital_and_counters_at_the_mpp(client, app_session):
    hospital = client.get(f"/display/zone/{_display(app_session, 'rsud-sts')}?lang=id")
    assert 'data-t-counter="Ruang"' in hospital.text
    assert re.search(r'id="mall-mark" class="tv-mark">RS<', hospital.text)
    mpp = client.get(f"/display/zone/{_display(app_session, 'mpp-tebo')}?lang=id")
    assert 'data-t-counter="Loket"' in mpp.text
    assert re.search(r'id="mall-mark" class="tv-mark">MPP<', mpp.text)


def test_a_patients_ticket_page_counts_patients_ahead(client, app_session):
    def ticket_at(slug: str, code: str) -> str:
        site = app_session.execute(select(Site).where(Site.slug == slug)).scalar_one()
        service = app_session.execute(
            select(Service).where(Service.site_id == site.id, Service.code == code)
        ).scalar_one()
        ticket = issue_ticket(app_session, service.id, source="counter")
        app_session.commit()
        return ticket.code

    hospital = client.get(f"/t/{ticket_at('rsud-sts', 'ANA')}?lang=id")
    assert hospital.status_code == 200
    assert "pasien di depan Anda" in hospital.text and 'data-t-counter="Ruang"' in hospital.text
    mpp = client.get(f"/t/{ticket_at('mpp-tebo', 'KTP')}?lang=id")
    assert "orang di depan Anda" in mpp.text and 'data-t-counter="Loket"' in mpp.text
