"""How many SQL statements a ticket takes: a count, so that the hot path does not grow back.

The figure is for ``take_ticket`` + commit on the demo mall (KTP: no quota, no pathway), after a
first ticket (so that whatever a process keeps is warm). bench/ticket_cost.py prints the same.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from shared.db import make_engine, make_session_factory
from shared.models import Service
from shared.queue.taking import take_ticket
from tests.statements import counted

# 42 before issue 18; 37 after dropping the repeated key look-up, today's count of a service
# without a quota, and the site read again each time nothing held it; 34 once the kiosks' and TVs'
# queue summary takes its count, open counters and rate from the queue's places just computed;
# 33 with the phones' queue head (a count of waiting, one read of the day's doctors' sessions);
# 32 once the open counters are counted from the service's counters (the commit reads them);
# 29 once the counters and their services are read in two statements (queue/loading.py); 24
# once the site, the pathway question and the webhooks come from what the process keeps of the
# site's configuration (shared/config_cache.py: one statement reads its stamp); 19 once the heads
# of the queues it moves are read in one statement (ordering.heads_of) and a site without a BPJS
# bridge reads nothing for BPJS; 17 once the counters of the queues sharing its counters are
# read with its own (issuing.py); 16 once a site without doctors reads no doctors' sessions (15
# by the twelfth pass's plain reads and short-queue summary); 14 once which services each counter
# serves is kept by the process and only the counters themselves are read (queue/loading.py).
# Then 15, for this ticket near the head: the check of open counters reads their status as
# plain values (loading.desks_of), which a ticket far behind the head, most of a busy day's,
# also places itself with; one near the head reads the Counter objects at the commit to place
# the heads. A ticket far behind the head takes fewer: tests/shared/test_arrivals.py.
MAX_STATEMENTS = 15


def test_a_ticket_takes_at_most_the_statements_counted(demo_db_url):
    engine = make_engine(demo_db_url)
    factory = make_session_factory(engine)
    with factory() as session:
        service_id = session.execute(select(Service.id).where(Service.code == "KTP")).scalar_one()
    for _ in range(2):
        with counted(engine) as statements, factory() as session:
            take_ticket(session, service_id, idempotency_key=uuid.uuid4().hex)
            session.commit()
    engine.dispose()
    assert len(statements) <= MAX_STATEMENTS, "\n".join(statements)


def test_a_repeated_key_is_looked_up_once(demo_db_url):
    engine = make_engine(demo_db_url)
    factory = make_session_factory(engine)
    with factory() as session:
        service_id = session.execute(select(Service.id).where(Service.code == "KTP")).scalar_one()
        take_ticket(session, service_id, idempotency_key="same-key-1")
        session.commit()
    with counted(engine) as statements, factory() as session:
        _ticket, created = take_ticket(session, service_id, idempotency_key="same-key-1")
        session.commit()
    engine.dispose()
    assert not created
    # Looked up by its key once (its id), then the ticket read by that id.
    assert sum("WHERE ticket.idempotency_key" in s for s in statements) == 1
    assert sum(s.startswith("SELECT ticket.id, ticket.visit_id") for s in statements) == 1
