"""A site's configuration kept in each process, checked against the site's stamp in the database.

Every ticket read the same rows again: its site, the service it chose with its agency, whether
the service starts a pathway, which webhooks want the event, whether the site has a BPJS bridge
or any doctor. Here each process keeps them per site, with the site's ``config_stamp``: a random
value that every flush changing the site's configuration (the site, its agencies, services,
which services each counter serves, pathways, webhooks, BPJS bridge, doctors) replaces, in the
same transaction (:func:`install`). A request reads the stamp once (one small statement) and
uses what the process keeps only while it matches, so a change made by another process, the
command line or an admin page is seen by the next request everywhere, without messages between
processes and without a delay.

Kept objects are detached copies; a request gets its own instances of them without SQL (as
``Session.merge(load=False)`` makes them), with JSON values copied, so no request can change
what the next one sees. A session that has changed the configuration itself neither reads nor
fills the cache until it ends.
"""

from __future__ import annotations

import copy
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, bindparam, event, inspect, select, update
from sqlalchemy.orm import Session, make_transient_to_detached, sessionmaker
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from shared import rows
from shared.models import (
    Agency,
    BpjsBridge,
    Counter,
    Doctor,
    Pathway,
    PathwayStep,
    Service,
    Site,
    Webhook,
)
from shared.sql import plain_rows

_STAMPS = "antre.config_stamps"  # session.info: {site id: stamp read by this session}
_WROTE = "antre.config_written"  # session.info: this session changed a configuration
_OWN = "antre_config_stamp"  # execution option of the stamp's own UPDATE
_STAMP_OF = select(Site.config_stamp).where(Site.id == bindparam("site_id"))
CONFIG_MODELS = (Site, Agency, Service, Pathway, PathwayStep, Webhook, BpjsBridge, Doctor)


def new_stamp() -> str:
    return uuid.uuid4().hex


@dataclass
class _SiteEntry:
    stamp: str
    values: dict[Any, Any] = field(default_factory=dict)


_CACHE: dict[int, _SiteEntry] = {}


def clear() -> None:
    """Forget everything kept (tests, and a process that restores a database under itself)."""
    _CACHE.clear()


def _stamp(session: Session, site_id: int) -> str | None:
    """The site's stamp, read once per session; None: do not use the cache here."""
    if session.info.get(_WROTE):
        return None
    stamps = session.info.setdefault(_STAMPS, {})
    if site_id not in stamps:
        stamps[site_id] = plain_rows(session, _STAMP_OF, {"site_id": site_id}).scalar_one_or_none()
    return stamps[site_id]


def note_stamp(session: Session, site_id: int | None, stamp: str | None) -> None:
    """A site's stamp read along with another row (the kiosk's, the signed-in user's) in this
    transaction: the session's one read of it, so :func:`kept` needs no statement of its own."""
    if site_id is not None and stamp is not None and not session.info.get(_WROTE):
        session.info.setdefault(_STAMPS, {}).setdefault(site_id, stamp)


def kept(session: Session, site_id: int, key: Any, load: Callable[[], Any]) -> Any:
    """``load()``'s answer for ``key`` of this site's configuration, computed once per stamp.

    The answer is kept as it is: plain values (ids, names), or detached copies (:func:`detach`)
    that the caller merges with :func:`attach`.
    """
    stamp = _stamp(session, site_id)
    if stamp is None:
        return load()
    entry = _CACHE.get(site_id)
    if entry is None or entry.stamp != stamp:
        entry = _CACHE[site_id] = _SiteEntry(stamp)
    if key not in entry.values:
        entry.values[key] = load()
    return entry.values[key]


def detach(obj, *relationships: str):
    """A detached copy of a loaded object's columns (and of the named, loaded relationships:
    "agency", or "steps" for a pathway), sharing nothing mutable with it."""
    if obj is None:
        return None
    mapper = inspect(obj).mapper
    twin = mapper.class_manager.new_instance()
    for column in mapper.column_attrs:
        set_committed_value(twin, column.key, copy.deepcopy(getattr(obj, column.key)))
    for name in relationships:
        related = getattr(obj, name)
        value = [detach(o) for o in related] if isinstance(related, list) else detach(related)
        set_committed_value(twin, name, value)
    make_transient_to_detached(twin)
    return twin


def attach(session: Session, kept_copy):
    """The session's own instance of a kept copy: the one it holds already (never overwritten),
    else a merged one, its JSON values copied."""
    if kept_copy is None:
        return None
    key = instance_state(kept_copy).key
    present = session.identity_map.get(key)
    if present is not None:
        state = instance_state(present)
        if not state.expired_attributes or state.modified:
            return present  # loaded (or changed) in this session: its own state stands
        merged = session.merge(kept_copy, load=False)  # an expired one: refreshed from the copy
        for instance in [merged, *_related(merged)]:
            state = instance_state(instance)
            for name in _json_keys(state.mapper):
                value = state.dict.get(name)
                if value is not None:
                    set_committed_value(instance, name, _json_copy(value))
        return merged
    return _new_instance_of(session, kept_copy)


