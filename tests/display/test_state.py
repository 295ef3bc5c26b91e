"""The zone snapshot and the public ticket status: domain tests, no Flask."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared import queue, signage
from shared.models import Display
from shared.queue.publishing import DISPLAY
from shared.queue.sites import default_site
from shared.ticket_status import TicketNotFound, describe_ticket
from tests.shared.concurrency import NOON_JAKARTA


def zone(session, **fields) -> Display:
    """A TV of the test's first site (made by the services before it)."""
    fields.setdefault("site_id", default_site(session).id)
    display = Display(name="Zona", **fields)
    session.add(display)
    session.flush()
    return display


def test_zone_shows_its_agencies_counters_calls_and_seqs(session, factory):
    dukcapil, bpjs = factory.service(), factory.service()
    c1, c2 = factory.counter([dukcapil]), factory.counter([bpjs])
    display = zone(session, agency_ids=[dukcapil.agency_id])
    first = queue.issue_ticket(session, dukcapil.id, now=NOON_JAKARTA)
    queue.issue_ticket(session, dukcapil.id, now=NOON_JAKARTA)
    queue.issue_ticket(session, bpjs.id, now=NOON_JAKARTA)
    queue.call_next(session, c1, now=NOON_JAKARTA)
    queue.call_next(session, c2, now=NOON_JAKARTA)
    session.commit()

    state = signage.build_zone_state(session, display, NOON_JAKARTA + timedelta(minutes=1))
    assert [c["id"] for c in state["counters"]] == [c1.id]  # the other agency's counter: not here
    assert state["counters"][0]["current"]["number"] == first.display_number
    assert [c["number"] for c in state["recent_calls"]] == [first.display_number]
    assert [s["id"] for s in state["services"]] == [dukcapil.id]
    assert state["services"][0]["waiting"] == 1
    room = f"agency:{dukcapil.agency_id}"
    assert set(state["seqs"]) == {room, f"site:{display.site_id}"}
    assert state["seqs"][room] >= 1  # the call was numbered in this stream
    assert state["site"]["zone_name"] == "WIB" and state["site"]["utc_offset_minutes"] == 420
    text = repr(state)
    assert first.code not in text  # the secret of the phone link is never on a TV


def test_empty_agency_list_means_every_agency_and_counter_ids_filter(session, factory):
    a, b = factory.service(), factory.service()
    ca, cb = factory.counter([a]), factory.counter([b])
    assert signage.zone_rooms(session, zone(session)) == [
        f"agency:{a.agency_id}",
        f"agency:{b.agency_id}",
        f"site:{a.site_id}",
    ]
    only_b = zone(session, counter_ids=[cb.id])
    state = signage.build_zone_state(session, only_b, NOON_JAKARTA)
    assert [c["id"] for c in state["counters"]] == [cb.id]
    assert [s["id"] for s in state["services"]] == [b.id]
    assert ca.id not in {c["id"] for c in state["counters"]}


def test_unknown_display(session, factory):
    factory.mall()
    for bad in (None, "x", 999):
        with pytest.raises(signage.DisplayNotFound):
            signage.get_display(session, bad)


def test_room_seqs_follow_the_event_streams(session, factory, publisher):
    service = factory.service()
    counter = factory.counter([service])
    display = zone(session)
    room = f"agency:{service.agency_id}"
    before = signage.room_seqs(session, [room])[room]
    queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    queue.call_next(session, counter, now=NOON_JAKARTA)
    session.commit()
    after = signage.room_seqs(session, signage.zone_rooms(session, display))[room]
    assert after == before + 1  # ticket.called, holding the queue.changed of the issue and call
    published = [e for e in publisher.events if e.namespace == DISPLAY]
    assert max(e.seq for e in published if e.room == room) == after


