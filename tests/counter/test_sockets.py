"""Socket.IO /counter: sign-in required, rooms only for the user's agency, live ticket changes."""

from __future__ import annotations

import pytest

from shared.web import socketio_of
from tests.counter.conftest import agency_by_short, first_counter, issue

NS = "/counter"


def connect(app, client, db=None):
    if db is not None:
        db.commit()  # the connect handler reads the user: let go of SQLite's lock first
    return socketio_of(app).test_client(app, namespace=NS, flask_test_client=client)


def emit(sio, db, *args):
    """Emit and wait for the answer; the test's own session first lets go of SQLite's lock."""
    db.commit()
    return sio.emit(*args, namespace=NS, callback=True)


def events(sio, name):
    return [m["args"][0] for m in sio.get_received(NS) if m["name"] == name]


def test_signed_out_connection_is_refused(app, anonymous):
    sio = connect(app, anonymous())
    assert not sio.is_connected(NS)


@pytest.mark.parametrize(
    "username,agency,ok",
    [
        ("samsat1", "Samsat", True),
        ("samsat1", "Dukcapil", False),
        ("spv.samsat", "Dukcapil", False),
        ("spv.samsat", "Samsat", True),
        ("admin", "Dukcapil", True),
    ],
)
def test_join_checks_the_agency(app, staff, db, username, agency, ok):
    sio = connect(app, staff(username), db)
    assert sio.is_connected(NS)
    target = agency_by_short(db, agency)
    by_agency = emit(sio, db, "join", {"agency_id": target.id})
    by_counter = emit(sio, db, "join", {"counter_id": first_counter(db, agency).id})
    assert by_agency["ok"] is ok and by_counter["ok"] is ok
    if not ok:
        assert by_agency["error"] == "forbidden"
    issue(db, agency)
    assert bool(events(sio, "ticket.changed")) is ok  # refused: nothing leaks


def test_bad_join_messages_are_answered_not_crashed(app, staff, db):
    sio = connect(app, staff("samsat1"), db)
    for bad in (None, "x", {"agency_id": "1"}, {"agency_id": 99999}, {"counter_id": True}):
        answer = emit(sio, db, "join", bad)
        assert answer["ok"] is False
    for bad in ({"agency_id": 10**30}, {"counter_id": 2**40}, {"agency_id": "\ud800"}):
        assert emit(sio, db, "join", bad)["ok"] is False, bad
    assert emit(sio, db, "join")["ok"] is False  # no payload at all
    assert emit(sio, db, "leave")["ok"] is True


def test_the_clerks_list_changes_when_a_kiosk_issues_a_ticket(app, staff, db):
    """The console's room gets ticket.changed with the new waiting ticket, numbered in order."""
    clerk = staff("dukcapil1")
    counter = first_counter(db, "Dukcapil")
    sio = connect(app, clerk, db)
    joined = emit(sio, db, "join", {"counter_id": counter.id})
    before = clerk.get(f"/counter/api/counters/{counter.id}").get_json()
    assert before["waiting"] == [] and before["seq"] == joined["seq"]
    ticket = issue(db, "Dukcapil")
    [message] = events(sio, "ticket.changed")
    assert message["action"] == "issue" and message["ticket"]["id"] == ticket.id
    assert message["ticket"]["status"] == "waiting"
    assert message["room"] == f"agency:{counter.agency_id}"
    assert message["seq"] == joined["seq"] + 1
    after = clerk.get(f"/counter/api/counters/{counter.id}").get_json()
    assert [t["id"] for t in after["waiting"]] == [ticket.id] and after["seq"] == message["seq"]


def test_counter_changes_reach_the_room(app, staff, db):
    clerk = staff("dukcapil1")
    counter = first_counter(db, "Dukcapil")
    sio = connect(app, clerk, db)
    emit(sio, db, "join", {"counter_id": counter.id})
    clerk.post(
        f"/counter/api/counters/{counter.id}/status", json={"status": "paused", "reason": "Salat"}
    )
    [message] = events(sio, "counter.changed")
    assert message["counter"]["status"] == "paused" and message["counter"]["id"] == counter.id


