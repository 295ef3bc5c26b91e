"""Rows written straight through Core, for the hot path's inserts and updates.

A kiosk tap adds a visit, its ticket and the ticket's first log row. Left to the session's
flush, those three rows cost more than the rest of the tap's SQL together: the unit of work
sorts them, runs the flush listeners and tracks every attribute (docs/benchmarks.md, "Issue 18,
eleventh pass"). Here each one is one ``INSERT … RETURNING`` built once per table and set of
columns, and the objects stay in the session as if a flush had written them: persistent, clean,
their relationships as set. The caller writes them in an order where every row's foreign keys
already exist (the visit, then its ticket, then the log).

A ticket's change of state (:func:`write_update`) is one ``UPDATE`` of the columns it changes,
set on the object as loaded values, so the flush never finds it changed either.

A rollback takes the rows back; :func:`install` then drops the objects from the session too, as
a rollback drops what a flush wrote, so no later read finds a row that no longer exists.
"""

from __future__ import annotations

import functools

from sqlalchemy import Table, bindparam, event, insert, inspect, select, update
from sqlalchemy.orm import (
    Session,
    SessionTransaction,
    make_transient_to_detached,
    object_session,
    sessionmaker,
)
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from shared.sql import plain_rows, plain_write

_WRITTEN = "antre.rows_written"  # session.info: (transaction, object, inserted) written here


@functools.cache
def _insert(table: Table):
    return insert(table).returning(*table.c)


@functools.cache
def _returned_keys(mapper) -> tuple[str, ...]:
    """The attribute of each column :func:`_insert` returns, in its order."""
    return tuple(mapper.get_property_by_column(c).key for c in mapper.local_table.c)


@functools.cache
def _key_positions(mapper) -> tuple[int, ...]:
    """Where the primary key's columns are in a row of all the table's columns."""
    columns = list(mapper.local_table.c)
    return tuple(columns.index(column) for column in mapper.primary_key)


@functools.cache
def _update(table: Table):
    (key,) = table.primary_key.columns  # the SET clause comes from the columns given
    return update(table).where(key == bindparam("row_key"))


@functools.cache
def _columns(mapper) -> tuple[tuple[str, str], ...]:
    """(attribute, column) of each column, worked out once per mapper."""
    return tuple((prop.key, prop.columns[0].key) for prop in mapper.column_attrs)


@functools.cache
def _foreign_keys(mapper) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """(relationship, ((its local column, the related object's attribute), …)) of each
    many-to-one relationship that writes its foreign key."""
    return tuple(
        (
            rel.key,
            tuple(
                (local.key, rel.mapper.get_property_by_column(remote).key)
                for local, remote in rel.local_remote_pairs
            ),
        )
        for rel in mapper.relationships
        if rel.direction.name == "MANYTOONE" and not rel.viewonly
    )


@functools.cache
def _key_attributes(mapper) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(relationship, the attributes of its foreign key's columns) of each in
    :func:`_foreign_keys`."""
    by_column = {column: key for key, column in _columns(mapper)}
    return tuple(
        (key, tuple(by_column[local] for local, _ in pairs)) for key, pairs in _foreign_keys(mapper)
    )


def _none_where_no_key(state) -> None:
    """A many-to-one object whose foreign key is null is None, known without asking its lazy
    loader, as a new ticket's ``counter`` is (each ask cost a tap a lazy load's bookkeeping)."""
    loaded = state.dict
    for key, columns in _key_attributes(state.mapper):
        if key not in loaded and any(loaded.get(column) is None for column in columns):
            loaded[key] = None


def _values(state) -> dict:
    """The row's values: its columns as set, and the foreign keys of its many-to-one objects."""
    loaded = state.dict
    values = {column: loaded[key] for key, column in _columns(state.mapper) if key in loaded}
    for key, pairs in _foreign_keys(state.mapper):
        if key not in loaded:
            continue
        other = loaded[key]
        for local, remote in pairs:
            values[local] = None if other is None else getattr(other, remote)
    return values


@functools.cache
def _attribute_keys(mapper) -> frozenset[str]:
    return frozenset(mapper.attrs.keys())


