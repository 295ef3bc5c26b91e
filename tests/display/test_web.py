"""The display's HTTP side: TV page, snapshot, media, audio, the voice admin page, /t/<code>."""

from __future__ import annotations

import io
import re
import wave

import pytest
from sqlalchemy import select

from shared import queue, voice
from shared.models import Counter, Display
from shared.web.database import database
from tests.factories import mpp_counters


@pytest.fixture
def db(app):
    with database(app).session_factory() as session:
        yield session


def call_at(session, number: int):
    counter = session.execute(mpp_counters().where(Counter.number == number)).scalar_one()
    ticket = queue.issue_ticket(session, counter.services[0].id)
    called = queue.call_next(session, counter)
    session.commit()
    assert called.id == ticket.id
    return ticket


def wav(seconds: float = 0.3) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"\x00\x01" * int(22050 * seconds))
    return out.getvalue()


def test_tv_page_by_query_and_path_without_inline_code(client, db):
    display = db.execute(select(Display).order_by(Display.id)).scalars().first()
    db.commit()  # every SQLite transaction here takes the write lock (BEGIN IMMEDIATE)
    for url in (f"/display/?zone={display.id}", f"/display/zone/{display.id}"):
        page = client.get(url)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert f'data-zone="{display.id}"' in html
        assert "/static/vendor/socket.io.min.js" in html
        assert not re.search(r"<script>(?!\s*</script>)|<script(?![^>]*\bsrc=)[^>]*>\S", html)
        assert " style=" not in html
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    chooser = client.get("/display/?site=mpp-tebo").get_data(as_text=True)  # one site of four
    assert f"/display/zone/{display.id}" in chooser
    assert client.get("/display/zone/999").status_code == 404


def test_snapshot_api(client, db):
    ticket = call_at(db, 1)
    state = client.get("/display/api/state?zone=1").get_json()
    assert state["recent_calls"][0]["number"] == ticket.display_number
    assert state["zone"]["voice"]["server"] in ("clips", "espeak", None)
    assert "mall" in state["seqs"] and all(isinstance(v, int) for v in state["seqs"].values())
    assert ticket.code not in client.get("/display/api/state?zone=1").get_data(as_text=True)
    missing = client.get("/display/api/state?zone=999")
    assert missing.status_code == 404 and missing.get_json()["error"] == "display_not_found"
    assert client.get("/display/api/state").status_code == 404


def test_media_served_safely(client, app):
    """Only files a display lists, of the listed types; never a path (tests/counter/test_images.py
    has the uploads)."""
    folder = app.config["ANTRE"].instance_path + "/media"
    import os

    os.makedirs(folder, exist_ok=True)
    with open(folder + "/promo.png", "wb") as f:
        f.write(b"\x89PNG fake")
    with open(folder + "/notes.txt", "wb") as f:
        f.write(b"notes")
    with database(app).session_factory() as session:
        display = session.execute(select(Display)).scalars().first()
        display.media = ["promo.png", "notes.txt"]
        session.commit()
    answer = client.get("/display/media/promo.png")
    assert answer.data == b"\x89PNG fake" and answer.headers["Content-Type"] == "image/png"
    assert client.get("/display/media/../antre.db.png").status_code == 404
    assert client.get("/display/media/%2e%2e/secret.png").status_code == 404
    assert client.get("/display/media/notes.txt").status_code == 404


def test_chime_and_announcement_audio(client):
    chime = client.get("/display/api/chime.wav")
    assert chime.status_code == 200 and chime.data[:4] == b"RIFF"
    bad = client.get("/display/api/announcement.wav?prefix=A1&number=1&counter=1")
    assert bad.status_code == 400 and bad.get_json()["error"] == "bad_phrase"
    spoken = client.get("/display/api/announcement.wav?prefix=A&number=123&counter=5")
    if voice.espeak_path() is None:
        assert spoken.status_code == 503
    else:
        assert spoken.status_code == 200 and spoken.data[:4] == b"RIFF"
        assert spoken.headers["X-Antre-Voice"] == "espeak"


def test_announcement_uses_recorded_clips_once_complete(client, app):
    instance = app.config["ANTRE"].instance_path
    for name in voice.REQUIRED_CLIPS:
        voice.import_clip(instance, name, wav(0.1))
    spoken = client.get("/display/api/announcement.wav?prefix=A&number=7&counter=5")
    assert spoken.headers["X-Antre-Voice"] == "clips"


def test_voice_admin_needs_an_admin(client, login):
    anonymous = client.get("/display/admin/voice")
    # In the embedded default the counter app's sign-in page takes over.
    assert anonymous.status_code == 302 and "/counter/login" in anonymous.headers["Location"]
    login("dukcapil1")
    assert client.get("/display/admin/voice").status_code == 403


def test_voice_admin_lists_and_uploads_clips(client, login, app):
    login("admin")
    page = client.get("/display/admin/voice").get_data(as_text=True)
    assert "nomor_antrean.wav" in page and "silakan_menuju_loket.wav" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    big = wav(1.8)  # larger than the app's 64 kB form limit: the page allows more
    assert len(big) > 64 * 1024
    answer = client.post(
        "/display/admin/voice",
        data={
            "csrf_token": token,
            "clip": "",
            "files": [(io.BytesIO(big), "satu.wav"), (io.BytesIO(b"junk"), "dua.wav")],
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    # Refused, and said so in Indonesian; the wave module's own words folded behind it.
    assert "Ditolak: dua.wav: Ini bukan berkas WAV." in html
    assert re.search(r"<summary>Detail teknis</summary><code>EOFError</code>", html)
    status = {c.name: c.present for c in voice.clip_status(app.config["ANTRE"].instance_path)}
    assert status["satu"] and not status["dua"]
    no_token = client.post("/display/admin/voice", data={"clip": "tiga"})
    assert no_token.status_code == 400


def test_cli_imports_clips(runner, tmp_path, config, monkeypatch):
    monkeypatch.setenv("ANTRE_INSTANCE_PATH", config.instance_path)
    folder = tmp_path / "recordings"
    folder.mkdir()
    (folder / "nomor_antrian.wav").write_bytes(wav())  # the clip's earlier name still imports
    (folder / "Satu.wav").write_bytes(wav())
    (folder / "hello.wav").write_bytes(wav())
    result = runner("voice", "import-clips", str(folder))
    assert "imported nomor_antrean" in result.output and "imported satu" in result.output
    assert "skipped hello.wav" in result.output and "still missing" in result.output
    assert "satu" not in voice.missing_clips(config.instance_path)


def test_ticket_page_and_json(client, db):
    ticket = call_at(db, 1)
    data = client.get(f"/t/{ticket.code}.json").get_json()
    assert data["number"] == ticket.display_number and data["status"] == "called"
    assert data["counter"]["number"] == 1 and data["expired"] is False
    for key in ("service", "agency", "people_ahead", "eta_minutes"):
        assert key in data
    page = client.get(f"/t/{ticket.code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and ticket.display_number in html
    assert "ticket.js" in html and " style=" not in html
    assert client.get("/t/unknown-code-1.json").status_code == 404
    assert client.get("/t/unknown-code-1").status_code == 404
