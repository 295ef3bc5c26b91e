"""The priority group and "Booking" travel with the number: events, snapshots and the paper."""

from __future__ import annotations

from shared import demo_data, queue
from shared.config import Config
from shared.models import PriorityGroup
from shared.printing import Layout, render_ticket, ticket_content
from shared.queue import payloads
from shared.ticket_status import describe_ticket
from tests.shared.concurrency import NOON_JAKARTA

PAPER_58_COLUMNS = 32  # Font A on a 58 mm roll


def test_every_payload_names_the_priority_group_and_a_booking(session, factory):
    factory.mall()
    group = session.get(PriorityGroup, "lansia")
    group.name_id, group.name_en = "Lansia (60+)", "Elderly (60+)"
    service = factory.service()
    counter = factory.counter([service])
    booked = queue.issue_ticket(
        session, service.id, priority="lansia", source="booking", now=NOON_JAKARTA
    )
    regular = queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    label = {"id": "Lansia (60+)", "en": "Elderly (60+)"}
    assert payloads.ticket_public(booked)["priority_label"] == label
    assert payloads.ticket_public(booked)["booked"] is True
    assert payloads.ticket_staff(booked)["priority_label"] == label
    assert payloads.ticket_public(regular)["priority_label"] is None
    assert payloads.ticket_public(regular)["booked"] is False
    page = describe_ticket(session, booked.code, now=NOON_JAKARTA)
    assert (page["priority_label"], page["booked"]) == (label, True)
    queue.call_next(session, counter, now=NOON_JAKARTA)  # the TV's call names it too
    announcement = payloads.call_announcement(booked)
    assert announcement["number"] == booked.display_number
    assert (announcement["priority_label"], announcement["booked"]) == (label, True)


def test_the_paper_says_the_group_and_booking_within_58_mm(session, factory):
    factory.mall()
    for code, name_id, _name_en in demo_data.PRIORITY_GROUPS:
        session.get(PriorityGroup, code).name_id = name_id
        assert len(name_id) <= PAPER_58_COLUMNS  # one line on the narrowest paper
    service = factory.service()
    factory.counter([service])
    ticket = queue.issue_ticket(
        session, service.id, priority="ibu_hamil", source="booking", now=NOON_JAKARTA
    )
    content = ticket_content(session, ticket, Config(public_url="http://antre.test/"))
    assert (content.priority, content.booked) == ("Ibu hamil / membawa balita", True)
    data = render_ticket(content, Layout("POS-5890", 58, native_qr=True))
    assert b"Ibu hamil / membawa balita\n" in data
    assert b"Booking\n" in data
    walk_in = queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    plain = render_ticket(
        ticket_content(session, walk_in, Config(public_url="http://antre.test/")),
        Layout("POS-5890", 58, native_qr=True),
    )
    assert b"Booking" not in plain and b"Ibu hamil" not in plain
