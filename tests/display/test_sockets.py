"""/display and /ticket namespaces with Flask-SocketIO's test client: join, rooms, live events."""

from __future__ import annotations

from sqlalchemy import select

from shared import queue
from shared.models import Counter, Display, Service, Ticket
from shared.web import socketio_of
from shared.web.database import database
from tests.sites import in_demo_mall


def session_of(app):
    return database(app).session_factory()


def demo_counter(session, number: int) -> Counter:
    stmt = select(Counter).where(in_demo_mall(Counter.site_id), Counter.number == number)
    return session.execute(stmt).scalar_one()


def demo_display(session, name: str) -> Display:
    stmt = select(Display).where(in_demo_mall(Display.site_id), Display.name == name)
    return session.execute(stmt).scalar_one()


def events_named(client, namespace, name):
    return [m["args"][0] for m in client.get_received(namespace) if m["name"] == name]


def test_display_join_then_ticket_called_after_a_counter_action(app, client):
    with session_of(app) as s:
        lantai2 = demo_display(s, "Lantai 2")
        zone_id, site_room = lantai2.id, f"site:{lantai2.site_id}"
    tv = socketio_of(app).test_client(app, namespace="/display", flask_test_client=client)
    other = socketio_of(app).test_client(app, namespace="/display", flask_test_client=client)
    answer = tv.emit("join", {"zone": zone_id}, namespace="/display", callback=True)
    assert answer["ok"] and site_room in answer["rooms"] and len(answer["rooms"]) == 5
    assert set(answer["seqs"]) == set(answer["rooms"])
    with session_of(app) as s:
        lantai1 = demo_display(s, "Lantai 1").id
    other.emit("join", {"zone": lantai1}, namespace="/display", callback=True)
    tv.get_received("/display")
    other.get_received("/display")

    with session_of(app) as s:  # a clerk at Loket 10 (Polres, floor 2) calls the next ticket
        counter = demo_counter(s, 10)
        ticket = queue.issue_ticket(s, counter.services[0].id)
        queue.call_next(s, counter)
        s.commit()
        number, code = ticket.display_number, ticket.code
    called = events_named(tv, "/display", "ticket.called")
    assert [c["number"] for c in called] == [number]
    assert called[0]["counter"]["number"] == 10 and called[0]["room"].startswith("agency:")
    assert called[0]["seq"] == answer["seqs"][called[0]["room"]] + 1  # next in its stream
    assert code not in repr(called)
    assert events_named(other, "/display", "ticket.called") == []  # floor 1 TV: not its zone


def test_a_call_and_a_finish_reach_a_tv_as_one_event_each(app, client):
    """The call's queue.changed rides inside ticket.called (one websocket frame per TV per call);
    a finish's rides inside counter.cleared."""
    with session_of(app) as s:
        zone_id = demo_display(s, "Lantai 2").id
    tv = socketio_of(app).test_client(app, namespace="/display", flask_test_client=client)
    tv.emit("join", {"zone": zone_id}, namespace="/display", callback=True)
    tv.get_received("/display")
    with session_of(app) as s:
        counter = demo_counter(s, 10)
        service_id = counter.services[0].id
        queue.issue_ticket(s, service_id)
        s.commit()
        waiting = [m for m in tv.get_received("/display") if m["name"] == "queue.changed"]
        assert waiting[-1]["args"][0]["service_id"] == service_id
        ticket = queue.call_next(s, counter)
        s.commit()
        ticket_id = ticket.id
    received = tv.get_received("/display")
    assert [m["name"] for m in received] == ["ticket.called"]
    folded = received[0]["args"][0]["queue"]
    assert folded["service_id"] == service_id
    assert folded["waiting"] == waiting[-1]["args"][0]["waiting"] - 1
    with session_of(app) as s:
        queue.start_ticket(s, s.get(Ticket, ticket_id))
        queue.finish_ticket(s, s.get(Ticket, ticket_id))
        s.commit()
    received = tv.get_received("/display")
    assert [m["name"] for m in received] == ["counter.cleared"]  # the finish: one frame as well
    assert received[0]["args"][0]["queue"]["waiting"] == folded["waiting"]


def test_display_join_refuses_unknown_zone(app, client):
    tv = socketio_of(app).test_client(app, namespace="/display", flask_test_client=client)
    answer = tv.emit("join", {"zone": 999}, namespace="/display", callback=True)
    assert answer == {"ok": False, "error": "display_not_found", "status": 404}
    assert tv.emit("join", "garbage", namespace="/display", callback=True)["ok"] is False


