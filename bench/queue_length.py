"""Does a ticket, a call or a phone's message cost more when the queue is long? (issue 18)

    python -m bench.queue_length --levels 0,200,400,600,800,1000 --samples 30

In one process, on a private SQLite file (migrated, demo data): one service's queue is filled to
each level, then ``--samples`` tickets are taken (issue, the kiosk's answer with its place,
commit with its events) and ``--samples`` calls made (call next, commit), each timed in this
process's CPU time, and so is ``--samples`` times the count that places the queue's last ticket
(``counting.index_in_order``, one statement along the index: what a kiosk's answer and a phone's
place are made of); the bytes of the ``/ticket`` "queue.changed" every phone on that queue
receives are read from the published events (they grow until the queue is longer than the head
window, 10, then stay put). The ratios compare the longest queue with the shortest (goal: at
most 1.2).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bench.common import report, summary_ms
from shared import events, migrate, queue
from shared.db import make_engine, make_session_factory
from shared.models import Counter, Ticket
from shared.queue.counting import index_in_order
from shared.seed import seed_demo

COUNTER = 1  # the demo's Loket 1


def _cpu(work) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def _phones_bytes(publisher: events.RecordingPublisher) -> list[int]:
    return [
        len(json.dumps(event.message()))
        for event in publisher.events
        if (event.namespace, event.name) == ("/ticket", "queue.changed")
    ]


def measure(session, publisher, counter_id: int, level: int, samples: int) -> dict:
    service_id = session.get(Counter, counter_id).services[0].id
    stmt = select(func.count()).where(Ticket.service_id == service_id, Ticket.status == "waiting")
    missing = level - session.execute(stmt).scalar_one()
    while missing > 0:  # filled in batches of 200, not measured
        for _ in range(min(200, missing)):
            queue.issue_ticket(session, service_id)
        missing -= 200
        session.commit()

    def take():
        queue.ticket_position(session, queue.issue_ticket(session, service_id))  # kiosk answer
        session.commit()

    def call():
        queue.call_next(session, session.get(Counter, counter_id))
        session.commit()

    def serve():
        active = queue.active_ticket(session, session.get(Counter, counter_id))
        if active is not None:
            queue.start_ticket(session, active)
            queue.finish_ticket(session, active)
            session.commit()

    serve()
    last = session.execute(  # the queue's last ticket: the one a count walks furthest for
        select(Ticket)
        .where(Ticket.service_id == service_id, Ticket.status == "waiting")
        .order_by(Ticket.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    counts = [_cpu(lambda: index_in_order(session, last)) for _ in range(samples)] if last else []
    session.commit()
    tickets, calls, sizes = [], [], []
    for _ in range(samples):
        publisher.events.clear()
        tickets.append(_cpu(take))
        sizes += _phones_bytes(publisher)
    for _ in range(samples):
        publisher.events.clear()
        calls.append(_cpu(call))
        sizes += _phones_bytes(publisher)
        serve()
    return {
        "waiting": level,
        "ticket_cpu": summary_ms(tickets),
        "call_cpu": summary_ms(calls),
        "count_cpu": summary_ms(counts) if counts else None,
        "phone_message_bytes": {"mean": round(statistics.fmean(sizes)), "max": max(sizes)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="0,200,400,600,800,1000")
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    levels = sorted(int(level) for level in args.levels.split(","))
    folder = Path(tempfile.mkdtemp(prefix="antre-queue-length-"))
    try:
        url = f"sqlite:///{folder / 'antre.db'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        publisher = events.RecordingPublisher()
        with make_session_factory(engine, publisher)() as session:
            seed_demo(session)
            session.commit()
            counter = session.execute(
                select(Counter).where(Counter.number == COUNTER).order_by(Counter.id).limit(1)
            ).scalar_one()
            rows = [measure(session, publisher, counter.id, n, args.samples) for n in levels]
        engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    first, last = rows[0], rows[-1]
    report(
        {
            "samples": args.samples,
            "levels": rows,
            "ratio_longest_to_shortest": {
                "ticket_cpu_p50": round(
                    last["ticket_cpu"]["p50_ms"] / first["ticket_cpu"]["p50_ms"], 2
                ),
                "call_cpu_p50": round(last["call_cpu"]["p50_ms"] / first["call_cpu"]["p50_ms"], 2),
            },
        }
    )


if __name__ == "__main__":
    main()
