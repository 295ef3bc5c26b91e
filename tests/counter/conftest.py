"""Helpers for the counter tests: the demo mall's counters, tickets issued at the kiosk, and
a client per signed-in user (with the CSRF token the console sends)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from shared import queue
from shared.models import Agency, Counter, Service
from shared.web.database import database


@pytest.fixture
def db(app):
    """A session of the app's own database (commit to make things visible to requests)."""
    with database(app).session_factory() as session:
        yield session


def csrf_of(client, path="/counter/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


@pytest.fixture
def staff(app):
    """staff("dukcapil1") -> a test client signed in as that user, with its CSRF header set."""

    def make(username: str):
        client = app.test_client()
        from sqlalchemy import select as _select

        from shared.models import StaffUser

        with database(app).session_factory() as session:
            user_id = session.execute(
                _select(StaffUser.id).where(StaffUser.username == username)
            ).scalar_one()
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = str(user_id)
            flask_session["_fresh"] = True
        token = csrf_of(client)
        client.environ_base["HTTP_X_CSRFTOKEN"] = token
        return client

    return make


def agency_by_short(session, short: str) -> Agency:
    return session.execute(select(Agency).where(Agency.short_name == short)).scalar_one()


def first_counter(session, short: str) -> Counter:
    agency = agency_by_short(session, short)
    return min(agency.counters, key=lambda c: c.number)


def issue(session, short: str, *, service: Service | None = None, **kw):
    """A ticket for the first service that the agency's first counter serves, committed."""
    service = service or first_counter(session, short).services[0]
    ticket = queue.issue_ticket(session, service.id, check_availability=False, **kw)
    session.commit()
    return ticket
