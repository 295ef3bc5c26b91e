"""Browser-facing protections on every kind of page: CSP without inline code, cookie flags,
rate limits on sign-in and ticket taking (per client behind a trusted proxy)."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from shared.accounts import DEMO_PASSWORD
from shared.models import Counter, Kiosk, Service, Ticket
from shared.seed import token_hash
from shared.web.database import database

# A <script> without src runs inline code, unless it is a JSON data block (never executed).
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE
)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def a_ticket_code(app) -> str:
    with database(app).session_factory() as session:
        from shared import queue

        service = session.execute(select(Service).order_by(Service.id)).scalars().first()
        ticket: Ticket = queue.issue_ticket(session, service.id)
        session.commit()
        return ticket.code


def sign_in(client, username="admin", password=DEMO_PASSWORD):
    page = client.get("/counter/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/counter/login", data=data)


def test_every_page_type_has_a_strict_csp_and_no_inline_code(app, client):
    code = a_ticket_code(app)
    pages = ["/kiosk/", "/counter/login", "/display/", "/display/zone/1", f"/t/{code}", "/nope"]
    assert sign_in(client).status_code == 302
    pages += ["/counter/dashboard", "/counter/admin/", "/counter/reports/"]
    for path in pages:
        response = client.get(path)
        assert response.status_code < 500, path
        csp = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, path
        assert response.headers["Referrer-Policy"] == "same-origin", path
        if response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            assert not INLINE_SCRIPT.search(html), f"inline <script> in {path}"
            assert not INLINE_HANDLER.search(html), f"inline event handler in {path}"
    api = client.get("/kiosk/api/services")
    assert "frame-ancestors 'none'" in api.headers["Content-Security-Policy"]


def make_app(config):
    import run
    from shared.web.startup import prepare_database

    prepare_database(config, upgrade=False)
    application = run.create_app(config)
    application.config.update(TESTING=True)
    return application


@pytest.fixture
def https_app(config):
    config.public_url = "https://antrean.mpp.test"
    application = make_app(config)
    yield application
    database(application).engine.dispose()


def test_session_cookie_is_secure_httponly_and_samesite_behind_https(https_app):
    client = https_app.test_client()
    answer = sign_in(client)
    assert answer.status_code == 302
    cookies = [c for c in answer.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, answer.headers
    flags = cookies[-1].lower()
    assert "; secure" in flags and "; httponly" in flags and "samesite=lax" in flags


def test_every_cookie_is_secure_httponly_and_samesite_behind_https(https_app):
    """The kiosk's device token, the clerk's counter and the language too, not only the session."""
    with database(https_app).session_factory() as session:
        counter = session.execute(select(Counter).order_by(Counter.number)).scalars().first()
        token = token_hash("kiosk-tls-token-123")
        session.add(Kiosk(name="Kiosk TLS", token_hash=token, site_id=counter.site_id))
        counter_id, clerk = counter.id, counter.agency.short_name.lower() + "1"
        session.commit()
    client = https_app.test_client()
    answers = [
        client.get("/kiosk/?token=kiosk-tls-token-123"),
        client.get("/display/?lang=en"),
        sign_in(client, clerk),
    ]
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/counter/pick").text)
    form = {"counter_id": counter_id, "csrf_token": token.group(1)}
    answers.append(client.post("/counter/pick", data=form))
    cookies = [c for answer in answers for c in answer.headers.getlist("Set-Cookie")]
    names = {c.split("=", 1)[0] for c in cookies}
    assert {"antre_kiosk", "antre_lang", "session", "antre_counter"} <= names
    for cookie in cookies:
        flags = cookie.lower()
        assert "; secure" in flags and "; httponly" in flags and "samesite=" in flags, cookie


@pytest.mark.parametrize("hops", [0, 1])
def test_sign_in_limit_counts_each_client_behind_a_trusted_proxy(config, hops):
    """Behind nginx (ANTRE_PROXY_HOPS=1) one client's failures do not lock out the others; with
    no proxy declared, a forged X-Forwarded-For does not reset the count."""
    config.proxy_hops = hops
    app = make_app(config)
    first, second = app.test_client(), app.test_client()
    first.environ_base["HTTP_X_FORWARDED_FOR"] = "10.0.0.1"
    second.environ_base["HTTP_X_FORWARDED_FOR"] = "10.0.0.2"
    assert [sign_in(first, password="wrong").status_code for _ in range(11)][-1] == 429
    assert sign_in(second, password="wrong").status_code == (401 if hops else 429)
    database(app).engine.dispose()


def test_session_cookie_is_httponly_and_samesite_on_plain_http(client):
    answer = sign_in(client)
    flags = [c for c in answer.headers.getlist("Set-Cookie") if c.startswith("session=")][-1]
    assert "HttpOnly" in flags and "SameSite=Lax" in flags


def test_sign_in_is_rate_limited(client):
    statuses = [sign_in(client, password="wrong").status_code for _ in range(11)]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429


def test_ticket_taking_is_rate_limited(app, client):
    page = client.get("/kiosk/").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    services = client.get("/kiosk/api/services").get_json()["services"]
    service = next(s["id"] for s in services if s["open"] and s["quota_left"] is None)
    statuses = []
    for _ in range(61):
        body = {"service_id": service, "priority": "none", "idempotency_key": uuid.uuid4().hex}
        answer = client.post("/kiosk/api/tickets", json=body, headers={"X-CSRFToken": token})
        statuses.append(answer.status_code)
    assert statuses[:60] == [201] * 60
    assert statuses[60] == 429
