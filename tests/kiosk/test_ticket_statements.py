"""The SQL statements of one POST /kiosk/api/tickets, whole request (a count, not a time)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, select

from shared.models import Service, Ticket
from shared.queue import ticket_position
from shared.web.database import database
from tests.statements import counted, executed_on

# 58 before issue 18 (the demo mall's KTP, a second ticket, no printer); 47 once the kiosk keeps
# the service it checked (with its agency) and the ticket path stopped reading things twice; 41
# once the answer takes the new ticket's place from the commit's own placing of its queue; 38
# once the queue summary counts from those places too; 35 once the open counters are counted
# from the service's counters, read before the daily number (as the commit needs them); 32 once
# the counters and their services are read in two statements (shared/queue/loading.py); 31 once a
# kiosk without a printer records the outcome in the ticket's own transaction; 25 once the site,
# the kiosk's service with its agency, the pathway question and the webhooks come from what the
# process keeps of the site's configuration (shared/config_cache.py), and a call's queues' live
# rates are read in one statement; 24 once a kiosk without a printer writes its ticket "none"
# from the start instead of updating it (shared/printing/jobs.py, has_printer); 20 once the heads
# of the queues it moves are read in one statement (shared/queue/ordering.py, heads_of) and a
# site without a BPJS bridge reads nothing for BPJS; 18 once the counters of the queues sharing
# its counters are read with its own, before the number (shared/queue/issuing.py); 17 once a
# site without doctors reads no doctors' sessions (shared/queue/sites.py, has_doctors); 16 once
# the demo kiosk is read without its site (kiosk/identity.py); 15 once the site's configuration
# stamp comes with the kiosk's row; 14 once the summary of a queue shorter than the head's
# window takes its waiting count from the head (shared/queue/position.py, QueueHead.waiting); 13
# once which services each counter serves is kept by the process, with the site's services, and
# only the counters themselves are read (shared/queue/loading.py). Then 14 for this ticket near
# the head: the check of open counters reads only their status (loading.desks_of), which the
# far ticket below also places itself with; a ticket near the head reads the Counter objects
# at the commit, to place the heads.
MAX_STATEMENTS = 14
# A ticket far behind the queue's head (most tickets of a busy morning): placed by counts at the
# commit, no head placed again, no read after the commit (shared/queue/arrivals.py). 16 since
# the printerless kiosk's ticket is no longer updated; 14 once the demo kiosk is read without its
# site and an arrival at a site without doctors looks for no doctor's session; 13 once the
# ticket's own service and those sharing its counters are counted in one statement when no
# ticket of the other priority class goes before it (shared/queue/counting.py); 12 once the
# site's configuration stamp comes with the kiosk's row; 11 once only the counters themselves are
# read around its service.
MAX_STATEMENTS_BEHIND_THE_HEAD = 11


def _tap(client, csrf, service_id: int, key: str, priority: str = "none"):
    """The demo kiosk's POST /kiosk/api/tickets."""
    body = {"service_id": service_id, "priority": priority, "idempotency_key": key}
    return client.post("/kiosk/api/tickets", json=body, headers={"X-CSRFToken": csrf})


def test_taking_a_ticket_takes_at_most_the_statements_counted(app, client, csrf, app_session):
    service_id = app_session.execute(select(Service.id).where(Service.code == "KTP")).scalar_one()
    app_session.commit()  # end the read: SQLite's BEGIN IMMEDIATE would block the app's writes
    engine = database(app).engine
    for key in ("kunci-hitung-01", "kunci-hitung-02"):
        with counted(engine) as statements:
            answer = _tap(client, csrf, service_id, key)
        assert answer.status_code == 201
    assert len(statements) <= MAX_STATEMENTS, "\n".join(statements)


def test_a_tap_runs_only_statements_built_once(app, client, csrf, app_session):
    """Building a statement and its cache key cost more than running it (docs/benchmarks.md,
    fifth pass): every statement of a tap is built once per process, its values bound, whether
    it goes through the session or straight to its connection (shared/sql.plain_rows)."""
    service_id = app_session.execute(select(Service.id).where(Service.code == "KTP")).scalar_one()
    app_session.commit()
    taps = []
    for index in range(20):  # the first two warm what a process keeps; the last are far back
        with executed_on(database(app).engine) as statements:
            answer = _tap(client, csrf, service_id, f"sekali-{index:02d}")
        assert answer.status_code == 201, answer.text
        taps.append(statements)
    for earlier, later in ((taps[2], taps[3]), (taps[18], taps[19])):  # near, far from the head
        before = {id(statement) for statement, _sql in earlier}
        anew = [sql for statement, sql in later if id(statement) not in before]
        assert len(later) >= 8 and not anew, "\n\n".join(anew)


