"""Logos and TV media: only real images (and videos) by upload, served by id, never by a path.

The hole these close: the mall's logo was a free-text path, so ``logo_path=antre.db`` made an
anonymous ``GET /kiosk/logo/mall`` hand out the SQLite file (password hashes, bookings).
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from shared import media
from shared.models import Agency, Display, Site, UploadedImage
from tests.counter.conftest import agency_by_short, csrf_of

SQLITE = b"SQLite format 3\x00" + b"\x00" * 4000 + b"password_hash argon2 Budi 0812"


def png(colour=(29, 78, 216), size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def mall_form(mall: Site, **extra) -> dict:
    form = {
        "name": mall.name,
        "address": mall.address,
        "timezone": mall.timezone,
        "running_text": "",
        "ticket_footer": "",
        **{f"opening_hours_{d}": "08:00-15:00" for d in range(7)},
    }
    form.update(extra)
    return form


def upload(client, path, data: bytes, name: str):
    return client.post(
        path,
        data={"csrf_token": csrf_of(client, "/counter/admin/"), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def the_mall(db) -> Site:
    db.expire_all()
    return db.execute(select(Site).where(Site.slug == "mpp-tebo")).scalar_one()


def test_an_admin_cannot_make_the_server_serve_a_file_by_path(staff, anonymous, db, app):
    instance = Path(app.config["ANTRE"].instance_path)
    (instance / "media").mkdir(parents=True, exist_ok=True)
    (instance / "antre.db").write_bytes(SQLITE)  # where the embedded default keeps its database
    (instance / "media" / "antre.db").write_bytes(SQLITE)
    admin = staff("admin")
    mall = the_mall(db)
    page = admin.get(f"/counter/admin/mall/{mall.id}").get_data(as_text=True)
    assert "logo_path" not in page  # no field to type a path into
    answer = admin.post(
        f"/counter/admin/mall/{mall.id}",
        data={"csrf_token": csrf_of(admin, "/counter/admin/"), **mall_form(mall)}
        | {"logo_path": "antre.db"},
    )
    assert answer.status_code == 302
    visitor = anonymous()
    for path in (
        "/kiosk/logo/mall",
        "/display/logo/mall",
        "/display/media/antre.db",
        "/display/media/../antre.db",
        "/display/media/%2e%2e/antre.db",
    ):
        answer = visitor.get(path)
        assert answer.status_code == 404, path
        assert b"SQLite" not in answer.data, path


def test_an_uploaded_png_round_trips_to_kiosk_tv_and_ticket(staff, anonymous, db):
    admin = staff("admin")
    mall = the_mall(db)
    image = png()
    answer = upload(admin, f"/counter/admin/mall/{mall.id}/logo", image, "logo mpp.png")
    assert answer.status_code == 302
    mall = the_mall(db)
    stored = db.get(UploadedImage, mall.logo_image_id)
    assert (stored.content_type, stored.width, stored.height) == ("image/png", 40, 20)
    image_id = stored.id
    visitor = anonymous()
    for path in ("/kiosk/logo/mall", "/display/logo/mall"):
        served = visitor.get(path)
        assert served.status_code == 200, path
        assert served.data == image
        assert served.headers["Content-Type"] == "image/png"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
    state = visitor.get("/display/api/state?zone=1").get_json()
    assert state["mall"]["logo"] == image_id
    # The admin sees it on the mall's page, and can take it away again.
    page = admin.get(f"/counter/admin/mall/{mall.id}").get_data(as_text=True)
    assert f"/counter/admin/images/{image_id}" in page
    assert admin.get(f"/counter/admin/images/{image_id}").data == image
    admin.post(
        f"/counter/admin/mall/{mall.id}/logo/delete",
        data={"csrf_token": csrf_of(admin, "/counter/admin/")},
    )
    assert the_mall(db).logo_image_id is None
    db.expire_all()
    assert db.get(UploadedImage, image_id) is None
    assert visitor.get("/kiosk/logo/mall").status_code == 404


def test_an_agency_logo_is_uploaded_and_offered_on_the_kiosk(staff, anonymous, db):
    admin = staff("admin")
    samsat = agency_by_short(db, "Samsat")
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), (200, 0, 0)).save(buffer, "JPEG")
    answer = upload(admin, f"/counter/admin/agencies/{samsat.id}/logo", buffer.getvalue(), "s.jpg")
    assert answer.status_code == 302
    db.expire_all()
    image_id = db.get(Agency, samsat.id).logo_image_id
    served = anonymous().get(f"/kiosk/logo/agency/{samsat.id}")
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    assert served.data == buffer.getvalue()
    assert db.get(UploadedImage, image_id).content_type == "image/jpeg"


def test_a_non_image_named_png_is_refused_in_indonesian(staff, db):
    admin = staff("admin")
    mall = the_mall(db)
    answer = upload(admin, f"/counter/admin/mall/{mall.id}/logo", SQLITE, "logo.png")
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "bukan berkas PNG, JPG, WebP yang sebenarnya" in text
    wrong_kind = upload(admin, f"/counter/admin/mall/{mall.id}/logo", b"<svg/>", "logo.svg")
    assert wrong_kind.status_code == 422
    assert "Hanya berkas PNG, JPG, WebP" in wrong_kind.get_data(as_text=True)
    assert the_mall(db).logo_image_id is None
    assert db.execute(select(UploadedImage)).first() is None


def test_a_stored_non_image_is_not_served(anonymous, db):
    """Serving checks the same list as the upload: whatever else a row says, the answer is 404."""
    svg = UploadedImage(
        content_type="image/svg+xml", data=b"<svg onload=alert(1)/>", width=1, height=1
    )
    db.add(svg)
    db.flush()
    the_mall(db).logo_image_id = svg.id
    db.commit()
    assert anonymous().get("/kiosk/logo/mall").status_code == 404
    assert anonymous().get("/display/logo/mall").status_code == 404


def test_tv_media_upload_checks_the_content_and_serves_only_listed_files(staff, anonymous, db, app):
    admin = staff("admin")
    display = db.execute(select(Display)).scalars().first()
    url = f"/counter/admin/displays/{display.id}/media"
    fake = upload(admin, url, SQLITE, "promo.png")
    assert fake.status_code == 422
    assert "bukan" in fake.get_data(as_text=True)
    assert upload(admin, url, b"not a video at all", "promo.mp4").status_code == 422
    assert upload(admin, url, png(), "promo kantor.png").status_code == 302
    db.expire_all()
    name = db.get(Display, display.id).media[-1]
    assert "promo" not in name and name.endswith(".png")  # a generated name
    served = anonymous().get(f"/display/media/{name}")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    # A file in the media folder that no display lists is not served, whatever its name.
    folder = Path(app.config["ANTRE"].instance_path) / "media"
    (folder / "stray.png").write_bytes(png())
    (folder / "page.svg").write_bytes(b"<svg onload=alert(1)/>")
    assert anonymous().get("/display/media/stray.png").status_code == 404
    assert anonymous().get("/display/media/page.svg").status_code == 404


def test_one_list_of_types_for_upload_and_serving():
    assert {t.mime for t in media.IMAGES} == {"image/png", "image/jpeg", "image/webp"}
    assert {t.mime for t in media.TV_MEDIA} == {
        "image/png",
        "image/jpeg",
        "image/webp",
        "video/mp4",
        "video/webm",
    }
    assert media.type_of_name("x.svg", media.TV_MEDIA) is None
    assert media.type_of_name("x.JPEG", media.TV_MEDIA).mime == "image/jpeg"
    assert media.accept_attribute(media.IMAGES) == ".png,.jpg,.jpeg,.webp"
