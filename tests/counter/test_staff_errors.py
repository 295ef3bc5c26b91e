"""Errors staff see are said in their language; the technical detail stays behind the message
(rendered in Indonesian)."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import update

from shared.models import Kiosk, Ticket
from tests.counter.conftest import issue
from tests.kiosk.printers import closed_port


@pytest.fixture
def config(config):
    config.printer = f"tcp://127.0.0.1:{closed_port()}"  # a printer that is switched off
    config.printer_timeout = 1.0
    return config


def test_a_failed_reprint_says_what_to_check_with_the_detail_behind_it(staff, db):
    ticket = issue(db, "Dukcapil")
    db.execute(update(Ticket).where(Ticket.id == ticket.id).values(print_state="failed"))
    answer = staff("dukcapil1").post(f"/counter/api/tickets/{ticket.id}/reprint", json={})
    assert answer.status_code == 502
    body = answer.get_json()
    assert body["error"] == "print_failed"
    assert body["message"] == (
        "Tiket tidak dapat dicetak. Printer tidak dapat dihubungi: periksa apakah printer"
        " menyala dan tersambung."
    )
    assert "Errno" not in body["message"] and "cannot reach" not in body["message"]
    assert body["detail"].startswith("cannot reach the printer")


def test_the_dashboard_names_printer_states_and_folds_the_detail(staff, db):
    db.execute(
        update(Kiosk).values(
            printer_state="offline",
            printer_detail="cannot reach the printer: [Errno 111] Connection refused",
        )
    )
    admin = staff("admin")
    page = admin.get("/counter/dashboard").get_data(as_text=True)
    text = json.loads(re.search(r'id="dashboard-text">(.*?)</script>', page, re.S).group(1))
    assert text["printer_state"]["offline"] == "luring"
    assert text["printer_state"]["paper_out"] == "kertas habis"
    assert text["detail"] == "Detail teknis"
    kiosks = admin.get("/counter/api/dashboard").get_json()["kiosks"]
    assert kiosks and kiosks[0]["printer_state"] == "offline"  # the code, which the page names
