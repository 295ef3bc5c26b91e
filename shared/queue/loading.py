"""Reading the counters of a few services, and each counter's services, in two statements.

Placing a queue needs its service's counters and what each of them serves (position.py). Lazy
loading reads those one service and one counter at a time: an agency with eight counters cost a
call some fifteen statements. Here one statement reads the counters of every service asked
about (with ``neighbours``, also of every service sharing a counter with one of them: a call
places all their queues), one more the services of every counter not yet read, and the
collections are filled as SQLAlchemy would have filled them (``set_committed_value``).

A call starts from its counter: :func:`load_around_counter` reads the counter's services with
their counters and those counters' services in the same two statements, where lazy loading
would read the counter's services alone first and the commit's placing the rest after.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from shared.models import Counter, Service, counter_service


@functools.cache
def _counters_of(neighbours: bool):
    """(service id, counter) of the services bound as ``ids``; with ``neighbours``, of every
    service sharing a counter with one of them. Built once per shape, the ids bound each time."""
    which = counter_service.c.service_id.in_(bindparam("ids", expanding=True))
    if neighbours:  # the services of their counters: themselves, and those sharing one
        which = counter_service.c.service_id.in_(
            _services_sharing(bindparam("ids", expanding=True))
        )
    return (
        select(counter_service.c.service_id, Counter)
        .join(Counter, Counter.id == counter_service.c.counter_id)
        .where(which)
        .order_by(Counter.id)
    )


_SERVICES_OF = (  # (counter id, service) of the counters bound as ``ids``
    select(counter_service.c.counter_id, Service)
    .join(Service, Service.id == counter_service.c.service_id)
    .where(counter_service.c.counter_id.in_(bindparam("ids", expanding=True)))
    .order_by(Service.id)  # as Counter.services is ordered
)


def _services_sharing(services):
    """The ids of the services sharing a counter with one of ``services`` (a subquery of ids)."""
    theirs = select(counter_service.c.counter_id).where(counter_service.c.service_id.in_(services))
    return select(counter_service.c.service_id).where(counter_service.c.counter_id.in_(theirs))


_MINE = select(counter_service.c.service_id).where(
    counter_service.c.counter_id == bindparam("counter_id")
)
_NEAR_COUNTER = (  # (service id, counter) of every service sharing a counter with the counter's
    select(counter_service.c.service_id, Counter)
    .join(Counter, Counter.id == counter_service.c.counter_id)
    .where(counter_service.c.service_id.in_(_services_sharing(_MINE)))
    .order_by(Counter.id)
)


def load_around_counter(session: Session, counter: Counter) -> None:
    """Fill ``counter.services``, and as :func:`load_counter_sets` with ``neighbours`` fills
    them for those services: what a call reads (its services' heads) and what its commit places
    (every queue sharing a counter with them)."""
    if "services" not in inspect(counter).unloaded:
        return
    found: dict[int, list[Counter]] = {}
    for service_id, other in session.execute(_NEAR_COUNTER, {"counter_id": counter.id}):
        found.setdefault(service_id, []).append(other)
    near = {c.id: c for cs in found.values() for c in cs} | {counter.id: counter}
    _fill_services(session, {k: c for k, c in near.items() if "services" in inspect(c).unloaded})
    sharing = {s.id: s for c in near.values() for s in c.services}
    for key, service in sharing.items():
        if key in found and "counters" in inspect(service).unloaded:
            set_committed_value(service, "counters", found[key])


def _fill_services(session: Session, counters: dict[int, Counter]) -> None:
    """Set each of these counters' ``services`` from one statement."""
    if not counters:
        return
    served: dict[int, list[Service]] = {key: [] for key in counters}
    for counter_id, service in session.execute(_SERVICES_OF, {"ids": sorted(counters)}):
        served[counter_id].append(service)
    for key, counter in counters.items():
        set_committed_value(counter, "services", served[key])


def load_counter_sets(
    session: Session, services: Iterable[Service], *, neighbours: bool = False
) -> None:
    """Fill ``service.counters`` and each such counter's ``services`` where not read yet; with
    ``neighbours``, the same for every service sharing a counter with one of ``services``."""
    services = list(services)
    unread = {s.id: s for s in services if "counters" in inspect(s).unloaded}
    found: dict[int, list[Counter]] = {}
    if unread:
        found = {key: [] for key in unread}
        rows = session.execute(_counters_of(neighbours), {"ids": sorted(unread)})
        for service_id, counter in rows:
            found.setdefault(service_id, []).append(counter)
        for key, service in unread.items():
            set_committed_value(service, "counters", found[key])
    counters = {c.id: c for cs in found.values() for c in cs if "services" in inspect(c).unloaded}
    counters |= {c.id: c for s in services for c in s.counters if "services" in inspect(c).unloaded}
    _fill_services(session, counters)
    if neighbours:  # the neighbours' own counters: read above, or (read before) now
        near = {o.id: o for s in services for c in s.counters for o in c.services}
        for key, service in near.items():
            if key in found and "counters" in inspect(service).unloaded:
                set_committed_value(service, "counters", found[key])
        rest = [o for o in near.values() if "counters" in inspect(o).unloaded]
        if rest:
            load_counter_sets(session, rest)
