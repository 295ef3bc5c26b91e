"""Administration: validation messages, supervisors' scope, audit, live reload, tokens, media."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from sqlalchemy import select

from shared import events
from shared.models import AuditLog, Display, Kiosk, Service, StaffUser
from shared.queue import publishing
from tests.counter.conftest import agency_by_short, csrf_of
from tests.counter.test_images import png

PNG = png()  # a real one: uploads are judged by their content


def form_of(client, path):
    page = client.get(path).get_data(as_text=True)
    return {"csrf_token": csrf_of(client, path)}, page


def service_form(agency_id, **override):
    form = {
        "agency_id": str(agency_id),
        "code": "UJI",
        "name": "Layanan Uji",
        "prefix": "XY",
        "daily_quota": "",
        "avg_service_minutes": "7",
        "priority_ratio": "2",
        "recall_limit": "2",
        "transfer_placement": "front",
        "booking_placement": "front",
        "cost": "Gratis",
        "display_order": "9",
        "active": "1",
        **{f"opening_hours_{d}": "" for d in range(7)},
    }
    form.update(override)
    return form


def mall_seq(db, site_id: int | None = None):
    """The seq of a site's room on the TVs' namespace (the demo's MPP when none is named)."""
    site_id = site_id or agency_by_short(db, "Dukcapil").site_id
    room = publishing.site_room(site_id)
    return events.room_seqs(db, "/display", [room])[room]


def test_admin_creates_a_service_audited_and_kiosks_reload(staff, db):
    admin = staff("admin")
    token, _ = form_of(admin, "/counter/admin/services/new")
    before = mall_seq(db)
    samsat = agency_by_short(db, "Samsat")
    answer = admin.post("/counter/admin/services/new", data={**token, **service_form(samsat.id)})
    assert answer.status_code == 302
    created = db.execute(select(Service).where(Service.code == "UJI")).scalar_one()
    assert created.agency_id == samsat.id and created.daily_quota is None
    entry = db.execute(select(AuditLog).where(AuditLog.action == "services.create")).scalar_one()
    assert entry.details["changes"]["prefix"] == [None, "XY"]
    assert mall_seq(db) == before + 1


def test_validation_messages_are_clear_and_in_indonesian(staff, db):
    admin = staff("admin")
    token, _ = form_of(admin, "/counter/admin/services/new")
    samsat = agency_by_short(db, "Samsat").id
    taken = service_form(samsat, prefix="A")  # Dukcapil's KTP
    answer = admin.post("/counter/admin/services/new", data={**token, **taken})
    assert answer.status_code == 422
    assert "Prefiks ini sudah dipakai layanan lain." in answer.get_data(as_text=True)
    bad = service_form(samsat, recall_limit="banyak", opening_hours_0="8 pagi")
    answer = admin.post("/counter/admin/services/new", data={**token, **bad})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Tulis bilangan bulat." in page
    assert "Senin: tulis jam seperti 08:00-15:00." in page


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("Layanan\x00Uji", "Nama berisi karakter kontrol (seperti NUL)."),
        ("\u202eKCOL", "Nama berisi karakter pengatur arah teks."),
        ("A\u2067B\u2069", "Nama berisi karakter pengatur arah teks."),
        ("\u200b\u200d\ufeff", "Nama tidak berisi karakter yang terlihat."),
    ],
)
def test_names_refuse_control_bidi_and_invisible_text(staff, db, name, says):
    """The TV showed a counter named "KCOL" (after U+202E) as "LOCK"."""
    admin = staff("admin")
    token, _ = form_of(admin, "/counter/admin/services/new")
    form = service_form(agency_by_short(db, "Samsat").id, name=name)
    answer = admin.post("/counter/admin/services/new", data={**token, **form})
    assert answer.status_code == 422
    assert says in answer.get_data(as_text=True)
    assert db.execute(select(Service).where(Service.code == "UJI")).first() is None


def test_names_are_stored_nfc_and_trimmed(staff, db):
    admin = staff("admin")
    token, _ = form_of(admin, "/counter/admin/services/new")
    typed = " \u200bPe\u0301n\u200bdaftaran\u200b "
    form = service_form(agency_by_short(db, "Samsat").id, name=typed)
    assert admin.post("/counter/admin/services/new", data={**token, **form}).status_code == 302
    stored = db.execute(select(Service).where(Service.code == "UJI")).scalar_one().name
    assert stored == "P\u00e9n\u200bdaftaran"  # composed, trimmed; an inner zero-width space stays


def test_supervisor_edits_only_their_agencys_services(staff, db):
    spv = staff("spv.samsat")
    samsat, dukcapil = agency_by_short(db, "Samsat"), agency_by_short(db, "Dukcapil")
    own = samsat.services[0]
    token, page = form_of(spv, f"/counter/admin/services/{own.id}")
    assert f'<option value="{dukcapil.id}"' not in page  # the agency choice holds their own only
    moved = service_form(dukcapil.id, code=own.code, prefix=own.prefix)
    answer = spv.post(f"/counter/admin/services/{own.id}", data={**token, **moved})
    assert answer.status_code == 422
    kept = service_form(samsat.id, code=own.code, prefix=own.prefix, recall_limit="3")
    assert spv.post(f"/counter/admin/services/{own.id}", data={**token, **kept}).status_code == 302
    db.expire_all()
    assert db.get(Service, own.id).recall_limit == 3
    other = dukcapil.services[0].id
    assert spv.post(f"/counter/admin/services/{other}", data={**token, **kept}).status_code == 403