def elsewhere(app):
    """A session like another process's (or the antre command's): no Socket.IO publisher here,
    so only the sweep can drop this process's sockets after its commit."""
    from shared.db import make_session_factory
    from shared.web.database import database

    return make_session_factory(database(app).engine)()


def test_sockets_whose_user_lost_the_right_are_dropped(app, staff, db):
    """Deactivated, moved to another agency, or signed out elsewhere, after connecting, by
    another process: the sweep drops the socket (it would otherwise keep hearing the old
    agency's tickets); the others stay."""
    from sqlalchemy import select

    from shared.models import StaffUser
    from shared.staff_sessions import revoke_sessions

    stays, deactivated, moved, signed_out = (
        connect(app, staff(name), db)
        for name in ("samsat1", "dukcapil1", "spv.samsat", "dukcapil2")
    )
    samsat, dukcapil = agency_by_short(db, "Samsat"), agency_by_short(db, "Dukcapil")
    for sio, agency in (
        (stays, samsat),
        (deactivated, dukcapil),
        (moved, samsat),
        (signed_out, dukcapil),
    ):
        assert emit(sio, db, "join", {"agency_id": agency.id})["ok"]
    db.commit()
    with elsewhere(app) as other:
        user = {u.username: u for u in other.execute(select(StaffUser)).scalars()}
        user["dukcapil1"].active = False
        user["spv.samsat"].agency_id = dukcapil.id
        revoke_sessions(user["dukcapil2"])
        other.commit()
    assert deactivated.is_connected(NS)  # nothing told this process yet

    namespace = socketio_of(app).server.namespace_handlers[NS]
    with app.app_context():
        assert len(namespace.sweep()) == 3
    assert stays.is_connected(NS)
    assert not deactivated.is_connected(NS) and not moved.is_connected(NS)
    assert not signed_out.is_connected(NS)
    issue(db, "Samsat")
    assert events(stays, "ticket.changed")
    with app.app_context():
        assert namespace.sweep() == []  # nothing more to drop


def test_the_sweep_runs_by_itself_while_sockets_are_open(app, staff, db, monkeypatch):
    import time

    from sqlalchemy import select

    import counter.sockets
    from shared.models import StaffUser

    monkeypatch.setattr(counter.sockets, "SWEEP_SECONDS", 0.05)
    sio = connect(app, staff("dukcapil1"), db)
    with elsewhere(app) as other:
        clerk = other.execute(select(StaffUser).where(StaffUser.username == "dukcapil1"))
        clerk.scalar_one().active = False
        other.commit()
    deadline = time.monotonic() + 10
    while sio.is_connected(NS) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not sio.is_connected(NS)


@pytest.mark.parametrize("change", ["logout", "password", "deactivate", "role", "agency"])
def test_a_revocation_drops_the_users_sockets_at_once(app, staff, db, change):
    """Committed by this process: the user's sockets go now (no sweep), after a
    ``session.revoked`` to the user's room; other users' sockets stay."""
    from shared.accounts import find_user, set_password

    client = staff("dukcapil1")
    sio, other = connect(app, client, db), connect(app, staff("dukcapil2"), db)
    for socket in (sio, other):
        assert emit(socket, db, "join", {"agency_id": agency_by_short(db, "Dukcapil").id})["ok"]
    if change == "logout":
        assert client.post("/counter/logout").status_code == 302
    else:
        user = find_user(db, "dukcapil1")
        if change == "password":
            set_password(user, "loket-baru-siang")
        elif change == "deactivate":
            user.active = False
        elif change == "role":
            user.role = "supervisor"
        else:
            user.agency_id = agency_by_short(db, "Samsat").id
        db.commit()
    assert not sio.is_connected(NS)
    assert other.is_connected(NS)
    issue(db, "Dukcapil")
    assert events(other, "ticket.changed")
