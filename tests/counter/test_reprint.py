"""Reprint through the kiosk helper's shared.printing (runs once the lead merges it)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from shared.models import Ticket
from tests.counter.conftest import issue


def test_reprint_a_failed_ticket(staff, db):
    pytest.importorskip("shared.printing")
    ticket = issue(db, "Dukcapil")
    db.execute(update(Ticket).where(Ticket.id == ticket.id).values(print_state="failed"))
    answer = staff("dukcapil1").post(f"/counter/api/tickets/{ticket.id}/reprint", json={})
    # The demo runs with ANTRE_PRINTER=none: either printed, or a clear 502 print_failed.
    assert answer.status_code in (200, 502)
    body = answer.get_json()
    assert body.get("ticket", {}).get("id") == ticket.id or body["error"] == "print_failed"


def test_reprint_of_another_agencys_ticket_is_refused(staff, db):
    ticket = issue(db, "Dukcapil")
    assert staff("samsat1").post(f"/counter/api/tickets/{ticket.id}/reprint").status_code == 403
