"""Reading the counters of a few services, and each counter's services, in two statements.

Placing a queue needs its service's counters and what each of them serves (position.py). Lazy
loading reads those one service and one counter at a time: an agency with eight counters cost a
call some fifteen statements. Here one statement reads the counters of every service asked
about, one more the services of every counter not yet read, and the collections are filled as
SQLAlchemy would have filled them (``set_committed_value``).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from shared.models import Counter, Service, counter_service


def load_counter_sets(session: Session, services: Iterable[Service]) -> None:
    """Fill ``service.counters`` and each such counter's ``services`` where not read yet."""
    services = list(services)
    unread = {s.id: s for s in services if "counters" in inspect(s).unloaded}
    if unread:
        stmt = (
            select(counter_service.c.service_id, Counter)
            .join(Counter, Counter.id == counter_service.c.counter_id)
            .where(counter_service.c.service_id.in_(sorted(unread)))
            .order_by(Counter.id)
        )
        found: dict[int, list[Counter]] = {key: [] for key in unread}
        for service_id, counter in session.execute(stmt):
            found[service_id].append(counter)
        for key, service in unread.items():
            set_committed_value(service, "counters", found[key])
    counters = {c.id: c for s in services for c in s.counters if "services" in inspect(c).unloaded}
    if counters:
        stmt = (
            select(counter_service.c.counter_id, Service)
            .join(Service, Service.id == counter_service.c.service_id)
            .where(counter_service.c.counter_id.in_(sorted(counters)))
            .order_by(Service.id)  # as Counter.services is ordered
        )
        served: dict[int, list[Service]] = {key: [] for key in counters}
        for counter_id, service in session.execute(stmt):
            served[counter_id].append(service)
        for key, counter in counters.items():
            set_committed_value(counter, "services", served[key])
