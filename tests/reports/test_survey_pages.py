"""The citizen survey pages: ticket page and counter tablet, with CSRF, one response per ticket."""

from __future__ import annotations

import re

import pytest

from shared import queue
from shared.models import Counter, SurveyResponse
from shared.queue import get_mall
from shared.web.database import database
from tests.factories import Factory


@pytest.fixture
def finished(app):
    """A ticket served just now at a new counter of the demo mall."""
    with database(app).session_factory() as session:
        factory = Factory(session)
        factory._mall = get_mall(session)
        service = factory.service(prefix="XS")
        counter = Counter(
            agency=service.agency, number=95, name="Loket 95", services=[service], status="open"
        )
        session.add(counter)
        session.flush()
        ticket = queue.issue_ticket(session, service.id)
        queue.call_next(session, counter)
        queue.start_ticket(session, ticket)
        waiting = queue.issue_ticket(session, service.id)
        queue.finish_ticket(session, ticket)
        session.commit()
        return {"code": ticket.code, "id": ticket.id, "counter": counter.id, "open": waiting.code}


def token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def answers(page: str, ticket_id: int) -> dict:
    return {"csrf_token": token(page), "ticket_id": str(ticket_id), "u1": "4", "u7": "3"}


def count(app) -> int:
    with database(app).session_factory() as session:
        return session.query(SurveyResponse).count()


def test_rate_on_the_ticket_page_once(client, app, finished):
    url = f"/t/{finished['code']}/survey"
    page = client.get(url, query_string={"lang": "id"}).get_data(as_text=True)
    assert "Persyaratan" in page and 'type="radio"' in page
    sent = client.post(url, data=answers(page, finished["id"]))
    assert sent.status_code == 302
    assert count(app) == 1
    again = client.get(url).get_data(as_text=True)
    assert 'name="ticket_id"' not in again  # nothing left to rate
    second = client.post(url, data=answers(page, finished["id"]))
    assert second.status_code == 409 and count(app) == 1


def test_without_csrf_token_is_refused(client, app, finished):
    url = f"/t/{finished['code']}/survey"
    response = client.post(url, data={"ticket_id": finished["id"], "u1": "4"})
    assert response.status_code == 400 and count(app) == 0


def test_unfinished_ticket_has_no_form(client, finished):
    page = client.get(f"/t/{finished['open']}/survey").get_data(as_text=True)
    assert 'name="ticket_id"' not in page
    assert client.get("/t/NOPE/survey").status_code == 404


def test_counter_tablet_shows_the_last_finished_ticket(client, app, finished):
    url = f"/display/survey/counter/{finished['counter']}"
    page = client.get(url).get_data(as_text=True)
    assert f'value="{finished["id"]}"' in page and 'http-equiv="refresh"' in page
    bad = {**answers(page, finished["id"]), "u1": "9"}
    assert client.post(url, data=bad).status_code == 422 and count(app) == 0
    assert client.post(url, data=answers(page, finished["id"])).status_code == 302
    assert count(app) == 1
    assert 'name="ticket_id"' not in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize(
    ("suggestion", "says"),
    [
        ("bagus\x00", "Saran berisi karakter kontrol (seperti NUL)."),
        ("\u202ebagus", "Saran berisi karakter pengatur arah teks."),
        ("\u200b\u200b", "Saran tidak berisi karakter yang terlihat."),
    ],
)
def test_a_hostile_suggestion_is_refused_naming_it(client, app, finished, suggestion, says):
    url = f"/t/{finished['code']}/survey"
    page = client.get(url, query_string={"lang": "id"}).get_data(as_text=True)
    sent = client.post(url, data={**answers(page, finished["id"]), "suggestion": suggestion})
    assert sent.status_code == 422 and count(app) == 0
    assert says in sent.get_data(as_text=True)


def test_a_suggestion_is_stored_clean(client, app, finished):
    url = f"/t/{finished['code']}/survey"
    page = client.get(url).get_data(as_text=True)
    typed = "  Antre\r\ncepat \u200b"
    assert (
        client.post(url, data={**answers(page, finished["id"]), "suggestion": typed}).status_code
        == 302
    )
    with database(app).session_factory() as session:
        assert session.query(SurveyResponse).one().suggestion == "Antre\ncepat"
