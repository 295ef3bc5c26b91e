"""A TV asks for its call in its own site's voice (?site=<slug>); a site admin records the words of
their own site only, never the installation's."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from shared import voice
from shared.accounts import create_user
from shared.models import Display, StaffUser
from shared.queue.sites import site_by_slug
from shared.web.database import database
from tests.display.test_web import wav


def test_the_tv_asks_in_its_sites_voice(client, app):
    instance = app.config["ANTRE"].instance_path
    for name in voice.REQUIRED_CLIPS:
        voice.import_clip(instance, name, wav(0.1), site="mpp-tebo")
    with database(app).session_factory() as session:
        display = session.execute(select(Display).limit(1)).scalar_one()
        zone = display.id
    page = client.get(f"/display/zone/{zone}").get_data(as_text=True)
    assert re.search(r'data-announce-url="/display/api/announcement\.wav\?site=mpp-tebo"', page)
    asked = "/display/api/announcement.wav?prefix=A&number=7&counter=5"
    assert client.get(asked + "&site=mpp-tebo").headers["X-Antre-Voice"] == "clips"
    # Without the site the installation's clips are incomplete: espeak-ng or nothing.
    assert client.get(asked).headers.get("X-Antre-Voice") != "clips"
    # A slug is checked against the sites before it comes near a path.
    assert client.get(asked + "&site=..%2F..%2Fetc").status_code == 404
    assert client.get(asked + "&site=no-such-site").status_code == 404
    state = client.get(f"/display/api/state?zone={zone}").get_json()
    assert state["zone"]["voice"]["server"] == "clips"


def test_a_site_admin_records_for_their_site_only(client, app, login):
    instance = app.config["ANTRE"].instance_path
    with database(app).session_factory() as session:
        site = site_by_slug(session, "mpp-tebo")
        create_user(
            session,
            "admin.mpp",
            "loket-jeruk-42",
            name="Admin MPP",
            role=StaffUser.ADMIN,
            site_id=site.id,
        )
        session.commit()
    login("admin.mpp")
    page = client.get("/display/admin/voice?site=other").get_data(as_text=True)
    assert "mpp-tebo" in page  # their own site, whatever the address asks
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/display/admin/voice",
        data={"csrf_token": token, "clip": "", "files": [(io.BytesIO(wav()), "satu.wav")]},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    assert "satu" not in voice.missing_clips(instance, "mpp-tebo")
    assert "satu" in voice.missing_clips(instance)  # the installation's set is untouched
