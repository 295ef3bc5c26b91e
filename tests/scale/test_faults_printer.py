"""A network printer that drops, or stalls, in the middle of a ticket: the real server (run.py)
prints to a real TCP listener on 127.0.0.1 that reads part of the ticket and then resets the
connection, or stops reading. The ticket must survive, be marked unprinted for staff, reprint
in full once the printer is back, and the next ticket must print normally."""

from __future__ import annotations

import pytest

from tests.kiosk.printers import STATUS, FlakyPrinter
from tests.scale.mall import counter_one
from tests.scale.processes import Clerk, KioskClient
from tests.servers import running_server

pytestmark = pytest.mark.slow
CUT = b"\x1dV\x00"  # the last command of every ticket (see shared/printing/layout.py)


def printed_in_full(job: bytes, number: str) -> bool:
    return number.encode() in job and CUT in job


def failed_numbers(clerk: Clerk, counter_id: int) -> list[str]:
    answer = clerk.http.get(f"{clerk.base}/counter/api/counters/{counter_id}", timeout=10)
    assert answer.status_code == 200, answer.text
    return [ticket["number"] for ticket in answer.json()["failed_prints"]]


def test_printer_dropping_or_stalling_mid_ticket(demo_db_url, tmp_path):
    counter = counter_one(demo_db_url)
    printer = FlakyPrinter("ok")
    try:
        env = {"ANTRE_PRINTER": printer.uri, "ANTRE_PRINTER_TIMEOUT": "2"}
        with running_server(demo_db_url, log_path=tmp_path / "server.log", **env) as (base, _):
            kiosk, clerk = KioskClient(base), Clerk(base, counter["clerk"])
            numbers = []
            for mode in ("drop", "stall"):
                printer.mode = mode
                jobs_before = len(printer.jobs)
                key = f"fault-{mode}-key"
                taken = kiosk.take(counter["service"], key=key)
                # The citizen gets the ticket on screen, told to photograph it.
                assert taken.status_code == 201, taken.text
                body = taken.json()
                ticket, printed = body["ticket"], body["print"]
                numbers.append(ticket["number"])
                assert printed["ok"] is False, f"{mode}: a half-sent ticket counted as printed"
                assert "foto nomor dan kode QR" in printed["error"], printed
                partial = bytes(printer.jobs[jobs_before])
                assert STATUS in partial and not printed_in_full(partial, ticket["number"])

                # The same tap again (the kiosk retries): the same ticket, not a second one.
                again = kiosk.take(counter["service"], key=key)
                assert again.status_code == 200, again.text
                assert again.json()["ticket"]["code"] == ticket["code"]
                assert again.json()["print"]["ok"] is False

                # Staff see it as unprinted and reprint once the printer works again.
                assert ticket["number"] in failed_numbers(clerk, counter["id"])
                printer.mode = "ok"
                printer.done.clear()
                jobs_before = len(printer.jobs)
                ticket_id = _ticket_id(clerk, counter["id"], ticket["number"])
                reprint = clerk.http.post(
                    f"{base}/counter/api/tickets/{ticket_id}/reprint", json={}, timeout=10
                )
                assert reprint.status_code == 200, reprint.text
                printer.done.wait(5)
                whole = b"".join(bytes(job) for job in printer.jobs[jobs_before:])
                assert printed_in_full(whole, ticket["number"]), whole[:80]
                assert ticket["number"] not in failed_numbers(clerk, counter["id"])

                # The next citizen's ticket prints normally.
                printer.done.clear()
                jobs_before = len(printer.jobs)
                following = kiosk.take(counter["service"]).json()
                assert following["print"] == {"ok": True, "error": None, "code": "printed"}
                numbers.append(following["ticket"]["number"])
                printer.done.wait(5)
                job = b"".join(bytes(job) for job in printer.jobs[jobs_before:])
                assert printed_in_full(job, following["ticket"]["number"])
            # Four tickets, four consecutive numbers: none lost, none given twice.
            digits = [int(number[-3:]) for number in numbers]
            assert digits == list(range(digits[0], digits[0] + 4)), numbers
    finally:
        printer.stalled.set()
        printer.close()


def _ticket_id(clerk: Clerk, counter_id: int, number: str) -> int:
    answer = clerk.http.get(f"{clerk.base}/counter/api/counters/{counter_id}", timeout=10).json()
    return next(t["id"] for t in answer["failed_prints"] if t["number"] == number)