def _new_instance_of(session: Session, kept_copy):
    """The session's new instance of a kept copy that it does not hold: the copy's columns (its
    JSON values copied) and the session's instances of its loaded relationships, as
    ``session.merge(load=False)`` makes it, without the merge's walk of every attribute (a
    tap merged a site, a service and its agency: docs/benchmarks.md, "eighteenth pass")."""
    kept = instance_state(kept_copy)
    mapper, source = kept.mapper, kept.dict
    obj = mapper.class_manager.new_instance()
    values = instance_state(obj).dict
    values.update((name, source[name]) for name in _column_keys(mapper) if name in source)
    for name in _json_keys(mapper):
        if values.get(name) is not None:
            values[name] = _json_copy(values[name])
    for name in _relationship_keys(mapper):
        if name in source:
            held = source[name]
            if isinstance(held, list):
                set_committed_value(obj, name, [attach(session, other) for other in held])
            else:
                set_committed_value(obj, name, attach(session, held))
    rows.persist(session, [obj])
    return obj


def _json_copy(value):
    """A copy of a JSON value (dicts, lists and scalars), as ``copy.deepcopy`` makes it at a
    fraction of the cost: every tap copies its site's and service's opening hours."""
    if type(value) is dict:
        return {key: _json_copy(item) for key, item in value.items()}
    if type(value) is list:
        return [_json_copy(item) for item in value]
    return value  # str, int, float, bool, None: immutable


# Per mapper, worked out once: every request attaches a site and its services, and walking a
# mapper's columns and relationships anew cost as much as the merge (docs/benchmarks.md,
# "fourteenth pass").
@functools.cache
def _json_keys(mapper) -> tuple[str, ...]:
    return tuple(c.key for c in mapper.column_attrs if isinstance(c.columns[0].type, JSON))


@functools.cache
def _column_keys(mapper) -> tuple[str, ...]:
    return tuple(c.key for c in mapper.column_attrs)


@functools.cache
def _relationship_keys(mapper) -> tuple[str, ...]:
    return tuple(rel.key for rel in mapper.relationships)


def _related(instance) -> list:
    state = instance_state(instance)
    found = []
    for name in _relationship_keys(state.mapper):
        value = state.dict.get(name)
        if isinstance(value, list):
            found += value
        elif value is not None:
            found.append(value)
    return found


# -- the stamp follows every change -----------------------------------------------------------


def _sites_of(session: Session, obj) -> set[int | None]:
    """The sites whose configuration ``obj`` belongs to (None: not known before the flush)."""
    if isinstance(obj, Site):
        return {obj.id}
    if isinstance(obj, PathwayStep):
        pathway = obj.pathway if obj.pathway_id is None else session.get(Pathway, obj.pathway_id)
        return {pathway.site_id if pathway is not None else None}
    sites = {obj.site_id}
    if isinstance(obj, (Service, Counter)):  # the site is the agency's, copied in the flush
        agency = obj.agency if obj.agency_id is None else session.get(Agency, obj.agency_id)
        sites.add(agency.site_id if agency is not None else None)
        if obj.site_id is None:
            sites.discard(None)
    return sites or {None}


# What of a counter is configuration: the services it serves (kept: queue/loading.py) and its
# agency. Its status, clerk and calls change all day and leave what is kept alone.
_COUNTER_SETS = ("services", "agency_id", "site_id")


def _changes_configuration(session: Session, obj) -> bool:
    if isinstance(obj, Counter):
        if obj in session.new or obj in session.deleted:
            return True
        attrs = inspect(obj).attrs  # history only: an unloaded collection stays unloaded
        return any(attrs[key].history.has_changes() for key in _COUNTER_SETS)
    if not isinstance(obj, CONFIG_MODELS):
        return False
    if obj in session.dirty and not session.is_modified(obj):
        return False
    return not (isinstance(obj, Site) and obj in session.new)  # a new site has its own stamp


def _changed_sites(session: Session) -> set[int | None]:
    sites: set[int | None] = set()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if _changes_configuration(session, obj):
            sites |= _sites_of(session, obj)
    return sites


def _bump(session: Session, _flush_context, _instances) -> None:
    with session.no_autoflush:
        sites = _changed_sites(session)
    if sites:
        _new_stamps(session, sites)


def _new_stamps(session: Session, sites: set[int | None]) -> None:
    session.info[_WROTE] = True
    stmt = update(Site.__table__).values(config_stamp=new_stamp())
    if None not in sites:  # else a change whose site is not known: every site's stamp
        stmt = stmt.where(Site.__table__.c.id.in_(sorted(sites)))
    session.execute(stmt, execution_options={_OWN: True})


def _bulk_change(orm_execute_state) -> None:
    """An UPDATE or DELETE statement on a configuration table (no flush sees it): every site's
    stamp, as which sites it touches is not known."""
    if not (orm_execute_state.is_update or orm_execute_state.is_delete):
        return
    if orm_execute_state.execution_options.get(_OWN):
        return
    mapper = orm_execute_state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, CONFIG_MODELS):
        _new_stamps(orm_execute_state.session, {None})


def _forget_session(session: Session, *_args) -> None:
    """A new transaction reads the stamps again; a session that wrote may use the cache again."""
    session.info.pop(_STAMPS, None)
    session.info.pop(_WROTE, None)


def install(factory: sessionmaker) -> None:
    event.listen(factory, "before_flush", _bump)
    event.listen(factory, "do_orm_execute", _bulk_change)
    event.listen(factory, "after_commit", _forget_session)
    event.listen(factory, "after_soft_rollback", _forget_session)