def test_ticket_status_people_ahead_eta_and_call(session, factory):
    service = factory.service(avg_service_minutes=6)
    counter = factory.counter([service])
    tickets = [queue.issue_ticket(session, service.id, now=NOON_JAKARTA) for _ in range(3)]
    session.commit()
    last = describe_ticket(session, tickets[2].code, NOON_JAKARTA)
    assert (last["people_ahead"], last["eta_minutes"]) == (2, 12)
    assert last["status"] == "waiting" and last["counter"] is None and not last["expired"]
    assert last["number"] == tickets[2].display_number
    queue.call_next(session, counter, now=NOON_JAKARTA)
    session.commit()
    first = describe_ticket(session, tickets[0].code, NOON_JAKARTA)
    assert first["status"] == "called" and first["counter"]["number"] == counter.number
    assert describe_ticket(session, tickets[2].code, NOON_JAKARTA)["people_ahead"] == 1
    assert set(first["seqs"]) == {f"visit:{tickets[0].visit_id}", f"service:{service.id}"}


def test_ticket_link_follows_a_transfer(session, factory):
    dukcapil, bpjs = factory.service(), factory.service()
    counter = factory.counter([dukcapil])
    factory.counter([bpjs])
    ticket = queue.issue_ticket(session, dukcapil.id, now=NOON_JAKARTA)
    queue.call_next(session, counter, now=NOON_JAKARTA)
    queue.start_ticket(session, ticket, now=NOON_JAKARTA)
    queue.transfer_ticket(session, ticket, bpjs.id, now=NOON_JAKARTA)
    session.commit()
    shown = describe_ticket(session, ticket.code, NOON_JAKARTA)
    assert shown["service"]["id"] == bpjs.id
    assert shown["transferred_from"] == ticket.display_number
    assert shown["status"] == "waiting"


def test_ticket_of_an_earlier_day_has_expired(session, factory):
    service = factory.service()
    factory.counter([service])
    ticket = queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    session.commit()
    shown = describe_ticket(session, ticket.code, NOON_JAKARTA + timedelta(days=1))
    assert shown["expired"] is True and shown["people_ahead"] == 0


def test_unknown_or_malformed_code(session, factory):
    factory.mall()
    for code in ("", "nope-nope-nope", "../../etc", "x" * 40):
        with pytest.raises(TicketNotFound):
            describe_ticket(session, code)


@pytest.mark.parametrize("action", ["finish", "no_show"])
def test_a_ticket_that_left_its_counter_is_not_now_serving(session, factory, publisher, action):
    """The snapshot's "Sedang dilayani" and the event that empties the tile on a live TV."""
    service = factory.service(recall_limit=0)  # a no-show without recalls first
    counter = factory.counter([service])
    display = zone(session)
    ticket = queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    queue.call_next(session, counter, now=NOON_JAKARTA)
    session.commit()
    state = signage.build_zone_state(session, display, NOON_JAKARTA)
    assert state["counters"][0]["current"]["ticket_id"] == ticket.id
    if action == "finish":
        queue.start_ticket(session, ticket, now=NOON_JAKARTA)
        queue.finish_ticket(session, ticket, now=NOON_JAKARTA)
    else:
        queue.mark_no_show(session, ticket, now=NOON_JAKARTA)
    session.commit()

    state = signage.build_zone_state(session, display, NOON_JAKARTA + timedelta(minutes=1))
    assert state["counters"][0]["current"] is None
    assert [c["number"] for c in state["recent_calls"]] == [ticket.display_number]  # history
    cleared = [e for e in publisher.events if e.name == "counter.cleared"]
    assert [(e.namespace, e.room) for e in cleared] == [(DISPLAY, f"agency:{service.agency_id}")]
    queue_now = cleared[0].payload.pop("queue")  # the queue.changed for TVs rides inside
    assert queue_now["service_id"] == service.id and queue_now["waiting"] == 0
    assert cleared[0].payload == {
        "counter_id": counter.id,
        "ticket_id": ticket.id,
        "action": action,
        "service_id": service.id,
    }
