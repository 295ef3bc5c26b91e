"""Helpers for the kiosk's HTTP and Socket.IO tests (on the demo app of tests/conftest.py)."""

from __future__ import annotations

import re
import secrets

import pytest

from shared.models import Kiosk
from shared.queue.sites import default_site
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
    """Register a kiosk like ``antre kiosk add`` does (on the demo site unless ``site_id`` says
    another); returns (token, kiosk)."""

    def register(**fields) -> tuple[str, Kiosk]:
        token = secrets.token_urlsafe(24)
        kiosk = Kiosk(
            name=fields.pop("name", "Kiosk Lantai 2"),
            token_hash=token_hash(token),
            site_id=fields.pop("site_id", None) or default_site(app_session).id,
        )
        for key, value in fields.items():
            setattr(kiosk, key, value)
        app_session.add(kiosk)
        app_session.commit()
        return token, kiosk

    return register
