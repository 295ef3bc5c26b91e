"""The ticket page's Web Push plumbing over HTTP: the server's VAPID key and the worker."""

from __future__ import annotations

import base64


def test_the_push_key_is_one_p256_point_kept_across_requests(client):
    first = client.get("/t/push-key")
    assert first.status_code == 200
    key = first.get_json()["public_key"]
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65 and raw[0] == 4  # uncompressed P-256, as applicationServerKey wants
    assert client.get("/t/push-key").get_json()["public_key"] == key


def test_the_service_worker_is_served_under_t_and_never_stale(client):
    answer = client.get("/t/sw.js")
    assert answer.status_code == 200
    assert answer.mimetype == "text/javascript"
    assert answer.headers["Service-Worker-Allowed"] == "/t/"
    assert "no-cache" in answer.headers["Cache-Control"]
    body = answer.get_data(as_text=True)
    assert "addEventListener('push'" in body and "notificationclick" in body


def test_the_ticket_page_offers_the_opt_in_in_indonesian(client, app):
    from sqlalchemy import select

    from shared import queue
    from shared.models import Service
    from shared.web.database import database
    from tests.sites import in_demo_mall

    with database(app).session_factory() as session:
        service = session.execute(
            select(Service).where(in_demo_mall(Service.site_id)).limit(1)
        ).scalar_one()
        code = queue.issue_ticket(session, service.id).code
        session.commit()
    page = client.get(f"/t/{code}?lang=id").get_data(as_text=True)
    assert "Beri tahu saya" in page and 'inputmode="tel"' in page
    assert "Nomor Anda hanya dipakai untuk pemberitahuan antrean ini dan dihapus" in page
    assert "Tanpa internet, pemberitahuan WhatsApp/SMS/push tidak terkirim" in page
    assert 'data-worker-url="/t/sw.js"' in page and 'data-key-url="/t/push-key"' in page
