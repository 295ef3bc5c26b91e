"""Which events a change produces, and in which namespace and room (see docs/events.md)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared import events, timeutil
from shared.models import Counter, Service, Ticket
from shared.queue import payloads
from shared.queue.availability import get_mall, service_status
from shared.queue.ordering import ordered_ids

DISPLAY, TICKET, COUNTER, KIOSK = "/display", "/ticket", "/counter", "/kiosk"
MALL_ROOM = "mall"
NOW_KEY = "antre.now"
# Actions that leave a queue's public summary and order as they were: the ticket was already out
# of the waiting list, and only finished services move the live rate. Skipping them spares every
# TV, kiosk and ticket page one "queue.changed" per citizen served.
QUEUE_UNCHANGED = frozenset({"start", "recall"})
# Actions after which a called or served ticket is no longer at its counter: TVs clear its tile.
LEAVES_COUNTER = frozenset({"finish", "no_show", "cancel", "transfer"})


def agency_room(agency_id: int) -> str:
    return f"agency:{agency_id}"


def service_room(service_id: int) -> str:
    return f"service:{service_id}"


def visit_room(visit_id: int) -> str:
    return f"visit:{visit_id}"


def ticket_changed(session: Session, ticket: Ticket, action: str) -> None:
    agency = agency_room(ticket.service.agency_id)
    events.record(
        session,
        COUNTER,
        agency,
        "ticket.changed",
        {"action": action, "ticket": payloads.ticket_staff(ticket)},
    )
    events.record(
        session,
        TICKET,
        visit_room(ticket.visit_id),
        "ticket.changed",
        {"action": action, "ticket": payloads.ticket_public(ticket)},
    )
    if action in ("call", "recall"):
        events.record(session, DISPLAY, agency, "ticket.called", payloads.call_announcement(ticket))
    if action in LEAVES_COUNTER and ticket.counter_id is not None:
        cleared = {"counter_id": ticket.counter_id, "ticket_id": ticket.id, "action": action}
        events.record(session, DISPLAY, agency, "counter.cleared", cleared)
    if action not in QUEUE_UNCHANGED:
        events.mark_dirty(session, "queue", ticket.service_id)


def counter_changed(session: Session, counter: Counter) -> None:
    state = payloads.counter_state(counter)
    room = agency_room(counter.agency_id)
    events.record(session, DISPLAY, room, "counter.changed", {"counter": state})
    events.record(session, COUNTER, room, "counter.changed", {"counter": state})
    for service in counter.services:
        events.mark_dirty(session, "queue", service.id)


def config_changed(session: Session, what: str, ids: list[int] | None = None) -> None:
    """An admin changed settings (mall, agencies, services, counters, kiosks, displays):
    kiosks and TVs reload what they show."""
    payload = {"what": what, "ids": ids or []}
    for namespace in (DISPLAY, KIOSK):
        events.record(session, namespace, MALL_ROOM, "config.changed", payload)


def queue_messages(session: Session, service: Service, now) -> tuple[dict, dict]:
    """The public summary (for kiosks and TVs) and the order (for ticket pages) of one queue."""
    mall = get_mall(session)
    status = service_status(session, mall, service, now)
    reason = status.reason
    summary = {
        "service_id": service.id,
        "agency_id": service.agency_id,
        "waiting": status.waiting,
        "eta_minutes": status.eta_minutes,
        "quota_left": status.quota_left,
        "open": reason is None,
        "closed_reason": None if reason is None else {"code": reason.code, "params": reason.params},
    }
    day = timeutil.business_date(now, mall.timezone)
    order = {
        "service_id": service.id,
        "order": ordered_ids(session, service, day),
        "minutes_per_ticket": round(status.minutes_per_ticket, 2),
        "open_counters": status.open_counters,
    }
    return summary, order


def _report_queues(session: Session) -> None:
    service_ids = events.dirty(session, "queue")
    if not service_ids:
        return
    now = session.info.get(NOW_KEY) or timeutil.now_utc()
    for service in (session.get(Service, service_id) for service_id in sorted(service_ids)):
        summary, order = queue_messages(session, service, now)
        room = agency_room(service.agency_id)
        events.record(session, DISPLAY, room, "queue.changed", summary)
        events.record(session, KIOSK, room, "queue.changed", summary)
        events.record(session, TICKET, service_room(service.id), "queue.changed", order)


events.FINALIZERS.append(_report_queues)
