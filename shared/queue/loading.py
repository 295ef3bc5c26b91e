"""A queue's counters and what each of them serves, filled from what the process keeps.

Placing a queue needs its service's counters and what each of them serves (position.py). Lazy
loading reads those one service and one counter at a time: an agency with eight counters cost a
call some fifteen statements. Which services each counter serves is configuration: the process
keeps it per site (shared/config_cache.py; a counter given other services changes the site's
stamp), with a detached copy of each of the site's services. So filling the collections reads
only the counters themselves, whose status changes all day: one statement for those not in the
session yet, and the collections are set as SQLAlchemy would have set them
(``set_committed_value``).

:func:`load_counter_sets` fills a few services' counters (with ``neighbours``, also those of
every service sharing a counter with one of them: a call places all their queues), and each
such counter's services. A call starts from its counter: :func:`load_around_counter` fills the
counter's services the same way, where lazy loading would read them alone first and the
commit's placing the rest after. A console's answer names its counter's services, and a start
or a finish its ticket's service: :func:`load_counter_services` and :func:`load_ticket_service`
set them from the same kept values, where each was a statement. A new ticket checks its
service's open counters and counts its place with :func:`desks_of`: plain values (each
counter's status, read once a transaction, and its services as the kept copies), without
building Counter objects; only an arrival near the head reads them, at the commit.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from shared import config_cache, rows
from shared.models import Counter, Service, counter_service
from shared.sql import in_list, list_params, plain_rows

_MEMBERS = (  # (counter id, service id) of every counter of the site bound as ``site_id``
    select(counter_service.c.counter_id, counter_service.c.service_id)
    .join(Counter, Counter.id == counter_service.c.counter_id)
    .where(Counter.site_id == bindparam("site_id"))
    .order_by(counter_service.c.counter_id, counter_service.c.service_id)
)
_SERVICES = select(Service).where(Service.site_id == bindparam("site_id"))


@dataclass(frozen=True)
class CounterSets:
    """Which services each of a site's counters serves, both ways, in ascending ids (the order
    of ``Counter.services``, and the order the counters were always read in)."""

    counters_of: dict[int, tuple[int, ...]]  # service id: its counters
    services_of: dict[int, tuple[int, ...]]  # counter id: its services


def counter_sets(session: Session, site_id: int) -> CounterSets:
    def read() -> CounterSets:
        counters_of: dict[int, list[int]] = {}
        services_of: dict[int, list[int]] = {}
        with session.no_autoflush:  # what the database holds, as the stamp read says
            for counter_id, service_id in session.execute(_MEMBERS, {"site_id": site_id}):
                services_of.setdefault(counter_id, []).append(service_id)
                counters_of.setdefault(service_id, []).append(counter_id)
        return CounterSets(
            {key: tuple(sorted(ids)) for key, ids in counters_of.items()},
            {key: tuple(ids) for key, ids in services_of.items()},
        )

    return config_cache.kept(session, site_id, "counter_sets", read)


def _kept_services(session: Session, site_id: int) -> dict[int, Service]:
    def read() -> dict[int, Service]:
        with session.no_autoflush:
            found = session.execute(_SERVICES, {"site_id": site_id}).scalars().all()
        return {service.id: config_cache.detach(service) for service in found}

    return config_cache.kept(session, site_id, "services", read)


_MAPPERS = {Counter: inspect(Counter), Service: inspect(Service)}


def _unread(obj, name: str) -> bool:
    """Whether a relationship is still to be loaded: absent from the object's loaded values, as
    ``inspect(obj).unloaded`` says, without building the set of every unloaded attribute."""
    return name not in instance_state(obj).dict


def _in_session(session: Session, model, key: int):
    return session.identity_map.get(_MAPPERS[model].identity_key_from_primary_key((key,)))


@functools.lru_cache(maxsize=64)
def _counters_statement(count: int):
    return select(*rows.columns_of(Counter)).where(in_list(Counter.id, "id", count))


def _counters(session: Session, ids: set[int]) -> dict[int, Counter]:
    """These counters: those the session holds, the others read in one statement. One removed
    since the stamp was read (PostgreSQL reads each statement's committed rows) is left out."""
    found = {key: _in_session(session, Counter, key) for key in ids}
    missing = sorted(key for key, counter in found.items() if counter is None)
    if missing:
        read = plain_rows(session, _counters_statement(len(missing)), list_params("id", missing))
        found |= {c.id: c for c in (rows.loaded(session, Counter, r, refresh=False) for r in read)}
    return {key: counter for key, counter in found.items() if counter is not None}


def _services(session: Session, site_id: int, ids: set[int]) -> dict[int, Service]:
    """These services: those the session holds, the others merged from the kept copies."""
    found = {key: _in_session(session, Service, key) for key in ids}
    missing = [key for key, service in found.items() if service is None]
    if missing:
        kept = _kept_services(session, site_id)
        for key in missing:  # one of another site (never made so): read as lazy loading would
            copy = kept.get(key)
            found[key] = (
                session.get(Service, key) if copy is None else config_cache.attach(session, copy)
            )
    return found


def site_services(session: Session, site_id: int, ids: set[int]) -> dict[int, Service]:
    """These services of the site, as the session holds them or merged from what the process
    keeps, without a statement (one of another site is read)."""
    return _services(session, site_id, ids)


def _near(sets: CounterSets, services: Iterable[int]) -> set[int]:
    """These services and every service sharing a counter with one of them."""
    near = {o for s in services for c in sets.counters_of.get(s, ()) for o in sets.services_of[c]}
    return near | set(services)


def _fill(session: Session, site_id: int, services: set[int], counters: set[int] = frozenset()):
    """Set ``counters`` of these services and ``services`` of their counters (and of
    ``counters``), where not read yet."""
    sets = counter_sets(session, site_id)
    desks = {c for s in services for c in sets.counters_of.get(s, ())} | counters
    served = {s for c in desks for s in sets.services_of.get(c, ())} | services
    service_objects = _services(session, site_id, served)
    counter_objects = _counters(session, desks)
    for key in services:
        if _unread(service_objects[key], "counters"):
            mine = (counter_objects.get(c) for c in sets.counters_of.get(key, ()))
            set_committed_value(
                service_objects[key], "counters", [c for c in mine if c is not None]
            )
    for key in desks & counter_objects.keys():
        if _unread(counter_objects[key], "services"):
            members = [service_objects[s] for s in sets.services_of.get(key, ())]
            set_committed_value(counter_objects[key], "services", members)


def _all_read(services: Iterable[Service], neighbours: bool) -> bool:
    """Whether these services' counters and those counters' services are read already (with
    ``neighbours``, also those of every service sharing a counter with one of them)."""
    for service in services:
        if _unread(service, "counters"):
            return False
        for counter in service.counters:
            if _unread(counter, "services"):
                return False
            if neighbours and not _all_read(counter.services, False):
                return False
    return True


def load_around_counter(session: Session, counter: Counter) -> None:
    """Fill ``counter.services``, and as :func:`load_counter_sets` with ``neighbours`` fills
    them for those services: what a call reads (its services' heads) and what its commit places
    (every queue sharing a counter with them)."""
    if not _unread(counter, "services"):
        return
    sets = counter_sets(session, counter.site_id)
    mine = sets.services_of.get(counter.id, ())
    _fill(session, counter.site_id, _near(sets, mine), {counter.id})


def read_counter_and_near(session: Session, counter_id: int, site_id: int | None) -> Counter | None:
    """The counter ``counter_id``, read with every counter that its call reads and that the
    commit of its call or of the end of its ticket places (as :func:`load_around_counter` fills
    them) in one statement, where reading it alone and then the others took two. From what the
    process keeps of ``site_id`` (the clerk's site); None when the counter is not one of that
    site's: the caller reads it as before."""
    if site_id is None:
        return None
    sets = counter_sets(session, site_id)
    mine = sets.services_of.get(counter_id)
    if mine is None:
        return None
    near = _near(sets, mine)
    read = _counters(session, {c for s in near for c in sets.counters_of.get(s, ())})
    counter = read.get(counter_id)
    if counter is not None and _unread(counter, "services"):
        _fill(session, site_id, near, {counter_id})  # holding ``read``: none is read again
    return counter


@dataclass(frozen=True)
class Desk:
    """A counter as a new ticket's count sees it (arrivals.py): its status, and the services it
    serves as the site's kept copies (read only, never attached to a session)."""

    id: int
    status: str
    services: tuple[Service, ...]


_DESK_STATUSES = "antre.desk_statuses"  # (the transaction, {counter id: status read})


@functools.lru_cache(maxsize=64)
def _statuses_statement(count: int):
    return select(Counter.id, Counter.status).where(in_list(Counter.id, "id", count))


def desks_of(session: Session, service: Service) -> list[Desk]:
    """``service``'s counters as :class:`Desk` values, without building Counter objects nor
    attaching the services they serve (a tenth of a tap's CPU, far behind the queue's head).

    The status of a counter the session holds is its own (changed or not); the others' are read
    in one plain statement, once per transaction."""
    sets = counter_sets(session, service.site_id)
    ids = sets.counters_of.get(service.id, ())
    transaction = session.get_transaction()
    memo = session.info.get(_DESK_STATUSES)
    if memo is None or memo[0] is not transaction:
        memo = session.info[_DESK_STATUSES] = (transaction, {})
    read = memo[1]
    statuses = {}
    for key in ids:
        held = _in_session(session, Counter, key)
        statuses[key] = held.status if held is not None else read.get(key)
    missing = [key for key, status in statuses.items() if status is None]
    if missing:
        found = plain_rows(session, _statuses_statement(len(missing)), list_params("id", missing))
        read |= dict(found.all())
        statuses |= {key: read.get(key) for key in missing}
    kept = _kept_services(session, service.site_id)
    return [
        Desk(key, statuses[key], tuple(kept[s] for s in sets.services_of[key]))
        for key in ids
        if statuses[key] is not None  # removed since the sets were kept
    ]


def load_counter_sets(
    session: Session, services: Iterable[Service], *, neighbours: bool = False
) -> None:
    """Fill ``service.counters`` and each such counter's ``services`` where not read yet; with
    ``neighbours``, the same for every service sharing a counter with one of ``services``."""
    by_site: dict[int, list[Service]] = {}
    for service in services:
        by_site.setdefault(service.site_id, []).append(service)
    for site_id, mine in by_site.items():
        if _all_read(mine, neighbours):
            continue
        ids = {s.id for s in mine}
        _fill(session, site_id, _near(counter_sets(session, site_id), ids) if neighbours else ids)


def load_counter_services(session: Session, counter: Counter) -> None:
    """Fill ``counter.services`` (what a console's answer names) from the site's kept sets and
    services, without a statement, where not read yet."""
    if _unread(counter, "services"):
        _fill(session, counter.site_id, set(), {counter.id})


def load_ticket_service(session: Session, ticket, site_id: int | None) -> None:
    """Set ``ticket.service`` from what the process keeps of ``site_id`` (a clerk's own site)
    when the service is one of that site's, without a statement; else lazy loading reads it."""
    if site_id is None or not _unread(ticket, "service"):
        return
    service = _in_session(session, Service, ticket.service_id)
    if service is None:
        kept = _kept_services(session, site_id).get(ticket.service_id)
        if kept is None:
            return
        service = config_cache.attach(session, kept)
    set_committed_value(ticket, "service", service)
