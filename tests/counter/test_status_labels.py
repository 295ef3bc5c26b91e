"""Ticket and counter statuses carry one label each (shared/enums.py), shown in Indonesian on the
console, in its error messages and on the citizen's phone."""

from __future__ import annotations

import json
import re

from shared.enums import TicketStatus
from shared.models import Ticket
from shared.web.database import database
from tests.counter.conftest import first_counter, issue


def _console_text(page: str) -> dict:
    return json.loads(re.search(r'id="console-text">(.*?)</script>', page, re.S).group(1))


def test_the_console_names_statuses_with_the_one_set_of_labels(staff, db):
    counter = first_counter(db, "Dukcapil")
    page = staff("dukcapil1").get(f"/counter/console/{counter.id}").get_data(as_text=True)
    text = _console_text(page)
    assert text["status"]["no_show"] == "Tidak hadir"
    assert text["status"]["serving"] == "Sedang dilayani"
    assert set(text["status"]) == set(TicketStatus.values())
    assert text["counter"] == {"open": "buka", "paused": "istirahat", "closed": "tutup"}


def test_a_refused_action_names_the_status_in_indonesian(staff, db):
    ticket = issue(db, "Dukcapil")  # waiting: it cannot be started
    answer = staff("dukcapil1").post(f"/counter/api/tickets/{ticket.id}/start", json={})
    assert answer.status_code == 409
    body = answer.get_json()
    assert body["error"] == "invalid_transition"
    assert body["message"].startswith(f"Tiket {ticket.display_number} (Menunggu) tidak dapat")


def test_the_phone_page_uses_the_same_labels(staff, db, app):
    ticket = issue(db, "Dukcapil")
    db.commit()
    phone = app.test_client()
    page = phone.get(f"/t/{ticket.code}?lang=id").get_data(as_text=True)
    assert 'data-t-no_show="Tidak hadir"' in page
    assert 'data-t-transferred="Dialihkan"' in page
    english = phone.get(f"/t/{ticket.code}?lang=en").get_data(as_text=True)
    assert 'data-t-no_show="No-show"' in english
    with database(app).session_factory() as session:
        assert session.get(Ticket, ticket.id).status == "waiting"  # stored as it always was
