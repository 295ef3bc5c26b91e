"""Socket.IO for TVs (/display) and phones (/ticket): public, read-only, join a room and listen.

Clients send only ``join``; the server checks what they ask for and answers with the rooms and
their current sequence numbers, so that a client coming back after a drop sees at once whether it
missed anything (and then fetches a fresh snapshot).
"""

from __future__ import annotations

from typing import Annotated

from flask import request
from flask_socketio import Namespace, join_room, leave_room, rooms
from pydantic import Field

from shared import signage
from shared.queue import DomainError, latest_in_visit
from shared.queue.publishing import DISPLAY, TICKET
from shared.ticket_status import describe_ticket, find_ticket_by_code, ticket_rooms
from shared.web.database import get_session
from shared.web.inputs import Body, Id, Query, parse_event
from shared.web.limits import code_lookups_left, count_code_miss


def _switch_rooms(wanted: list[str]) -> None:
    """Leave the rooms of an earlier join (another zone, the ticket before a transfer)."""
    for room in rooms():
        if room != request.sid and room not in wanted:
            leave_room(room)
    for room in wanted:
        join_room(room)


class ZoneJoin(Query):  # "3" or 3
    zone: Id


class TicketJoin(Body):
    code: Annotated[str, Field(max_length=64)]


def _refused(error: DomainError) -> dict:
    return {"ok": False, "error": error.code, "status": error.status}


class DisplayNamespace(Namespace):
    def on_join(self, data=None, *_more):
        """{"zone": id} -> the zone's agency rooms and "mall"."""
        session = get_session()
        asked = parse_event(ZoneJoin, data)  # anything else than {"zone": id}: no such display
        try:
            display = signage.get_display(session, asked.zone if asked else None)
        except DomainError as error:
            return _refused(error)
        wanted = signage.zone_rooms(session, display)
        _switch_rooms(wanted)
        return {"ok": True, "rooms": wanted, "seqs": signage.room_seqs(session, wanted)}


class TicketNamespace(Namespace):
    def on_join(self, data=None, *_more):
        """{"code": ...} -> the visit's room and the queue of its newest ticket."""
        # The HTTP lookups' budget of misses (shared.web.limits): a socket must not be the
        # unlimited way to guess codes.
        if not code_lookups_left():
            return {"ok": False, "error": "too_many_requests", "status": 429}
        session = get_session()
        asked = parse_event(TicketJoin, data)
        code = asked.code if asked else ""
        try:
            ticket = latest_in_visit(find_ticket_by_code(session, code))
            state = describe_ticket(session, code)
        except DomainError as error:
            if error.status == 404:
                count_code_miss()
            return _refused(error)
        _switch_rooms(ticket_rooms(ticket))
        return {"ok": True, "ticket_id": ticket.id, "rooms": list(state["seqs"]), **state}


__all__ = ["DISPLAY", "TICKET", "DisplayNamespace", "TicketNamespace"]
