"""Socket.IO /kiosk: a kiosk joins its agencies' rooms and hears the queue change."""

from __future__ import annotations

from sqlalchemy import select

from shared.models import Agency, Service
from shared.queue.sites import default_site
from shared.web import socketio_of


def _services(session):
    """The demo kiosk's site's services by code, and that site's room."""
    site = default_site(session)
    rows = session.execute(
        select(Service.code, Service.id, Service.agency_id).where(Service.site_id == site.id)
    ).all()
    session.commit()
    return {code: (sid, agency) for code, sid, agency in rows}, f"site:{site.id}"


def test_join_and_hear_queue_changes(app, client, csrf, app_session):
    services, site_room = _services(app_session)
    ktp_id, dukcapil = services["KTP"]
    socket = socketio_of(app).test_client(app, namespace="/kiosk", flask_test_client=client)
    assert socket.is_connected("/kiosk")
    joined = socket.emit("join", {}, namespace="/kiosk", callback=True)
    assert f"agency:{dukcapil}" in joined["rooms"] and site_room in joined["rooms"]
    before = joined["seqs"][f"agency:{dukcapil}"]
    answer = client.post(
        "/kiosk/api/tickets",
        json={"service_id": ktp_id, "idempotency_key": "soket-000001"},
        headers={"X-CSRFToken": csrf},
    )
    assert answer.status_code == 201
    changes = [m for m in socket.get_received("/kiosk") if m["name"] == "queue.changed"]
    assert len(changes) == 1
    message = changes[0]["args"][0]
    assert message["service_id"] == ktp_id and message["waiting"] == 1
    assert (message["room"], message["seq"]) == (f"agency:{dukcapil}", before + 1)
    socket.disconnect(namespace="/kiosk")


def test_limited_kiosk_hears_only_its_agencies(app, client, app_session, register_kiosk):
    imigrasi = app_session.execute(select(Agency.id).where(Agency.short_name == "Imigrasi"))
    imigrasi_id = imigrasi.scalar_one()
    app_session.commit()
    token, kiosk = register_kiosk(agency_ids=[imigrasi_id])
    socket = socketio_of(app).test_client(
        app, namespace="/kiosk", flask_test_client=client, auth={"token": token}
    )
    joined = socket.emit("join", {"agencies": [1, 2, 3]}, namespace="/kiosk", callback=True)
    assert joined["rooms"] == [f"site:{kiosk.site_id}", f"agency:{imigrasi_id}"]


def test_unknown_token_is_refused(app, client):
    socket = socketio_of(app).test_client(
        app, namespace="/kiosk", flask_test_client=client, auth={"token": "palsu"}
    )
    assert not socket.is_connected("/kiosk")
