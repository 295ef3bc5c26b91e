"""The webhook admin pages: a site admin's own site only, the secret shown once, the delivery
log with replay (the same delivery id, again over real HTTP), and the Outbox page."""

from __future__ import annotations

import re
import socket
from datetime import timedelta

from sqlalchemy import select

from shared import queue, timeutil
from shared.models import AuditLog, OutboxMessage, Webhook
from shared.outbox.delivery import load_handlers
from shared.outbox.relay import Relay
from shared.queue.sites import site_by_slug
from shared.web.database import database
from shared.webhooks import manage
from tests.counter.conftest import csrf_of
from tests.fake_receiver import fake_receiver
from tests.webhook_checks import verify

SECRET = "admin-page-secret-0123"


def post(client, path, form):
    return client.post(path, data={"csrf_token": csrf_of(client, "/counter/admin/"), **form})


def _relay(app, config) -> Relay:
    return Relay(database(app).session_factory, config, handlers=load_handlers())


def _drain(relay, now=None) -> None:
    while relay.run_once(now):
        pass


def _ended(db):
    db.commit()  # the relay needs SQLite's write lock


def test_a_site_admin_adds_a_webhook_and_sees_its_secret_once(staff, db, site_b):
    admin_b = staff("admin.b")
    form = admin_b.get("/counter/admin/webhooks/new").get_data(as_text=True)
    assert "Nomor antrean dipanggil" in form  # the events in Indonesian, as checkboxes
    assert 'id="help-include_personal_data"' in form and "data pribadi" in form
    made = post(
        admin_b,
        "/counter/admin/webhooks/new",
        {"url": "https://dashboard.example/antre", "events": ["ticket.called", "booking.made"]},
    )
    assert made.status_code == 200
    [webhook] = db.execute(select(Webhook)).scalars().all()
    _ended(db)
    assert webhook.site_id == site_b["site"].id
    assert webhook.events == ["ticket.called", "booking.made"]
    page = made.get_data(as_text=True)
    assert webhook.secret in page and "hanya sekali" in page
    listed = admin_b.get("/counter/admin/webhooks/").get_data(as_text=True)
    assert webhook.secret not in listed and webhook.secret[-4:] in listed
    edit = admin_b.get(f"/counter/admin/webhooks/{webhook.id}").get_data(as_text=True)
    assert webhook.secret not in edit and webhook.secret[-4:] in edit
    assert f"/counter/admin/webhooks/{webhook.id}/log" in edit
    audit = db.execute(select(AuditLog).where(AuditLog.action == "webhooks.create")).scalar_one()
    assert webhook.secret not in str(audit.details)
    _ended(db)
    refused = post(
        admin_b, "/counter/admin/webhooks/new", {"url": "ftp://x.example", "events": ["x"]}
    )
    assert refused.status_code == 422
    # Another site's admin does not see it, nor its log.
    dukcapil_admin = staff("admin")
    assert dukcapil_admin.get("/counter/admin/webhooks/?site=mpp-tebo").status_code == 200
    assert b"dashboard.example" not in dukcapil_admin.get("/counter/admin/webhooks/").data


def test_a_site_admin_cannot_reach_another_sites_webhook(staff, db, site_b):
    other = manage.add_webhook(db, site_b["site"].id, "https://b.example/", ["ticket.issued"])
    db.commit()
    tebo = site_by_slug(db, "mpp-tebo").id
    mine = manage.add_webhook(db, tebo, "https://a.example/", ["ticket.issued"])
    db.commit()
    admin_b = staff("admin.b")
    assert admin_b.get(f"/counter/admin/webhooks/{mine.id}").status_code == 404
    assert admin_b.get(f"/counter/admin/webhooks/{mine.id}/log").status_code == 404
    assert admin_b.get(f"/counter/admin/webhooks/{other.id}/log").status_code == 200


def test_replay_from_the_log_delivers_again_with_the_same_id(staff, db, site_b, app, config):
    with fake_receiver() as receiver:
        webhook = manage.add_webhook(
            db, site_b["site"].id, receiver.url, ["ticket.issued"], secret=SECRET
        )
        queue.issue_ticket(db, site_b["service"].id)
        db.commit()
        relay = _relay(app, config)
        _drain(relay)
        [first] = receiver.wait_for(1)
        admin_b = staff("admin.b")
        log = admin_b.get(f"/counter/admin/webhooks/{webhook.id}/log").get_data(as_text=True)
        [message_id] = db.execute(select(OutboxMessage.id)).scalars().all()
        _ended(db)
        assert first.json()["id"] in log and "terkirim" in log and "Kirim ulang" in log
        replayed = post(
            admin_b, f"/counter/admin/webhooks/{webhook.id}/log/{message_id}/replay", {}
        )
        assert replayed.status_code == 302
        _drain(relay)
        first, second = receiver.wait_for(2)
        assert second.json()["id"] == first.json()["id"]
        assert verify(SECRET, second.headers, second.body)
        actions = db.execute(select(AuditLog.action)).scalars().all()
        _ended(db)
        assert "outbox.replay" in actions


def test_the_outbox_page_lists_failures_and_retries_them(staff, db, site_b, app, config):
    with fake_receiver(statuses=[410]) as receiver:
        manage.add_webhook(db, site_b["site"].id, receiver.url, ["ticket.issued"], secret=SECRET)
        queue.issue_ticket(db, site_b["service"].id)
        db.commit()
        relay = _relay(app, config)
        _drain(relay)
        admin_b = staff("admin.b")
        page = admin_b.get("/counter/admin/outbox/").get_data(as_text=True)
        [message] = db.execute(select(OutboxMessage)).scalars().all()
        _ended(db)
        assert message.failed_at is not None and message.uid in page and "HTTP 410" in page
        match = re.search(r'action="(/counter/admin/outbox/\d+/retry)"', page)
        assert post(admin_b, match.group(1), {}).status_code == 302
        _drain(relay, timeutil.now_utc() + timedelta(seconds=1))
        assert len(receiver.wait_for(2)) == 2
        assert admin_b.get("/counter/admin/outbox/").get_data(as_text=True).count("<code>") == 0
        # Site A's admin page is its own: site B's failures are not there.
        assert "HTTP 410" not in staff("admin").get("/counter/admin/outbox/").get_data(as_text=True)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_failed_delivery_is_said_in_indonesian_with_the_detail_folded(
    staff, db, site_b, app, config
):
    """The Outbox page and the delivery log showed "ConnectError: [Errno 111] Connection
    refused" as the error (issue 13, item 19): the meaning first, the relay's words behind it."""
    url = f"http://127.0.0.1:{_closed_port()}/hook"
    webhook = manage.add_webhook(db, site_b["site"].id, url, ["ticket.issued"], secret=SECRET)
    queue.issue_ticket(db, site_b["service"].id)
    db.commit()
    relay = _relay(app, config)
    for day in range(1, 13):  # every attempt until the relay gives up
        _drain(relay, timeutil.now_utc() + timedelta(days=day))
    admin_b = staff("admin.b")
    outbox = admin_b.get("/counter/admin/outbox/").get_data(as_text=True)
    log = admin_b.get(f"/counter/admin/webhooks/{webhook.id}/log").get_data(as_text=True)
    _ended(db)
    for page in (outbox, log):
        cell = re.search(r"<tr [^>]*data-uid.*?</tr>", page, re.S).group(0)
        said, _, folded = cell.partition("<details>")
        assert "Penerima tidak dapat dihubungi" in said and "Errno" not in said
        assert "Detail teknis" in folded and "Connection refused" in folded
