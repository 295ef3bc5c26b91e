"""How many SQL statements a clerk's call, start and finish take, so that the path a clerk presses
200 times a day does not grow back (bench/in_process.py measures its CPU)."""

from __future__ import annotations

from shared.web.database import database
from tests.counter.conftest import first_counter, issue
from tests.statements import counted

# Before the sixth pass of issue 18: 31, 13 and 26 (BEGIN included). The call reads light rows
# and claims with UPDATE … RETURNING (not the candidates, then the claimed ticket again); the
# heads of the queues it moves are read in one statement, not one per service; no action reads
# the clerk's own agency for the privilege check, nor the agency again for the payloads (what
# the process keeps), nor the visit at a site without a BPJS bridge. Then 20, 11 and 19: no
# site without doctors reads the day's doctors' sessions (what the process keeps), and a finish
# takes its history from the visit's tickets it read for the next step. Then a call of 19: the
# called ticket's alert subscriptions are read at the commit, with those near their turn. Then
# 18: the call reads its counter's services with what its commit places (shared/queue/loading.py).
# Then 17, 10 and 18: the site's configuration stamp comes with the signed-in user's row. Then
# 16 and 17: this queue is shorter than the head's window, and its summary takes its waiting
# count from the head (shared/queue/position.py, QueueHead.waiting). Then 15 and 16: which
# services each counter serves is kept by the process, so only the counters themselves are read
# (shared/queue/loading.py). Then 8 and 14: a start and a finish name their ticket's service
# and their counter's services from what the process keeps of the clerk's site; then a call of 14:
# the calling counter is read with the counters its commit places. Then a finish of 12: its
# counter is read with the counters its commit places, and a ticket on no pathway's step does
# not read its visit; the visit's other tickets (the history, the next ticket) are one plain read.
MAX_STATEMENTS = {"call-next": 14, "start": 8, "finish": 12}


def _post(client, path, body=None):
    answer = client.post(f"/counter/api/{path}", json=body or {})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def _dukcapil_clerk(app, staff, db, tickets: int):
    """Loket 1's clerk signed in, ``tickets`` waiting, and the app's engine to count on."""
    clerk = staff("dukcapil1")
    counter = first_counter(db, "Dukcapil")
    for _ in range(tickets):
        issue(db, "Dukcapil")
    db.commit()
    return clerk, counter, database(app).engine


def test_a_clerks_cycle_takes_at_most_the_statements_counted(app, staff, db):
    clerk, counter, engine = _dukcapil_clerk(app, staff, db, 3)
    for round_ in range(2):  # the second with what the process keeps warm
        found = {}
        with counted(engine) as statements:
            ticket = _post(clerk, f"counters/{counter.id}/call-next", {"request_id": f"r{round_}"})
        found["call-next"] = statements
        for action in ("start", "finish"):
            with counted(engine) as statements:
                _post(clerk, f"tickets/{ticket['ticket']['id']}/{action}")
            found[action] = statements
    for action, statements in found.items():
        assert len(statements) <= MAX_STATEMENTS[action], "\n".join(statements)
        assert not any("FROM agency" in s for s in statements), action
        assert not any("FROM visit " in s for s in statements), action


def test_a_clerks_requests_read_the_sites_stamp_with_the_clerk(app, staff, db):
    """The signed-in user's row brings the site's configuration stamp (shared/web/auth.py): no
    statement reads it alone, and a change committed elsewhere is in the next answer."""
    clerk, counter, engine = _dukcapil_clerk(app, staff, db, 2)
    for round_, short_name in enumerate((counter.agency.short_name, "Disdukcapil")):
        if short_name != counter.agency.short_name:
            counter.agency.short_name = short_name  # an admin's change: a new stamp
            db.commit()
        with counted(engine) as statements:
            ticket = _post(clerk, f"counters/{counter.id}/call-next", {"request_id": f"s{round_}"})
        assert ticket["ticket"]["agency"]["short_name"] == short_name
        assert any("config_stamp" in s and "FROM staff_user" in s for s in statements)
        alone = [s for s in statements if s.startswith("SELECT site.config_stamp ")]
        assert alone == [], "\n".join(statements)
        for action in ("start", "finish"):
            _post(clerk, f"tickets/{ticket['ticket']['id']}/{action}")
