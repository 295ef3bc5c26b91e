"""Which events a change produces, and in which namespace and room (see docs/events.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from shared import events, timeutil
from shared.alerts.triggers import alert_at_commit, alert_ticket_change, remember_placed
from shared.bpjs import outbound as bpjs
from shared.models import Counter, Service, Ticket
from shared.queue import payloads
from shared.queue.arrivals import Arrival, place_arrival
from shared.queue.availability import minutes_per_ticket_of, service_status
from shared.queue.loading import desks_of, load_counter_sets
from shared.queue.position import (
    HEAD_WINDOW,
    CallOrders,
    Position,
    calling_counters,
    calls_today,
    queue_head,
)
from shared.queue.sites import agency_of_service, get_site
from shared.webhooks import record as webhooks

DISPLAY, TICKET, COUNTER, KIOSK = "/display", "/ticket", "/counter", "/kiosk"
# {service id: QueuePositions} of the queues placed at this session's last commit: a view that
# answers with a new ticket's place reads it there instead of placing the whole queue again.
PLACED_AT_COMMIT = "antre.placed_at_commit"
# {ticket id: Position} of the tickets queued in the transaction, placed by counts at its commit.
ARRIVALS_AT_COMMIT = "antre.arrivals_at_commit"
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


def ticket_changed(session: Session, ticket: Ticket, action: str, now: datetime) -> None:
    """``action`` happened to ``ticket`` at ``now``: its events, alerts, webhooks and BPJS calls;
    its queue is reported at the commit, as of ``now`` (events.changed_at)."""
    agency = agency_room(agency_of_service(session, ticket.service).id)
    public = payloads.ticket_public(ticket)  # made once: the staff's payload holds it too
    staff = payloads.ticket_staff(ticket, public)
    events.record(session, COUNTER, agency, "ticket.changed", {"action": action, "ticket": staff})
    events.record(
        session,
        TICKET,
        visit_room(ticket.visit_id),
        "ticket.changed",
        {"action": action, "ticket": public},
    )
    if action in ("call", "recall"):
        events.record(session, DISPLAY, agency, "ticket.called", payloads.call_announcement(ticket))
    if action in LEAVES_COUNTER and ticket.counter_id is not None:
        cleared = {
            "counter_id": ticket.counter_id,
            "ticket_id": ticket.id,
            "action": action,
            "service_id": ticket.service_id,
        }
        events.record(session, DISPLAY, agency, "counter.cleared", cleared)
    if action == "issue":  # mostly far behind the head: see _arrivals_behind_heads
        events.mark_dirty(session, "arrival", ticket.id, at=now)
    elif action not in QUEUE_UNCHANGED:
        events.mark_dirty(session, "queue", ticket.service_id, at=now)
    alert_ticket_change(session, ticket, action, now)
    webhooks.ticket_event(session, ticket, action, now)
    bpjs.ticket_changed(session, ticket, action, now)


def counter_changed(session: Session, counter: Counter, now: datetime) -> None:
    state = payloads.counter_state(counter)
    room = agency_room(counter.agency_id)
    events.record(session, DISPLAY, room, "counter.changed", {"counter": state})
    events.record(session, COUNTER, room, "counter.changed", {"counter": state})
    for service in counter.services:
        events.mark_dirty(session, "queue", service.id, at=now)


def site_room(site_id: int) -> str:
    """The room of everything site-wide (settings, the site's kiosks and TVs): "site:3"."""
    return f"site:{site_id}"


def config_changed(session: Session, site_id: int, what: str, ids: list[int] | None = None) -> None:
    """An admin changed a site's settings (the site, agencies, services, counters, kiosks,
    displays): that site's kiosks and TVs reload what they show."""
    payload = {"what": what, "ids": ids or []}
    for namespace in (DISPLAY, KIOSK):
        events.record(session, namespace, site_room(site_id), "config.changed", payload)


def queue_summary(session: Session, service: Service, now, placed=None) -> dict:
    """The public summary of one queue, for kiosks and TVs (``placed``: the queue's head or new
    arrival, when the caller has just computed it)."""
    site = get_site(session, service.site_id)
    status = service_status(session, site, service, now, placed)
    reason = status.reason
    return {
        "service_id": service.id,
        "agency_id": service.agency_id,
        "waiting": status.waiting,
        "eta_minutes": status.eta_minutes,
        "quota_left": status.quota_left,
        "open": reason is None,
        "closed_reason": None if reason is None else {"code": reason.code, "params": reason.params},
    }


def head_window(service: Service) -> int:
    """How far from the counter a phone gets its exact place: at least the "N lagi" alert's lead."""
    return max(HEAD_WINDOW, service.alert_lead + 1)


def queue_order(session: Session, service: Service, orders: CallOrders, called: int) -> dict:
    """What a ticket page needs to place itself (see position.py and docs/events.md): the exact
    places of the queue's head, and the count of calls for the phones behind it. Its size and
    cost do not grow with the queue."""
    head = queue_head(session, service, orders)
    remember_placed(session, service.id, head)  # for the "N lagi" alerts, computed once
    session.info.setdefault(PLACED_AT_COMMIT, {})[service.id] = head
    return {
        "service_id": service.id,
        "window": head.window,
        "head": [
            {"id": ticket_id, "people_ahead": place.people_ahead, "eta_minutes": place.eta_minutes}
            for ticket_id, place in head.places.items()
        ],
        "called": called,
        "minutes_per_ticket": round(head.minutes_per_ticket, 2),
        "open_counters": head.open_counters,
    }


def sharing_a_counter(
    session: Session, services: list[Service], *, to_place: bool = False
) -> list[Service]:
    """These services and every service a counter serves beside one of them: a call from one
    moves the places in the others' queues. Their counters are read too (loading.py); with
    ``to_place``, also the others' own counters, which placing their queues needs."""
    load_counter_sets(session, services, neighbours=to_place)
    found = {service.id: service for service in services}
    for service in services:
        for counter in service.counters:
            for other in counter.services:
                found.setdefault(other.id, other)
    return [found[key] for key in sorted(found)]


def place_at_commit(session: Session, ticket: Ticket) -> Position | None:
    """``ticket``'s place as the commit just made placed it or its queue, or None if it did not."""
    arrived = session.info.pop(ARRIVALS_AT_COMMIT, {}).get(ticket.id)
    placed = session.info.pop(PLACED_AT_COMMIT, {}).get(ticket.service_id)
    if arrived is not None:
        return arrived
    return placed.of(ticket.id) if placed is not None else None


def tell_displays(session: Session, room: str, summary: dict) -> None:
    """The TVs' news of a queue: inside this transaction's ``ticket.called`` or
    ``counter.cleared`` of that service (as ``queue``) when there is one, else a
    ``queue.changed``. A call or a finish then reaches each TV as one websocket frame instead of
    two back to back: the display process's cost per TV (docs/benchmarks.md, "5,000 sockets")."""
    for ev in reversed(events.pending(session)):
        if (ev.namespace, ev.room) == (DISPLAY, room) and _service_of(ev) == summary["service_id"]:
            ev.payload["queue"] = summary
            return
    events.record(session, DISPLAY, room, "queue.changed", summary)


def _service_of(ev: events.Event) -> int | None:
    if ev.name == "ticket.called":
        return ev.payload["service"]["id"]
    if ev.name == "counter.cleared":
        return ev.payload["service_id"]
    return None


def _arrivals_behind_heads(session: Session, moved: set[int]) -> dict[int, Arrival]:
    """The services whose only change is tickets queued last in their order, behind every head
    that the ticket pages and alerts read: their heads, calls and live rate are as they were,
    so only their public summary is news: {service id: its last arrival, counted at this
    commit}. Services with any other arrival join ``moved``, to be placed in full."""
    quiet: dict[int, Arrival] = {}
    placed = session.info.setdefault(ARRIVALS_AT_COMMIT, {})
    for ticket_id in sorted(events.dirty(session, "arrival")):
        ticket = session.get(Ticket, ticket_id)
        desks = desks_of(session, ticket.service)  # no Counter objects: most arrive far behind
        beside = [ticket.service, *(s for desk in desks for s in desk.services)]
        widest = max(head_window(s) for s in beside)
        # Fewer numbers given today than a head holds: it is in the head, no need to count.
        far = ticket.service_id not in moved and ticket.number > widest
        arrival = place_arrival(session, ticket, desks) if far else None
        if arrival is not None:
            placed[ticket.id] = arrival.place
            if arrival.last_in_order and arrival.fewest_ahead >= widest:
                quiet[ticket.service_id] = arrival
                continue
        moved.add(ticket.service_id)
        quiet.pop(ticket.service_id, None)
    return quiet


def _report_queues(session: Session) -> None:
    session.info.pop(PLACED_AT_COMMIT, None)  # only this commit's places
    session.info.pop(ARRIVALS_AT_COMMIT, None)
    service_ids = events.dirty(session, "queue")
    quiet = _arrivals_behind_heads(session, service_ids)
    if not service_ids and not quiet:
        return
    now = events.changed_at(session) or timeutil.now_utc()
    moved = [session.get(Service, service_id) for service_id in sorted(service_ids)]
    ticket_pages = _place_heads(session, moved, now) if moved else []
    # The summaries take open counters and the live rate from the heads just computed, or from
    # a quiet arrival's counts (made at this commit), with the count of waiting where either
    # has it.
    heads = session.info.get(PLACED_AT_COMMIT, {})
    for service in moved + [session.get(Service, key) for key in sorted(quiet)]:
        placed = heads.get(service.id) or quiet.get(service.id)
        summary = queue_summary(session, service, now, placed)
        room = agency_room(service.agency_id)
        tell_displays(session, room, summary)
        events.record(session, KIOSK, room, "queue.changed", summary)
    for service, order in ticket_pages:
        events.record(session, TICKET, service_room(service.id), "queue.changed", order)


def _place_heads(session: Session, moved: list[Service], now) -> list[tuple[Service, dict]]:
    """Place the heads of these services and of every service sharing a counter with them: for
    the alerts, and what each one's ticket pages are told."""
    # Per site (each counts its own business day) and window: each order's head is read once.
    orders: dict[tuple[int, int], CallOrders] = {}
    sharing = sharing_a_counter(session, moved, to_place=True)
    days = {}
    for service in sharing:
        if service.site_id not in days:
            zone = get_site(session, service.site_id).timezone
            days[service.site_id] = timeutil.business_date(now, zone)
    called = {}  # the phones' count of calls, and the live rates: a statement each per day
    rates: dict = {}
    for day in set(days.values()):
        today = [s for s in sharing if days[s.site_id] == day]
        called |= calls_today(session, today, day)
        rates[day] = minutes_per_ticket_of(session, today, day)
    ticket_pages = []
    for service in sharing:
        key = (service.site_id, head_window(service))
        if key not in orders:
            day = days[service.site_id]
            orders[key] = CallOrders(session, day, key[1], rates=rates[day])
            placed = [s for s in sharing if (s.site_id, head_window(s)) == key]
            orders[key].read_ahead(_merged_with(placed))
        ticket_pages.append(
            (service, queue_order(session, service, orders[key], called[service.id]))
        )
    return ticket_pages


def _merged_with(services: list[Service]) -> list[Service]:
    """These services and every service their calling counters serve: the orders that placing
    their heads merges."""
    found = {service.id: service for service in services}
    for service in services:
        for counter in calling_counters(service):
            for other in counter.services:
                found.setdefault(other.id, other)
    return [found[key] for key in sorted(found)]


# Run at commit by shared.events (wired in shared.session_hooks), in this order: the queues'
# places first, then the alerts that read them (and the calls' alerts).
FINALIZERS = (_report_queues, alert_at_commit)
