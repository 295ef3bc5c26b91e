"""Helpers for the counter tests: the demo mall's counters, tickets issued at the kiosk, and
a client per signed-in user (with the CSRF token the console sends)."""

from __future__ import annotations

import re
import time

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from shared import queue
from shared.models import Agency, Counter, Display, Kiosk, Service, StaffUser
from shared.seed import token_hash
from shared.web.database import database
from tests.factories import Factory

SITE_B_STAFF = ("admin.b", "spv.b", "clerk.b")  # its site admin, supervisor and clerk


@pytest.fixture
def db(app):
    """A session of the app's own database. SQLite begins every transaction IMMEDIATE, so the
    test clients below end this session's transaction before each request (see ``staff``)."""
    with database(app).session_factory(expire_on_commit=False) as session:
        yield session


class _Client(FlaskClient):
    """A test client that first commits the test's own session, so no lock is held."""

    db_session = None

    def open(self, *args, **kwargs):
        if self.db_session is not None:
            self.db_session.commit()
        return super().open(*args, **kwargs)


def csrf_of(client, path="/counter/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


@pytest.fixture
def anonymous(app, db):
    """A client signed in as nobody (that still releases the test session's lock)."""

    def make():
        app.test_client_class = _Client
        client = app.test_client()
        client.db_session = db
        return client

    return make


@pytest.fixture
def staff(app, db, anonymous):
    """staff("dukcapil1") -> a test client signed in as that user, with its CSRF header set."""

    def make(username: str, *, with_csrf: bool = True):
        client = anonymous()
        user = db.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one()
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = user.get_id()  # "<id>:<session generation>"
            flask_session["_fresh"] = True
            flask_session["counter_signed_in"] = time.time()
        if with_csrf:
            client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_of(client)
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


@pytest.fixture
def site_b(db):
    """Site B: one agency with a service, an open counter, a kiosk, a TV and three staff."""
    make = Factory(db)
    site = make.site(slug="site-b", name="Puskesmas B", kind="puskesmas")
    agency = make.agency("PKM-B", site=site)
    service = make.service(agency, prefix="A")  # the same prefix as site A's KTP: per site
    counter = make.counter([service])
    db.add(Kiosk(site_id=site.id, name="Kiosk B", token_hash=token_hash("kiosk-b-token-0123")))
    db.add(Display(site_id=site.id, name="TV B", media=[]))
    make.user(StaffUser.ADMIN, username="admin.b", site_id=site.id)
    make.user(StaffUser.SUPERVISOR, agency, username="spv.b")
    make.user(StaffUser.CLERK, agency, username="clerk.b")
    db.commit()
    return {"site": site, "agency": agency, "service": service, "counter": counter}
