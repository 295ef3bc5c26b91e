"""The BPJS pages: the bridge (admins; secrets masked, kept when left empty) and the visits'
task timelines with BPJS's refusals and a retry (supervisors and admins of the site)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from shared.bpjs.sealing import unseal
from shared.models import BpjsBridge, BpjsVisit, OutboxMessage, Visit
from tests.counter.conftest import csrf_of

SECRET, USER_KEY = "S3cret-value-xyz", "user-key-0123456"


def post(client, path, form):
    return client.post(path, data={"csrf_token": csrf_of(client, "/counter/admin/"), **form})


def test_an_admin_configures_the_bridge_and_never_sees_the_secret_again(staff, db, site_b, app):
    admin = staff("admin.b")
    form = {"cons_id": "12345", "secret": SECRET, "user_key": USER_KEY, "url_choice": "dev"}
    saved = post(admin, "/counter/admin/bpjs/", {**form, "active": "1", "variant": "rs"})
    assert saved.status_code == 302
    page = admin.get("/counter/admin/bpjs/").get_data(as_text=True)
    assert SECRET not in page and USER_KEY not in page and "•" in page and "xyz" in page
    bridge = db.execute(select(BpjsBridge)).scalar_one()
    assert bridge.site_id == site_b["site"].id and SECRET not in bridge.secret
    assert bridge.base_url.endswith("/antreanrs_dev/")
    # Saved again with the secrets left empty: they are kept.
    post(admin, "/counter/admin/bpjs/", {"cons_id": "999", "url_choice": "", "active": "1"})
    db.expire_all()
    bridge = db.execute(select(BpjsBridge)).scalar_one()
    config = app.config["ANTRE"]
    assert bridge.cons_id == "999" and unseal(config, bridge.secret) == SECRET
    assert unseal(config, bridge.user_key) == USER_KEY


def test_a_supervisor_sees_a_refusal_and_sends_it_again(staff, db, site_b):
    visit = Visit(business_date=date(2026, 11, 23), payer="jkn")
    db.add(visit)
    db.flush()
    db.add(BpjsVisit(visit_id=visit.id, site_id=site_b["site"].id, kodebooking="20261123V000001"))
    message = OutboxMessage(
        uid="b" * 32,
        kind="bpjs",
        site_id=site_b["site"].id,
        key="bpjs:20261123V000001",
        payload={"endpoint": "antrean/updatewaktu", "body": {}, "visit_id": visit.id, "task": 4},
        attempts=1,
        last_error="BPJS 201: TaskId=4 tidak boleh setelah TaskId=5",
    )
    db.add(message)
    db.flush()
    message.failed_at = message.created_at
    db.commit()
    assert staff("clerk.b").get("/counter/admin/bpjs/visits").status_code == 403
    supervisor = staff("spv.b")
    page = supervisor.get("/counter/admin/bpjs/visits?day=2026-11-23").get_data(as_text=True)
    assert "20261123V000001" in page and "tidak boleh setelah" in page
    retried = post(supervisor, f"/counter/admin/bpjs/visits/{visit.id}/retry", {})
    assert retried.status_code == 302
    db.expire_all()
    assert db.get(OutboxMessage, message.id).failed_at is None


def test_the_waiting_time_report_speaks_indonesian_to_supervisors_only(staff, site_b):
    assert staff("clerk.b").get("/counter/admin/bpjs/report").status_code == 403
    page = staff("spv.b").get("/counter/admin/bpjs/report?from=2026-11-01&to=2026-11-23")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Waktu tunggu BPJS" in html and "kami / diterima" not in html
    assert "Tidak ada kunjungan JKN" in html
