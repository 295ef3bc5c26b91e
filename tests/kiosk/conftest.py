"""Helpers for the kiosk's HTTP and Socket.IO tests (on the demo app of tests/conftest.py)."""

from __future__ import annotations

import re
import secrets

import pytest

from shared.models import Kiosk
from shared.seed import token_hash


@pytest.fixture
def app_session(app):
    """A session on the app's own database (the seeded demo mall)."""
    from shared.web.database import database

    with database(app).session_factory() as session:
        yield session


@pytest.fixture
def csrf(client):
    """The CSRF token the kiosk page hands to kiosk.js."""
    page = client.get("/kiosk/")
    assert page.status_code == 200
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


@pytest.fixture
def register_kiosk(app_session):
    """Register a kiosk like ``antre kiosk add`` does; returns (token, kiosk)."""

    def register(**fields) -> tuple[str, Kiosk]:
        token = secrets.token_urlsafe(24)
        kiosk = Kiosk(name=fields.pop("name", "Kiosk Lantai 2"), token_hash=token_hash(token))
        for key, value in fields.items():
            setattr(kiosk, key, value)
        app_session.add(kiosk)
        app_session.commit()
        return token, kiosk

    return register


@pytest.fixture(scope="session")
def _seeded_template(_template_db, tmp_path_factory) -> str:
    """The migrated template with the demo mall seeded once: seeding hashes some twenty demo
    passwords with argon2, which would cost seconds in every test."""
    import shutil

    from shared.db import make_engine, make_session_factory
    from shared.seed import seed_demo

    path = tmp_path_factory.mktemp("kiosk-template") / "antre.db"
    shutil.copy(_template_db, path)
    engine = make_engine(f"sqlite:///{path}")
    with make_session_factory(engine)() as session:
        seed_demo(session)
        session.commit()
    engine.dispose()
    return str(path)


@pytest.fixture
def seeded_db_url(tmp_path, _seeded_template) -> str:
    import shutil

    target = tmp_path / "seeded.db"
    shutil.copy(_seeded_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def config(config, seeded_db_url):
    """The shared test config, on a copy of the seeded template (domain tests keep ``session``
    on their own empty database)."""
    config.database_url = seeded_db_url
    return config
