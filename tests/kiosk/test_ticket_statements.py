"""The SQL statements of one POST /kiosk/api/tickets, whole request (a count, not a time)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, select

from shared.models import Service, Ticket
from shared.queue import ticket_position
from shared.web.database import database

# 58 before issue 18 (the demo mall's KTP, a second ticket, no printer); 47 once the kiosk keeps
# the service it checked (with its agency) and the ticket path stopped reading things twice; 41
# once the answer takes the new ticket's place from the commit's own placing of its queue; 38
# once the queue summary counts from those places too; 35 once the open counters are counted
# from the service's counters, read before the daily number (as the commit needs them); 32 once
# the counters and their services are read in two statements (shared/queue/loading.py).
MAX_STATEMENTS = 32
# A ticket far behind the queue's head (most tickets of a busy morning): placed by counts at the
# commit, no head placed again, no read after the commit (shared/queue/arrivals.py).
MAX_STATEMENTS_BEHIND_THE_HEAD = 21


@contextmanager
def counted(engine):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_taking_a_ticket_takes_at_most_the_statements_counted(app, client, csrf, app_session):
    service_id = app_session.execute(select(Service.id).where(Service.code == "KTP")).scalar_one()
    app_session.commit()  # end the read: SQLite's BEGIN IMMEDIATE would block the app's writes
    engine = database(app).engine
    for key in ("kunci-hitung-01", "kunci-hitung-02"):
        with counted(engine) as statements:
            body = {"service_id": service_id, "priority": "none", "idempotency_key": key}
            answer = client.post("/kiosk/api/tickets", json=body, headers={"X-CSRFToken": csrf})
        assert answer.status_code == 201
    assert len(statements) <= MAX_STATEMENTS, "\n".join(statements)


def test_the_answer_gives_the_place_a_fresh_reading_gives(app, client, csrf, app_session):
    service_id = app_session.execute(select(Service.id).where(Service.code == "KTP")).scalar_one()
    app_session.commit()
    answers = []
    for index, priority in enumerate(("none", "none", "lansia", "none", "disabilitas")):
        body = {
            "service_id": service_id,
            "priority": priority,
            "idempotency_key": f"kunci-{index:04d}",
        }
        answer = client.post("/kiosk/api/tickets", json=body, headers={"X-CSRFToken": csrf})
        assert answer.status_code == 201, answer.text
        answers.append(answer.json["ticket"])
    last = answers[-1]
    ticket = app_session.execute(select(Ticket).where(Ticket.code == last["code"])).scalar_one()
    fresh = ticket_position(app_session, ticket)
    app_session.commit()
    assert (last["people_ahead"], last["eta_minutes"]) == (fresh.people_ahead, fresh.eta_minutes)
    assert [a["people_ahead"] for a in answers[:2]] == [0, 1]


def test_a_ticket_far_behind_the_head_takes_fewer_and_is_placed_right(
    app, client, csrf, app_session
):
    service_id = app_session.execute(select(Service.id).where(Service.code == "KTP")).scalar_one()
    app_session.commit()
    engine = database(app).engine
    for index in range(16):
        with counted(engine) as statements:
            body = {
                "service_id": service_id,
                "priority": "none",
                "idempotency_key": f"jauh-{index:04d}",
            }
            answer = client.post("/kiosk/api/tickets", json=body, headers={"X-CSRFToken": csrf})
        assert answer.status_code == 201, answer.text
    assert len(statements) <= MAX_STATEMENTS_BEHIND_THE_HEAD, "\n".join(statements)
    last = answer.json["ticket"]
    ticket = app_session.execute(select(Ticket).where(Ticket.code == last["code"])).scalar_one()
    fresh = ticket_position(app_session, ticket)
    app_session.commit()
    assert fresh.people_ahead >= 15
    assert (last["people_ahead"], last["eta_minutes"]) == (fresh.people_ahead, fresh.eta_minutes)
