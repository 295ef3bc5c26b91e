"""Fixtures in the style of Flask's tutorial: app, client, runner; plus database factories.

Domain tests use ``session`` on a real SQLite file; ``pg_url`` gives a private schema on the real
PostgreSQL when ANTRE_TEST_POSTGRES_URL is set (CI sets it) and skips, saying why, when it is not.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from shared import events, migrate
from shared.config import Config
from shared.db import make_engine, make_session_factory
from shared.seed import seed_demo
from tests.factories import Factory

POSTGRES_ENV = "ANTRE_TEST_POSTGRES_URL"
REDIS_ENV = "ANTRE_TEST_REDIS_URL"


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory) -> str:
    """One migrated SQLite file; each test gets a copy (migrating per test would be slow)."""
    path = tmp_path_factory.mktemp("template") / "antre.db"
    migrate.upgrade(f"sqlite:///{path}")
    return str(path)


@pytest.fixture(scope="session")
def _seeded_template_db(tmp_path_factory, _template_db) -> str:
    """The migrated file with the demo mall in it (hashing its passwords once, not per test)."""
    path = tmp_path_factory.mktemp("seeded") / "antre.db"
    shutil.copy(_template_db, path)
    engine = make_engine(f"sqlite:///{path}")
    with make_session_factory(engine)() as session:
        seed_demo(session)
        session.commit()
    engine.dispose()
    return str(path)


@pytest.fixture
def db_url(tmp_path, _template_db) -> str:
    """An empty, migrated SQLite file: domain tests build what they need with ``factory``."""
    target = tmp_path / "antre.db"
    shutil.copy(_template_db, target)
    return f"sqlite:///{target}"


@pytest.fixture
def demo_db_url(tmp_path, _seeded_template_db) -> str:
    """A migrated SQLite file holding the demo mall."""
    target = tmp_path / "demo.db"
    shutil.copy(_seeded_template_db, target)
    return f"sqlite:///{target}"


@pytest.fixture
def publisher() -> events.RecordingPublisher:
    return events.RecordingPublisher()


@pytest.fixture
def session_factory(db_url, publisher):
    engine = make_engine(db_url)
    yield make_session_factory(engine, publisher)
    engine.dispose()


@pytest.fixture
def session(session_factory):
    with session_factory() as s:
        yield s


@pytest.fixture
def factory(session) -> Factory:
    return Factory(session)


def _schema_url(base: str, schema: str) -> str:
    url = make_url(base)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@pytest.fixture
def pg_url():
    """A fresh, migrated schema on the real PostgreSQL, dropped afterwards."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL to test against (.ci/run sets it)")
    schema = f"antre_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _schema_url(base, schema)
    migrate.upgrade(url)
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"{REDIS_ENV} is not set: no Redis to test against (.ci/run sets it)")
    return url


@pytest.fixture
def config(demo_db_url, tmp_path) -> Config:
    return Config(
        database_url=demo_db_url,
        demo=True,
        async_mode="threading",
        instance_path=str(tmp_path / "instance"),
        public_url="http://antre.test",
        socketio_channel=f"antre-test-{uuid.uuid4().hex[:8]}",
    )


@pytest.fixture
def app(config):
    """The embedded default (all three apps in one) on a seeded copy of the database."""
    import run
    from shared.web.startup import prepare_database

    prepare_database(config, upgrade=False)
    application = run.create_app(config)
    application.config.update(TESTING=True)
    yield application
    from shared.web.database import database

    database(application).engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(config):
    """Runs the ``antre`` command against the test database."""
    from click.testing import CliRunner

    from shared.cli import main

    env = {"ANTRE_DATABASE_URL": config.database_url}

    def invoke(*args, **kw):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False, **kw)

    return invoke


@pytest.fixture
def login(client, app):
    """Sign ``client`` in as a user (by username or StaffUser), the way Flask-Login keeps it."""

    def sign_in(user) -> None:
        from sqlalchemy import select

        from shared.models import StaffUser
        from shared.web.database import database

        username = user if isinstance(user, str) else user.username
        with database(app).session_factory() as session:
            found = session.execute(select(StaffUser).where(StaffUser.username == username))
            session_id = found.scalar_one().get_id()  # "<id>:<session generation>"
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = session_id
            flask_session["_fresh"] = True
            flask_session["counter_signed_in"] = time.time()

    return sign_in


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (tests/browser.py), one per test module."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch, require_chromium

    require_chromium()
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
