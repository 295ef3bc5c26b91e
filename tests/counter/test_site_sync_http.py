"""POST /api/sites/<slug>/sync through the composed app: a laptop's days pushed over HTTP, signed
by the site's key and nothing else (no session, no CSRF token)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared.models import Site, Ticket
from shared.site_sync import signing
from shared.site_sync.export import export_site
from shared.site_sync.push import push_days
from shared.site_sync.views import BODY_LIMIT
from shared.web.database import database
from tests.shared.site_sync_world import (
    SLUG,
    build_site,
    offline_afternoon,
    offline_morning,
    ticket_facts,
)
from tests.shared.site_sync_world import database as sqlite_database

URL = f"/api/sites/{SLUG}/sync"


@pytest.fixture
def key(tmp_path) -> signing.SiteKey:
    return signing.generate(str(tmp_path / "laptop-instance"), SLUG)


@pytest.fixture
def laptop(tmp_path, _template_db):
    engine, factory = sqlite_database(tmp_path, _template_db, "laptop")
    with factory() as session:
        build_site(session)
        session.commit()
        offline_morning(session)
    yield factory
    engine.dispose()


@pytest.fixture
def central(app, key):
    """The app's database (the demo mall) with the mobile site, its key registered."""
    factory = database(app).session_factory
    with factory() as session:
        build_site(session).sync_public_key = key.public_hex
        session.commit()
    return factory


def poster(client, headers=None):
    def post(url: str, body: bytes):
        answer = client.post(
            url.removeprefix("http://central.test"),
            data=body,
            content_type="application/octet-stream",
            headers=headers or {},
        )
        return answer.status_code, answer.get_json()

    return post


def signed(laptop, key) -> bytes:
    with laptop() as session:
        site = session.execute(select(Site).where(Site.slug == SLUG)).scalar_one()
        return signing.pack(export_site(session, site, key.tag), key)


def push(laptop, key, client, **kw):
    with laptop() as session:
        site = session.execute(select(Site).where(Site.slug == SLUG)).scalar_one()
        return list(push_days(session, site, key, "http://central.test", post=poster(client), **kw))


def test_a_push_imports_the_days_once(app, laptop, central, key):
    client = app.test_client()  # no session, no CSRF token: the signature is the credential
    [(day, status, answer)] = push(laptop, key, client)
    assert status == 200, answer
    assert answer["site"] == SLUG
    assert answer["imported"] == {"visits": 3, "tickets": 4, "logs": 14, "surveys": 1}
    [(_, status, again)] = push(laptop, key, client)
    assert status == 200 and sum(again["imported"].values()) == 0
    assert again["skipped"]["tickets"] == 4
    with laptop() as offline, central() as session:
        assert ticket_facts(session) == ticket_facts(offline)
    with laptop() as session:
        offline_afternoon(session)
    [(_, status, later)] = push(laptop, key, client, since=day)
    assert status == 200 and later["updated"] == 1 and later["imported"]["logs"] == 3


def test_a_changed_byte_is_refused_in_the_users_language(app, laptop, central, key):
    data = bytearray(signed(laptop, key))
    data[-5] ^= 1
    client = app.test_client()
    answer = client.post(URL, data=bytes(data), headers={"Accept-Language": "id"})
    assert answer.status_code == 403
    assert answer.get_json()["error"] == "sync_bad_signature"
    assert "tanda tangan" in answer.get_json()["message"].lower()
    with central() as session:
        assert session.execute(select(Ticket).where(Ticket.origin.is_not(None))).first() is None


def test_refusals_name_what_is_wrong(app, laptop, central, key, tmp_path):
    client = app.test_client()
    assert client.post(URL, data=b"").status_code == 400
    damaged = client.post(URL, data=b"not a sync file", headers={"Accept-Language": "id"})
    assert damaged.get_json()["error"] == "sync_malformed"
    assert "tidak ada kepala bertanda tangan" in damaged.get_json()["message"]
    other = signing.generate(str(tmp_path / "other"), SLUG)
    answer = client.post(URL, data=signed(laptop, other))
    assert (answer.status_code, answer.get_json()["error"]) == (403, "sync_wrong_key")
    wrong_site = client.post("/api/sites/mpp-lain/sync", data=signed(laptop, key))
    assert wrong_site.status_code == 400  # the file names another site than the address
    assert client.get(URL).status_code == 405


def test_the_body_is_limited_and_pushes_are_rate_limited(app, central):
    client = app.test_client()
    answer = client.post(URL, data=b"x" * (BODY_LIMIT + 1))
    assert answer.status_code == 413
    statuses = [client.post(URL, data=b"unsigned").status_code for _ in range(30)]
    assert set(statuses) == {400, 429} and statuses[-1] == 429


@pytest.mark.slow
def test_antre_site_push_reaches_a_running_server(laptop, key, demo_db_url, tmp_path):
    """The command itself, over a real socket (urllib), into ``python run.py``."""
    from click.testing import CliRunner

    from shared.cli import main
    from shared.db import make_engine, make_session_factory
    from tests.servers import running_server

    engine = make_engine(demo_db_url)
    with make_session_factory(engine)() as session:
        build_site(session).sync_public_key = key.public_hex
        session.commit()
    instance = tmp_path / "laptop-instance"  # where the ``key`` fixture wrote the private key
    env = {"ANTRE_DATABASE_URL": str(laptop.kw["bind"].url), "ANTRE_INSTANCE_PATH": str(instance)}
    with running_server(demo_db_url, log_path=tmp_path / "server.log") as (base, _):
        push = ("site", "push", "--site", SLUG, "--url", base)
        first = CliRunner().invoke(main, list(push), env=env)
        again = CliRunner().invoke(main, list(push), env=env)
    assert first.exit_code == 0, first.output
    assert "imported 3 visits, 4 tickets, 14 logs, 1 surveys" in first.output
    assert "imported 0 visits" in again.output and "already here 3 visits" in again.output
    with make_session_factory(engine)() as session, laptop() as offline:
        assert ticket_facts(session) == ticket_facts(offline)
    engine.dispose()