def test_ticket_join_follows_the_visit_and_queue(app, client):
    with session_of(app) as s:
        counter = demo_counter(s, 1)
        service_id = counter.services[0].id
        first = queue.issue_ticket(s, service_id)
        mine = queue.issue_ticket(s, service_id)
        s.commit()
        code, mine_id, first_id = mine.code, mine.id, first.id
    phone = socketio_of(app).test_client(app, namespace="/ticket", flask_test_client=client)
    answer = phone.emit("join", {"code": code}, namespace="/ticket", callback=True)
    assert answer["ok"] and answer["ticket_id"] == mine_id and answer["people_ahead"] >= 1
    assert f"service:{service_id}" in answer["rooms"]
    phone.get_received("/ticket")
    with session_of(app) as s:
        counter = demo_counter(s, 1)
        queue.call_next(s, counter)  # calls the earlier ticket: mine moves up
        s.commit()
    orders = events_named(phone, "/ticket", "queue.changed")
    assert orders and orders[-1]["service_id"] == service_id
    head = {place["id"]: place["people_ahead"] for place in orders[-1]["head"]}
    assert head[mine_id] == answer["people_ahead"] - 1 and first_id not in head
    assert orders[-1]["called"] == answer["called"] + 1
    assert "minutes_per_ticket" in orders[-1] and "open_counters" in orders[-1]
    with session_of(app) as s:
        counter = demo_counter(s, 1)
        active = queue.active_ticket(s, counter)
        queue.start_ticket(s, active)
        queue.finish_ticket(s, active)
        queue.call_next(s, counter)
        s.commit()
    changes = events_named(phone, "/ticket", "ticket.changed")
    assert [(c["action"], c["ticket"]["id"]) for c in changes] == [("call", mine_id)]
    assert "code" not in changes[0]["ticket"]


def test_a_phone_hears_when_another_service_of_its_counter_moves(app, client):
    """Counter 901 serves X and Y: Y-001 waits before X-001. When Y-001 is cancelled only Y's
    queue changed, yet X-001 moved up: its phone gets the places of its own queue."""
    with session_of(app) as s:
        agency = demo_counter(s, 1).agency
        x, y = (Service(agency=agency, code=f"T{p}", name=f"Uji {p}", prefix=p) for p in "XY")
        s.add(Counter(agency=agency, number=901, name="Loket 901", services=[x, y], status="open"))
        s.flush()
        before = queue.issue_ticket(s, y.id)
        mine = queue.issue_ticket(s, x.id)
        s.commit()
        code, mine_id, x_id, before_id = mine.code, mine.id, x.id, before.id
    phone = socketio_of(app).test_client(app, namespace="/ticket", flask_test_client=client)
    answer = phone.emit("join", {"code": code}, namespace="/ticket", callback=True)
    assert answer["people_ahead"] == 1
    phone.get_received("/ticket")
    with session_of(app) as s:
        queue.cancel_ticket(s, s.get(Ticket, before_id))
        s.commit()
    orders = events_named(phone, "/ticket", "queue.changed")
    assert [(o["service_id"], o["head"]) for o in orders] == [
        (x_id, [{"id": mine_id, "people_ahead": 0, "eta_minutes": 0}])
    ]


def test_ticket_join_refuses_unknown_code(app, client):
    phone = socketio_of(app).test_client(app, namespace="/ticket", flask_test_client=client)
    answer = phone.emit("join", {"code": "no-such-code"}, namespace="/ticket", callback=True)
    assert answer["ok"] is False and answer["status"] == 404


def test_a_join_without_payload_or_with_a_wrong_one_is_answered_never_raised(app, client):
    """A join with no payload raised TypeError in the handler (and so answered nothing)."""
    hostile = ("x", 7, [1], {"code": 123}, {"code": "\ud800"}, {"zone": 10**30}, {"zone": [1]})
    for namespace in ("/ticket", "/display"):
        sio = socketio_of(app).test_client(app, namespace=namespace, flask_test_client=client)
        answer = sio.emit("join", namespace=namespace, callback=True)
        assert answer["ok"] is False and answer["status"] == 404
        for bad in hostile:
            answer = sio.emit("join", bad, namespace=namespace, callback=True)
            assert answer["ok"] is False and answer["status"] == 404, bad
        assert sio.emit("join", {}, {}, namespace=namespace, callback=True)["ok"] is False
