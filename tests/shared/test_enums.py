"""The enums keep the stored and JSON values exactly (a public contract) and give one label each."""

from __future__ import annotations

import json

from shared import enums
from shared.models import Booking, Counter, Site, StaffUser
from shared.queue import states
from shared.queue.payloads import ticket_staff

# Exactly the values rows, payloads and docs/openapi.yaml have always had.
STORED = {
    enums.TicketStatus: (
        "waiting",
        "called",
        "serving",
        "done",
        "no_show",
        "cancelled",
        "transferred",
    ),
    enums.PrintState: ("none", "pending", "printed", "failed"),
    enums.TicketSource: ("kiosk", "booking", "counter"),
    enums.StaffRole: ("clerk", "supervisor", "admin"),
    enums.TransferPlacement: ("front", "issue_time"),
    enums.BookingPlacement: ("front", "slot_time"),
    enums.CounterStatus: ("open", "paused", "closed"),
    enums.BookingStatus: ("booked", "checked_in", "cancelled"),
    enums.PrinterState: ("online", "offline", "paper_low", "paper_out", "unknown", "none"),
    enums.SiteKind: ("mpp", "hospital", "puskesmas", "mobile"),
}


def test_the_stored_values_are_unchanged():
    for enum, values in STORED.items():
        assert enum.values() == values
    assert STORED[enums.TicketStatus] == states.STATUSES
    assert STORED[enums.StaffRole] == StaffUser.ROLES and STORED[enums.SiteKind] == Site.KINDS
    assert (Counter.OPEN, Booking.CHECKED_IN) == ("open", "checked_in")


def test_a_member_is_its_value_in_json_and_sql():
    assert states.NO_SHOW == "no_show" and f"{states.NO_SHOW}" == "no_show"
    assert json.dumps({"status": states.NO_SHOW}) == '{"status": "no_show"}'
    assert enums.TicketStatus.check("status") == (
        "status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'cancelled', 'transferred')"
    )


def test_each_value_has_one_label():
    assert enums.TicketStatus.NO_SHOW.label == "No-show"  # no request: the English msgid
    assert enums.TicketStatus.label_of("serving") == "Being served"
    assert enums.TicketStatus.label_of("lost") == "lost"  # shown as it is, never an error
    assert enums.StaffRole.choices()[0] == ("clerk", "Clerk")
    for enum in STORED:
        assert len({member.msgid for member in enum}) == len(enum)


def test_payloads_carry_the_values(session, factory):
    from shared import queue
    from tests.shared.concurrency import NOON_JAKARTA

    factory.mall()
    service = factory.service()
    factory.counter([service])
    ticket = queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    payload = json.loads(json.dumps(ticket_staff(ticket)))
    assert (payload["status"], payload["source"], payload["print_state"]) == (
        "waiting",
        "kiosk",
        "pending",
    )
