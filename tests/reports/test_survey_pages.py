"""The citizen survey pages: ticket page and counter tablet, with CSRF, one response per ticket."""

from __future__ import annotations

import re

import pytest

from shared import queue
from shared.models import Counter, SurveyResponse
from shared.queue.sites import default_site
from shared.web.database import database
from tests.factories import Factory


@pytest.fixture
def finished(app):
    """A ticket served just now at a new counter of the demo mall."""
    with database(app).session_factory() as session:
        factory = Factory(session)
        factory._mall = default_site(session)
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


def register_tablet(app, counter_id: int) -> str:
    """What ``antre tablet add`` does: a token bound to the counter."""
    from shared.survey import register_tablet as register

    with database(app).session_factory() as session:
        token = register(session, session.get(Counter, counter_id))
        session.commit()
    return token


def open_tablet_link(client, counter_id: int, token: str) -> None:
    """The tablet opens its link once: the token goes into a cookie, out of the address bar."""
    url = f"/display/survey/counter/{counter_id}"
    opened = client.get(url, query_string={"token": token})
    assert opened.status_code == 302 and opened.headers["Location"].endswith(url)
    assert "HttpOnly" in opened.headers["Set-Cookie"]


def test_counter_tablet_shows_the_last_finished_ticket(client, app, finished):
    url = f"/display/survey/counter/{finished['counter']}"
    open_tablet_link(client, finished["counter"], register_tablet(app, finished["counter"]))
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


def test_only_the_counters_own_tablet_may_rate(app, finished):
    """Anyone on the LAN could rate any counter (issue 13, item 5): now only its tablet can."""
    url = f"/display/survey/counter/{finished['counter']}"
    tablet_token = register_tablet(app, finished["counter"])
    stranger = app.test_client()
    refused = stranger.get(url, query_string={"lang": "id"})
    assert refused.status_code == 403
    assert "belum terdaftar untuk loket 95" in refused.get_data(as_text=True)
    # Even with a valid form from the real tablet's page, a stranger's answer is refused.
    tablet = app.test_client()
    open_tablet_link(tablet, finished["counter"], tablet_token)
    page = tablet.get(url).get_data(as_text=True)
    forged = {
        **answers(page, finished["id"]),
        "csrf_token": token(stranger.get("/counter/login").text),
    }
    assert stranger.post(url, data=forged).status_code == 403
    assert count(app) == 0
    # A guessed or stale link is refused and sets nothing.
    wrong = stranger.get(url, query_string={"token": "tebakan-token"})
    assert wrong.status_code == 403 and "Set-Cookie" not in wrong.headers
    # The tablet of another counter cannot rate this one.
    with database(app).session_factory() as session:
        other = session.query(Counter).filter(Counter.id != finished["counter"]).first().id
    elsewhere = app.test_client()
    open_tablet_link(elsewhere, other, register_tablet(app, other))
    assert elsewhere.get(url).status_code == 403
    # The counter's own tablet rates, once per ticket.
    assert tablet.post(url, data=answers(page, finished["id"])).status_code == 302
    assert tablet.post(url, data=answers(page, finished["id"])).status_code == 409
    assert count(app) == 1
    # Registering a new tablet retires the old one.
    register_tablet(app, finished["counter"])
    assert tablet.get(url).status_code == 403


def test_antre_tablet_add_prints_a_working_link(app, runner, finished):
    result = runner("tablet", "add", "--counter", "95")
    assert result.exit_code == 0, result.output
    link = re.search(r"(/display/survey/counter/\d+)\?token=(\S+)", result.output)
    assert link.group(1) == f"/display/survey/counter/{finished['counter']}"
    tablet = app.test_client()
    open_tablet_link(tablet, finished["counter"], link.group(2))
    assert f'value="{finished["id"]}"' in tablet.get(link.group(1)).get_data(as_text=True)
    assert runner("tablet", "add", "--counter", "999").exit_code != 0


def test_the_admin_makes_a_tablet_link_on_the_counter_page(app, finished):
    from tests.security.test_headers import sign_in

    admin = app.test_client()
    assert sign_in(admin).status_code == 302
    page = admin.get(f"/counter/admin/counters/{finished['counter']}").get_data(as_text=True)
    form = re.search(r'action="(/counter/admin/counters/\d+/tablet)"', page)
    assert "Tautan baru tablet survei" in page
    made = admin.post(form.group(1), data={"csrf_token": token(page)})
    assert made.status_code == 200
    link = re.search(
        r'id="tablet-link">http://antre\.test(/display/survey/counter/\d+)\?token=([^<]+)<',
        made.text,
    )
    tablet = app.test_client()
    open_tablet_link(tablet, finished["counter"], link.group(2))
    assert f'value="{finished["id"]}"' in tablet.get(link.group(1)).get_data(as_text=True)