def test_a_tap_reads_its_sites_stamp_with_its_kiosk(app, client, csrf, app_session):
    """The kiosk's row brings its site's configuration stamp (kiosk/identity.py): no statement
    reads the stamp alone, and a change committed elsewhere is still in the next answer."""
    service = app_session.execute(select(Service).where(Service.code == "KTP")).scalar_one()
    app_session.commit()
    engine = database(app).engine
    for key, name in (("stempel-01", service.name), ("stempel-02", "KTP Elektronik (baru)")):
        if name != service.name:
            service.name = name  # an admin's change, from another session: a new stamp
            app_session.commit()
        with counted(engine) as statements:
            answer = _tap(client, csrf, service.id, key)
        assert answer.status_code == 201, answer.text
        assert answer.json["ticket"]["service"] == name
        assert any("config_stamp" in s and "FROM kiosk" in s for s in statements)
        alone = [s for s in statements if s.startswith("SELECT site.config_stamp ")]
        assert alone == [], "\n".join(statements)


def test_the_answer_gives_the_place_a_fresh_reading_gives(app, client, csrf, app_session):
    service_id = app_session.execute(select(Service.id).where(Service.code == "KTP")).scalar_one()
    app_session.commit()
    answers = []
    for index, priority in enumerate(("none", "none", "lansia", "none", "disabilitas")):
        answer = _tap(client, csrf, service_id, f"kunci-{index:04d}", priority)
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
            answer = _tap(client, csrf, service_id, f"jauh-{index:04d}")
        assert answer.status_code == 201, answer.text
    assert len(statements) <= MAX_STATEMENTS_BEHIND_THE_HEAD, "\n".join(statements)
    last = answer.json["ticket"]
    ticket = app_session.execute(select(Ticket).where(Ticket.code == last["code"])).scalar_one()
    fresh = ticket_position(app_session, ticket)
    app_session.commit()
    assert fresh.people_ahead >= 15
    assert (last["people_ahead"], last["eta_minutes"]) == (fresh.people_ahead, fresh.eta_minutes)


@contextmanager
def commits(engine):
    done: list[int] = []

    def count(_conn) -> None:
        done.append(1)

    event.listen(engine, "commit", count)
    try:
        yield done
    finally:
        event.remove(engine, "commit", count)


def test_a_kiosk_without_a_printer_commits_its_ticket_once(
    app, client, app_session, register_kiosk
):
    service_id = app_session.execute(select(Service.id).where(Service.code == "KTP")).scalar_one()
    app_session.commit()
    engine = database(app).engine
    outcomes = []
    # Port 9 (discard) has no listener here: the printer is refused at once, after the commit.
    for key, printer_uri in (
        ("tanpa-printer-01", None),
        ("dengan-printer-01", "tcp://127.0.0.1:9"),
    ):
        token, _kiosk = register_kiosk(name=f"Kios {key}", printer_uri=printer_uri)
        body = {"service_id": service_id, "priority": "none", "idempotency_key": key}
        with commits(engine) as done:
            answer = client.post("/kiosk/api/tickets", json=body, headers={"X-Kiosk-Token": token})
        assert answer.status_code == 201, answer.text
        ticket = app_session.execute(
            select(Ticket).where(Ticket.code == answer.json["ticket"]["code"])
        ).scalar_one()
        outcomes.append((len(done), answer.json["print"]["code"], ticket.print_state))
        app_session.commit()
    # Screen only: the known outcome goes in with the ticket. A printer: the ticket is committed
    # before the printer is tried, and the outcome in a second transaction.
    assert outcomes == [(1, "no_printer", "none"), (2, "unreachable", "failed")]


def test_a_taps_plain_statements_run_on_sqlites_own_cursor(
    app, client, csrf, app_session, monkeypatch
):
    """Each plain read and write of a tap, near the head or far behind it, runs on SQLite's own
    cursor (shared/sqlite_direct.py): none left to SQLAlchemy by an expanding parameter or a
    list of parameter sets."""
    from shared import sqlite_direct

    service_id = app_session.execute(select(Service.id).where(Service.code == "KTP")).scalar_one()
    app_session.commit()
    direct, left = [], []
    run = sqlite_direct.execute

    def noted(connection, stmt, params):
        result = run(connection, stmt, params)
        (left if result is None else direct).append(str(stmt))
        return result

    monkeypatch.setattr(sqlite_direct, "execute", noted)
    for index in range(15):  # near the head first, then far behind it
        answer = _tap(client, csrf, service_id, f"langsung-{index:02d}")
        assert answer.status_code == 201, answer.text
    assert left == [] and len(direct) >= 15 * 6, "\n\n".join(left)
