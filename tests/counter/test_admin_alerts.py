"""The admin pages of alerts: a site's gateways (presets, masked tokens, a test message), the
alert texts (built-in shown, checked, reset) and the service's "N lagi", rendered in Indonesian."""

from __future__ import annotations

import json

from sqlalchemy import select

from shared.models import AlertText, AuditLog, NotifyGateway, OutboxMessage, Service
from tests.counter import health_admin

hospital, admin_rs = health_admin.hospital, health_admin.admin_rs
post, text = health_admin.post, health_admin.text

TOKEN = "EAAGsupersecrettoken123"


def _whatsapp_form(**extra):
    return {
        "name": "WA RSUD",
        "channels": "whatsapp",
        "preset": "whatsapp_cloud",
        "url": "https://graph.facebook.com/v21.0/1098765432/messages",
        "headers": json.dumps({"Authorization": f"Bearer {TOKEN}"}),
        "body_format": "json",
        "body_template": "",
        "active": "1",
    } | extra


def test_a_preset_fills_the_new_gateway_and_the_token_never_shows(admin_rs, hospital, db):
    listed = text(admin_rs.get("/counter/admin/gateways/"))
    assert "Gateway WhatsApp dan SMS" in listed and "Mulai dari preset" in listed
    assert "https://docs.fonnte.com/api-send-message/" in listed
    fonnte = text(admin_rs.get("/counter/admin/gateways/new?preset=fonnte"))
    assert "https://api.fonnte.com/send" in fonnte and "target={to_digits}" in fonnte

    assert post(admin_rs, "/counter/admin/gateways/new", _whatsapp_form()).status_code == 302
    db.expire_all()
    gateway = db.execute(select(NotifyGateway)).scalar_one()
    assert gateway.site_id == hospital.site.id
    assert gateway.headers == {"Authorization": f"Bearer {TOKEN}"}
    assert '"messaging_product": "whatsapp"' in gateway.body_template  # from the preset
    page = text(admin_rs.get(f"/counter/admin/gateways/{gateway.id}"))
    assert "supersecret" not in page and "••••" in page
    audit = db.execute(select(AuditLog).where(AuditLog.action == "gateways.create")).scalar_one()
    assert "supersecret" not in json.dumps(audit.details)

    # Saved again with the masked token as shown: the stored token is kept.
    masked = json.loads(
        page.split('name="headers"')[1]
        .split(">", 1)[1]
        .split("</textarea>")[0]
        .replace("&#34;", '"')
    )
    form = _whatsapp_form(headers=json.dumps(masked), body_template=gateway.body_template)
    assert post(admin_rs, f"/counter/admin/gateways/{gateway.id}", form).status_code == 302
    db.expire_all()
    assert db.get(NotifyGateway, gateway.id).headers == {"Authorization": f"Bearer {TOKEN}"}


def test_clear_errors_for_a_placeholder_url_a_bad_header_and_bad_json(admin_rs, hospital):
    form = _whatsapp_form(
        url="", headers="Authorization: x", body_template='{"to": {to}}', body_format="json"
    )
    answer = post(admin_rs, "/counter/admin/gateways/new", form)
    page = text(answer)
    assert answer.status_code == 422
    assert "Tulis header seperti" in page
    form = _whatsapp_form(url="", body_template='{"to": {to}}')
    page = text(post(admin_rs, "/counter/admin/gateways/new", form))
    assert "Tulis alamat lengkap gateway" in page and "bukan JSON yang sah" in page


def test_a_test_message_is_queued_through_this_gateway(admin_rs, hospital, db):
    post(admin_rs, "/counter/admin/gateways/new", _whatsapp_form())
    db.expire_all()
    gateway = db.execute(select(NotifyGateway)).scalar_one()
    bad = post(admin_rs, f"/counter/admin/gateways/{gateway.id}/test", {"phone": "123"})
    assert bad.status_code == 302
    sent = post(admin_rs, f"/counter/admin/gateways/{gateway.id}/test", {"phone": "0812 1111 2222"})
    assert sent.status_code == 302
    page = text(admin_rs.get(sent.headers["Location"]))
    assert "Pesan uji diantrekan ke +62 ••• •••• 2222" in page and "Kirim pesan uji" in page
    db.expire_all()
    [message] = db.execute(select(OutboxMessage)).scalars().all()
    assert message.payload["gateway_id"] == gateway.id and message.payload["to"] == "+6281211112222"
    assert message.site_id == hospital.site.id


def test_alert_texts_show_the_built_in_ones_check_placeholders_and_reset(admin_rs, hospital, db):
    listed = text(admin_rs.get("/counter/admin/alert_texts/"))
    assert "Teks bawaan" in listed and "Giliran Anda! Nomor {number}" in listed
    new = text(admin_rs.get("/counter/admin/alert_texts/new?alert=call&language=en"))
    assert "Your turn! Number {number}" in new
    form = {"key": "call", "language": "id", "text": "Nomor {number} ke {loket}"}
    refused = post(admin_rs, "/counter/admin/alert_texts/new", form)
    assert refused.status_code == 422 and "Isian {loket} tidak dikenal" in text(refused)
    form["text"] = "Nomor {number}, silakan ke {counter}. {link}"
    assert post(admin_rs, "/counter/admin/alert_texts/new", form).status_code == 302
    again = post(admin_rs, "/counter/admin/alert_texts/new", form)
    assert again.status_code == 422 and "sudah punya teks sendiri" in text(again)
    db.expire_all()
    own = db.execute(select(AlertText)).scalar_one()
    assert own.site_id == hospital.site.id
    assert post(admin_rs, f"/counter/admin/alert_texts/{own.id}/delete", {}).status_code == 302
    db.expire_all()
    assert db.execute(select(AlertText)).scalars().all() == []


def test_the_service_form_sets_n_lagi(admin_rs, hospital, db):
    service = hospital.poli
    page = text(admin_rs.get(f"/counter/admin/services/{service.id}"))
    assert "Beri tahu saat N orang lagi" in page and 'name="alert_lead" value="3"' in page
    assert 'name="payer"' in page and 'name="wait_target_minutes"' in page  # kept
    form = {
        "agency_id": str(service.agency_id),
        "code": service.code,
        "name": service.name,
        "prefix": service.prefix,
        "avg_service_minutes": "7",
        "priority_ratio": "0",
        "recall_limit": "2",
        "transfer_placement": "front",
        "booking_placement": "front",
        "display_order": "1",
        "payer": "",
        "active": "1",
        **{f"opening_hours_{d}": "" for d in range(7)},
    }
    path = f"/counter/admin/services/{service.id}"
    refused = post(admin_rs, path, {**form, "alert_lead": "51"})
    assert refused.status_code == 422 and 'id="error-alert_lead"' in text(refused)
    assert post(admin_rs, path, {**form, "alert_lead": "5"}).status_code == 302
    db.expire_all()
    assert db.get(Service, service.id).alert_lead == 5
    assert post(admin_rs, path, form).status_code == 302  # left out: kept
    db.expire_all()
    assert db.get(Service, service.id).alert_lead == 5
