"""Reprint from the counter, on a real (emulated) network printer: the ESC/POS stand-in of
tests/kiosk/printers.py on a loopback socket, set as the printer of the kiosk that issued the
ticket. It prints (200, and the printer got the number and the QR link), or it cannot (502 with a
message in the clerk's language)."""

from __future__ import annotations

import os

import pytest
import zxingcpp
from sqlalchemy import update

from shared.models import Kiosk, Ticket
from shared.seed import token_hash
from shared.web.i18n import COOKIE
from tests.counter.conftest import agency_by_short, issue
from tests.i18n.catalogue import english_in
from tests.kiosk.printers import RecordingPrinter, closed_port, paper, raster_images


@pytest.fixture
def config(config):
    config.printer_timeout = 3.0  # a loaded machine; the emulator answers at once
    return config


@pytest.fixture
def printer():
    server = RecordingPrinter()
    yield server
    server.close()


def failed_ticket(db, printer_uri: str) -> Ticket:
    """A Dukcapil ticket from a kiosk with this printer, whose first print failed."""
    site_id = agency_by_short(db, "Dukcapil").site_id
    kiosk = Kiosk(site_id=site_id, name="Kiosk cetak", token_hash=token_hash(os.urandom(8).hex()))
    kiosk.printer_uri = printer_uri
    db.add(kiosk)
    db.flush()
    ticket = issue(db, "Dukcapil", kiosk=kiosk)
    db.execute(update(Ticket).where(Ticket.id == ticket.id).values(print_state="failed"))
    db.commit()
    return ticket


def qr_links(data: bytes) -> list[str]:
    """The links of the ticket's QR: native ESC/POS ("1P0" + link) or drawn as a raster."""
    if b"1P0" in data:
        start = data.index(b"1P0") + 3
        return [data[start : data.index(b"\x1d", start)].decode()]
    return [code.text for code in zxingcpp.read_barcodes(paper(raster_images(data)))]


def test_reprint_prints_the_ticket_again(staff, db, printer, app):
    ticket = failed_ticket(db, printer.uri)
    answer = staff("dukcapil1").post(f"/counter/api/tickets/{ticket.id}/reprint", json={})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["print"] == {"ok": True}
    assert printer.done.wait(5)
    assert ticket.display_number.encode() in printer.data
    public = app.config["ANTRE"].public_url.rstrip("/")
    assert qr_links(printer.data) == [f"{public}/t/{ticket.code}"]
    db.expire_all()
    assert db.get(Ticket, ticket.id).print_state == "printed"


def test_reprint_on_a_printer_that_does_not_answer(staff, db):
    ticket = failed_ticket(db, f"tcp://127.0.0.1:{closed_port()}")
    clerk = staff("dukcapil1")
    clerk.set_cookie(COOKIE, "id")
    answer = clerk.post(f"/counter/api/tickets/{ticket.id}/reprint", json={})
    assert answer.status_code == 502
    body = answer.get_json()
    assert body["error"] == "print_failed"
    assert body["message"].startswith("Tiket tidak dapat dicetak"), body["message"]
    assert english_in([body["message"]]) == [], body["message"]
    db.expire_all()
    assert db.get(Ticket, ticket.id).print_state == "failed"


def test_reprint_of_another_agencys_ticket_is_refused(staff, db):
    ticket = issue(db, "Dukcapil")
    assert staff("samsat1").post(f"/counter/api/tickets/{ticket.id}/reprint").status_code == 403