@functools.cache
def _back_populated(mapper) -> dict[str, str]:
    """{many-to-one relationship: the parent's collection that holds the object}."""
    return {
        rel.key: rel.back_populates
        for rel in mapper.relationships
        if rel.back_populates and rel.direction.name == "MANYTOONE"
    }


def new(model, **values):
    """A new object for :func:`write_new`, its attributes set as the constructor sets them but
    without the constructor's event per attribute (building a ticket that way cost a tap more
    than its INSERT: docs/benchmarks.md, "seventeenth pass"). A new parent's collection of it
    (a new visit's ``tickets``) holds it at once, as the constructor's back-reference does; a
    written parent's gets it in :func:`write_new`."""
    mapper = inspect(model)
    unknown = values.keys() - _attribute_keys(mapper)
    if unknown:
        raise TypeError(f"{model.__name__} has no attribute {sorted(unknown)[0]!r}")
    obj = mapper.class_manager.new_instance()
    instance_state(obj).dict.update(values)
    for key, back in _back_populated(mapper).items():
        parent = values.get(key)
        if parent is not None and not inspect(parent).has_identity:
            held = instance_state(parent).dict.get(back) or []
            set_committed_value(parent, back, [*held, obj])
    return obj


def write_new(session: Session, *objects) -> None:
    """INSERT these new objects, in this order, and keep them in ``session`` as persistent.

    The objects are best made without ``session.add`` (they are written here, not by the flush);
    one added already is taken out of the flush's pending set first. Every object a row points
    to must be written already, or be one of ``objects`` before it."""
    for obj in objects:
        state = instance_state(obj)
        _settle_in_parents(state)
        if state.pending:
            session.expunge(obj)
    session.flush()  # anything else new or changed that these rows may point to
    for obj in objects:
        state = instance_state(obj)
        row = plain_write(session, _insert(state.mapper.local_table), _values(state)).one()
        # As loaded values: the next step commits the object's state as it stands.
        state.dict.update(zip(_returned_keys(state.mapper), row, strict=True))
        _none_where_no_key(state)
    persist(session, objects)
    _note(session, objects, inserted=True)


def persist(session: Session, objects) -> None:
    """Objects whose columns are set as loaded values, kept in ``session`` as persistent and
    clean, as if a flush had written them or a query read them (or a merge had copied them).

    Each is put in the identity map as ``session.add`` does, without its walk of every
    relationship for objects to add along (``save-update`` cascade): the objects these point to
    have keys, so they are in the session already (a flush or a read put them there), or are
    among ``objects``."""
    for obj in objects:
        state = instance_state(obj)
        if _whole_row(state.mapper) and not (state.key or state.session_id or state.modified):
            # What make_transient_to_detached does to such an object, without its expiry of
            # every attribute not set: here those are only relationships, which load when
            # asked for anyway (its walk cost a tap more than the Ticket's INSERT's handling).
            state.key = state.mapper.identity_key_from_primary_key(_primary_key(state))
        else:
            make_transient_to_detached(obj)
        state._orphaned_outside_of_session = False
        session._update_impl(state)


@functools.cache
def _whole_row(mapper) -> bool:
    """Whether a row of the table's columns sets every column attribute of ``mapper``."""
    return {prop.key for prop in mapper.column_attrs} == set(_returned_keys(mapper))


@functools.cache
def _primary_key_attributes(mapper) -> tuple[str, ...]:
    return tuple(mapper.get_property_by_column(column).key for column in mapper.primary_key)


def _primary_key(state) -> tuple:
    loaded = state.dict
    return tuple(loaded[key] for key in _primary_key_attributes(state.mapper))


