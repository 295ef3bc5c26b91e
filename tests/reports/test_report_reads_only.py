"""A report request only reads: no INSERT, UPDATE or DELETE, however far behind the roll-ups
are; the page says how fresh its figures are instead."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from shared import queue, timeutil
from shared.queue.sites import default_site
from shared.reports.refresher import refresh_in_steps
from shared.web.database import database
from shared.web.i18n import COOKIE
from tests.factories import Factory
from tests.i18n.catalogue import visible_text
from tests.reports.seeded_day import DAY, seed_day

PAGES = (
    "/counter/reports/",
    "/counter/reports/export.csv",
    "/counter/reports/export.xlsx",
    "/counter/reports/skm/print",
    "/counter/reports/sites",
    "/counter/reports/sites/export.csv",
)
QUERY = {"period": "day", "start": DAY.isoformat()}


@pytest.fixture
def behind(app):
    """The seeded day, never folded into the roll-ups, and a ticket issued just now."""
    with database(app).session_factory() as session:
        factory = Factory(session)
        factory._mall = default_site(session)
        seeded = seed_day(session, factory)
        queue.issue_ticket(session, seeded.s1.id, check_availability=False)
        session.commit()


def writes_during(app, request) -> list[str]:
    engine = database(app).engine
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_):
        if statement.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        request()
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return seen


def test_no_report_request_writes(client, login, app, behind):
    login("admin")
    for path in PAGES:

        def get(path=path):
            assert client.get(path, query_string=QUERY).status_code == 200, path

        assert writes_during(app, get) == [], path


def page_text(client) -> str:
    client.set_cookie(COOKIE, "id")
    page = client.get("/counter/reports/", query_string=QUERY)
    assert page.status_code == 200
    return " ".join(visible_text(page.get_data(as_text=True)))


def test_the_page_says_the_figures_are_being_prepared(client, login, behind):
    login("admin")
    assert "sedang disiapkan untuk pertama kali" in page_text(client)


def test_the_page_says_how_fresh_the_figures_are(client, login, app, behind):
    factory = database(app).session_factory
    refresh_in_steps(factory)
    login("admin")
    text = page_text(client)
    assert "Data sampai pukul" in text and "WIB" in text
    assert "pembaruan berikutnya" not in text  # nothing newer waits
    assert 'data-current="yes"' in client.get("/counter/reports/").get_data(as_text=True)
    with factory() as session:
        queue.issue_ticket(
            session, default_site(session).agencies[0].services[0].id, check_availability=False
        )
        session.commit()
    assert "masuk pada pembaruan berikutnya" in page_text(client)
    assert 'data-current="no"' in client.get("/counter/reports/").get_data(as_text=True)


def test_a_stalled_job_is_said_so(client, login, app, behind):
    factory = database(app).session_factory
    refresh_in_steps(factory, now=timeutil.now_utc() - timedelta(hours=2))
    with factory() as session:
        queue.issue_ticket(
            session, default_site(session).agencies[0].services[0].id, check_availability=False
        )
        session.commit()
    login("admin")
    text = page_text(client)
    assert "Data sampai" in text and "antre reports work" in text