def test_supervisor_can_only_create_clerks_of_their_agency(staff, db):
    spv = staff("spv.samsat")
    token, _ = form_of(spv, "/counter/admin/staff/new")
    form = {
        **token,
        "username": "samsat9",
        "name": "Petugas Baru",
        "password": "jeruk-manis-99",
        "active": "1",
        "agency_id": str(agency_by_short(db, "Samsat").id),
    }
    assert spv.post("/counter/admin/staff/new", data={**form, "role": "admin"}).status_code == 422
    assert spv.post("/counter/admin/staff/new", data={**form, "role": "clerk"}).status_code == 302
    user = db.execute(select(StaffUser).where(StaffUser.username == "samsat9")).scalar_one()
    assert user.role == "clerk" and user.password_hash.startswith("$argon2")
    audit = db.execute(select(AuditLog).where(AuditLog.action == "staff.create")).scalar_one()
    assert "password" not in audit.details["changes"]


def test_kiosk_token_is_shown_once_and_stored_hashed(staff, db):
    admin = staff("admin")
    token, _ = form_of(admin, "/counter/admin/kiosks/new")
    form = {
        **token,
        "name": "Kiosk Lantai 2",
        "printer_uri": "tcp://10.0.0.5:9100",
        "paper_width": "58",
        "printer_profile": "POS-5890",
        "active": "1",
    }
    page = admin.post("/counter/admin/kiosks/new", data=form).get_data(as_text=True)
    shown = re.search(r'id="kiosk-token">([^<]+)<', page).group(1)
    kiosk = db.execute(select(Kiosk).where(Kiosk.name == "Kiosk Lantai 2")).scalar_one()
    assert kiosk.token_hash == hashlib.sha256(shown.encode()).hexdigest()
    assert shown not in admin.get(f"/counter/admin/kiosks/{kiosk.id}").get_data(as_text=True)
    rotated = admin.post(f"/counter/admin/kiosks/{kiosk.id}/token", data=token)
    new = re.search(r'id="kiosk-token">([^<]+)<', rotated.get_data(as_text=True)).group(1)
    db.expire_all()
    assert new != shown and db.get(Kiosk, kiosk.id).token_hash == token_sha(new)


def token_sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def test_a_kiosk_printer_address_is_checked_when_saved(staff, db):
    admin = staff("admin")
    token, _ = form_of(admin, "/counter/admin/kiosks/new")
    form = {**token, "name": "Kiosk Salah", "paper_width": "80", "printer_profile": "TM-T20II"}
    for bad in ("tcp//10.0.0.5:9100", "tcp://10.0.0.5?paper=60"):
        answer = admin.post("/counter/admin/kiosks/new", data={**form, "printer_uri": bad})
        assert answer.status_code == 422
        assert "Alamat printer ini tidak valid" in answer.get_data(as_text=True)
    assert db.execute(select(Kiosk).where(Kiosk.name == "Kiosk Salah")).first() is None


def test_display_media_accepts_images_and_videos_only(staff, db, app, tmp_path):
    admin = staff("admin")
    display = db.execute(select(Display)).scalars().first()
    token, _ = form_of(admin, f"/counter/admin/displays/{display.id}")
    url = f"/counter/admin/displays/{display.id}/media"
    big_video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200_000  # over the 64 KB form limit
    answer = admin.post(
        url,
        data={**token, "file": (io.BytesIO(big_video), "promo dinas.mp4")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    refused = admin.post(
        url,
        data={**token, "file": (io.BytesIO(b"MZ"), "virus.exe")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    admin.post(
        url,
        data={**token, "file": (io.BytesIO(PNG), "logo.png")},
        content_type="multipart/form-data",
    )
    db.expire_all()
    media = db.get(Display, display.id).media
    assert [m.rsplit(".", 1)[1] for m in media[-2:]] == ["mp4", "png"]
    folder = tmp_path / "instance" / "media"
    assert (folder / media[-2]).stat().st_size == len(big_video)
    admin.post(f"{url}/delete", data={**token, "name": media[-1]})
    assert not (folder / media[-1]).exists()


def test_audit_log_filters_by_action_and_agency(staff, db):
    admin = staff("admin")
    token, _ = form_of(admin, "/counter/admin/services/new")
    admin.post(
        "/counter/admin/services/new",
        data={**token, **service_form(agency_by_short(db, "Samsat").id)},
    )
    page = admin.get("/counter/audit?action=services.").get_data(as_text=True)
    assert "services.create" in page
    other = staff("spv.samsat").get("/counter/audit").get_data(as_text=True)
    assert "services.create" not in other.split("<tbody>")[1]  # done by the mall's admin