def loaded(session: Session, model, row, *, refresh: bool = True):
    """The session's instance of the object a row of all its table's columns holds (as
    :func:`columns_of` selects them, or ``*table.c`` returns them): the one the session holds,
    or a new persistent and clean one. With ``refresh`` (as ``populate_existing``: a row an
    ``UPDATE … RETURNING`` gave) the held one's columns are set from the row, an object it points
    to by a column that changed read anew; without (as a query), only its expired columns.

    For rows read or written on SQLite's own cursor: the ORM's handling of a statement cost a
    read of one object more than twice the read (docs/benchmarks.md, "fifteenth pass")."""
    mapper = inspect(model)
    values = zip(_returned_keys(mapper), row, strict=True)
    key = tuple(row[position] for position in _key_positions(mapper))
    present = session.identity_map.get(mapper.identity_key_from_primary_key(key))
    if present is None:
        obj = mapper.class_manager.new_instance()
        state = instance_state(obj)
        state.dict.update(values)
        _none_where_no_key(state)
        persist(session, [obj])
        return obj
    state = instance_state(present)
    if not refresh:
        expired = state.expired_attributes
        for name, value in values:
            if name in expired:
                set_committed_value(present, name, value)
        return present
    changed = set()
    for name, value in values:
        if state.dict.get(name, value) != value:
            changed.add(name)
        set_committed_value(present, name, value)
    # An object it points to by a column that changed (a ticket's counter) is read anew when
    # asked for, as populate_existing resets it.
    stale = [r for r, pairs in _foreign_keys(mapper) if any(c in changed for c, _ in pairs)]
    if stale:
        session.expire(present, stale)
    return present


@functools.cache
def columns_of(model) -> tuple:
    """All the columns of ``model``'s table, in the order :func:`loaded` takes them."""
    return tuple(inspect(model).local_table.c)


@functools.cache
def _by_key(model):
    (column,) = inspect(model).primary_key
    return select(*columns_of(model)).where(column == bindparam("row_key"))


def get(session: Session, model, key):
    """``session.get(model, key)``, its read (when the session does not hold the object, or
    holds it expired) a plain statement made an object by :func:`loaded`."""
    mapper = inspect(model)
    present = session.identity_map.get(mapper.identity_key_from_primary_key((key,)))
    if present is not None and not instance_state(present).expired_attributes:
        return present
    row = plain_rows(session, _by_key(model), {"row_key": key}).one_or_none()
    return None if row is None else loaded(session, model, row, refresh=False)


def _settle_in_parents(state) -> None:
    """A new object in a loaded parent's collection (a step's ticket in ``visit.tickets``) stays
    there as a loaded member: the flush has no addition of it to make. One made by :func:`new`
    is put there (the constructor's back-reference would have)."""
    obj = state.obj()
    for key, back in _back_populated(state.mapper).items():
        parent = state.dict.get(key)
        if parent is None or not inspect(parent).persistent:
            continue
        with object_session(parent).no_autoflush:  # read now if not yet: it holds the object
            members = list(getattr(parent, back))
        if not any(member is obj for member in members):
            members.append(obj)
        set_committed_value(parent, back, members)


def write_update(session: Session, obj, changes: dict) -> None:
    """UPDATE these attributes of a persistent object's row, and set them on it as loaded."""
    state = inspect(obj)
    mapper = state.mapper
    params = {mapper.get_property(key).columns[0].key: value for key, value in changes.items()}
    plain_write(session, _update(mapper.local_table), {**params, "row_key": state.identity[0]})
    for key, value in changes.items():
        set_committed_value(obj, key, value)
    # An object it points to by a key that changed (a reactivated ticket's counter, now none)
    # is read anew when asked for.
    stale = [r for r, pairs in _foreign_keys(mapper) if any(c in params for c, _ in pairs)]
    if stale:
        session.expire(obj, stale)
    _note(session, [obj], inserted=False)


def _note(session: Session, objects, *, inserted: bool) -> None:
    within = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_WRITTEN, []).extend((within, obj, inserted) for obj in objects)


def _forget(session: Session) -> None:
    if session.get_nested_transaction() is None:  # the outermost commit: the rows stay
        session.info.pop(_WRITTEN, None)


def _drop_written(session: Session, previous: SessionTransaction) -> None:
    """Undo in the session what the rolled-back transaction (or a savepoint in it) wrote here:
    an inserted object leaves it, an updated one is read again (a savepoint's rollback only
    reloads what the flush knew had changed)."""
    kept = []
    for within, obj, inserted in session.info.pop(_WRITTEN, []):
        if not _inside(within, previous):
            kept.append((within, obj, inserted))
        elif obj in session and inserted:
            session.expunge(obj)
        elif obj in session:
            session.expire(obj)
    if kept:
        session.info[_WRITTEN] = kept


def _inside(transaction: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


def install(factory: sessionmaker) -> None:
    event.listen(factory, "after_commit", _forget)
    event.listen(factory, "after_soft_rollback", _drop_written)
