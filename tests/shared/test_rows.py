"""New rows written through Core stay in the session as a flush would leave them, and a rollback
(of the transaction, or of a savepoint they were written in) takes them out again."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, inspect, select

from shared import rows
from shared.db import make_engine, make_session_factory
from shared.events import RecordingPublisher
from shared.models import Service, Ticket, TicketLog, Visit
from shared.queue import states
from tests.factories import Factory
from tests.shared.concurrency import NOON_JAKARTA


@pytest.fixture(params=["sqlite", "postgresql"])
def sessions(request, db_url):
    """A session factory on an SQLite file, then on the real PostgreSQL."""
    url = db_url if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url)
    factory = make_session_factory(engine, RecordingPublisher())
    with factory() as session:
        factory.service_id = Factory(session).service().id
        session.commit()
    yield factory
    engine.dispose()


def _new_rows(
    session, service_id: int, number: int = 1, *, added: bool = False
) -> tuple[Visit, Ticket, TicketLog]:
    """A visit, its ticket and the ticket's log row, built as issuing builds them: outside the
    session (``added``: the ticket, and with it the visit, added for the flush first)."""
    visit = Visit(business_date=date(2026, 12, 7), created_at=NOON_JAKARTA)
    ticket = Ticket(
        visit=visit,
        service=session.get(Service, service_id),
        business_date=visit.business_date,
        number=number,
        display_number=f"A-{number:03d}",
        code=f"c0de{number}",
        status="waiting",
        issued_at=NOON_JAKARTA,
        queued_at=NOON_JAKARTA,
    )
    if added:
        session.add(ticket)
    log = TicketLog(ticket=ticket, at=NOON_JAKARTA, action="issue", to_status=ticket.status)
    return visit, ticket, log


def _stored(sessions) -> list[tuple[str, int, int]]:
    """(display number, log rows, visits) as another session reads them."""
    with sessions() as session:
        numbers = session.scalars(select(Ticket.display_number).order_by(Ticket.id)).all()
        logs = session.scalar(select(func.count()).select_from(TicketLog))
        visits = session.scalar(select(func.count()).select_from(Visit))
        return numbers, logs, visits


def _committed_ticket(sessions) -> int:
    """The id of a ticket written (with its visit and log row) and committed."""
    with sessions() as session:
        written = _new_rows(session, sessions.service_id)
        rows.write_new(session, *written)
        session.commit()
        return written[1].id


def test_written_rows_are_persistent_clean_and_complete(sessions):
    with sessions() as session:
        visit, ticket, log = _new_rows(session, sessions.service_id)
        rows.write_new(session, visit, ticket, log)
        for obj in (visit, ticket, log):
            state = inspect(obj)
            assert state.persistent and not state.modified and obj.id is not None
        assert not session.new and not session.dirty
        # Foreign keys from the objects they were given; defaults as the columns give them.
        ids = (ticket.visit_id, ticket.service_id, log.ticket_id)
        assert ids == (visit.id, sessions.service_id, ticket.id)
        defaults = (ticket.priority, ticket.source, ticket.recall_count, ticket.counter_id)
        assert defaults == ("none", "kiosk", 0, None)
        assert (log.to_status, log.note) == ("waiting", "")
        assert visit.tickets == [ticket] and ticket.visit is visit
        ticket.note = "changed after"  # tracked as any loaded object's change
        assert list(session.dirty) == [ticket]
        session.commit()
    assert _stored(sessions) == (["A-001"], 1, 1)
    with sessions() as session:
        assert session.get(Ticket, ticket.id).note == "changed after"


def test_rows_added_for_the_flush_first_are_written_once(sessions):
    with sessions() as session:
        visit, ticket, log = _new_rows(session, sessions.service_id, added=True)
        assert inspect(ticket).pending and inspect(visit).pending
        rows.write_new(session, visit, ticket, log)
        assert all(inspect(obj).persistent for obj in (visit, ticket, log))
        assert not session.new and not session.dirty
        session.flush()  # nothing left for the flush to insert again
        session.commit()
    assert _stored(sessions) == (["A-001"], 1, 1)


def test_written_rows_join_the_identity_map_beside_what_they_point_to(sessions):
    """Kept as ``session.add`` keeps them, without its walk of every relationship: the objects
    they point to are the session's own, not added again (nor any other object)."""
    with sessions() as session:
        service = session.get(Service, sessions.service_id)
        held = set(session.identity_map.values())
        visit, ticket, log = _new_rows(session, sessions.service_id)
        rows.write_new(session, visit, ticket, log)
        assert set(session.identity_map.values()) == held | {visit, ticket, log}
        assert session.get(Ticket, ticket.id) is ticket and ticket.service is service
        assert session.get(TicketLog, log.id) is log and log.ticket is ticket


def test_a_log_row_is_written_without_an_object(sessions):
    """states.log_change writes the row alone: the values a log row holds, no TicketLog in the
    session, and a rollback takes the row back with its ticket."""
    with sessions() as session:
        visit, ticket, _ = _new_rows(session, sessions.service_id)
        rows.write_new(session, visit, ticket)
        states.log_change(session, ticket, "issue", None, at=NOON_JAKARTA, note="kiosk")
        assert not any(isinstance(obj, TicketLog) for obj in session.identity_map.values())
        assert not session.new
        session.commit()
        ticket_id = ticket.id
    with sessions() as session:
        (log,) = session.scalars(select(TicketLog)).all()
        values = (log.ticket_id, log.action, log.from_status, log.to_status, log.note)
        assert values == (ticket_id, "issue", None, "waiting", "kiosk")
        assert (log.at, log.actor_id, log.counter_id, log.origin) == (
            NOON_JAKARTA,
            None,
            None,
            None,
        )
    with sessions() as session:
        states.log_change(
            session, session.get(Ticket, ticket_id), "cancel", "waiting", at=NOON_JAKARTA
        )
        session.rollback()
    assert _stored(sessions) == (["A-001"], 1, 1)


def test_a_rollback_takes_the_rows_and_the_objects_back(sessions):
    with sessions() as session:
        written = _new_rows(session, sessions.service_id)
        rows.write_new(session, *written)
        session.rollback()
        assert all(inspect(obj).detached for obj in written)
        again = _new_rows(session, sessions.service_id)  # the same ids may come back
        rows.write_new(session, *again)
        session.commit()
    assert _stored(sessions) == (["A-001"], 1, 1)


def test_a_savepoint_rolled_back_drops_only_what_was_written_inside_it(sessions):
    with sessions() as session:
        before = _new_rows(session, sessions.service_id, 1)
        rows.write_new(session, *before)
        with pytest.raises(RuntimeError), session.begin_nested():
            inside = _new_rows(session, sessions.service_id, 2)
            rows.write_new(session, *inside)
            raise RuntimeError("the savepoint fails")
        assert all(inspect(obj).detached for obj in inside)
        assert all(inspect(obj).persistent for obj in before)
        session.commit()
    assert _stored(sessions) == (["A-001"], 1, 1)


def test_a_released_savepoint_goes_with_its_transaction(sessions):
    with sessions() as session:
        with session.begin_nested():
            inside = _new_rows(session, sessions.service_id)
            rows.write_new(session, *inside)
        assert all(inspect(obj).persistent for obj in inside)
        session.rollback()
        assert all(inspect(obj).detached for obj in inside)
    assert _stored(sessions) == ([], 0, 0)


def test_an_update_is_written_at_once_and_leaves_nothing_to_flush(sessions):
    ticket_id = _committed_ticket(sessions)
    with sessions() as session:
        ticket = session.get(Ticket, ticket_id)
        rows.write_update(session, ticket, {"status": "called", "recall_count": 2})
        assert (ticket.status, ticket.recall_count) == ("called", 2)
        assert not inspect(ticket).modified and not session.dirty
        session.commit()
    with sessions() as session:
        stored = session.get(Ticket, ticket_id)
        assert (stored.status, stored.recall_count) == ("called", 2)


def test_an_object_whose_key_is_null_is_none_without_a_lazy_load(sessions):
    """Written or read by a plain row, a many-to-one object with no key is known to be None
    (no loader asked); one with a key is still read when asked for."""
    with sessions() as session:
        visit, ticket, log = _new_rows(session, sessions.service_id)
        rows.write_new(session, visit, ticket, log)
        held = inspect(ticket).dict
        assert held["counter"] is None and held["transferred_from"] is None
        assert inspect(visit).dict["doctor_session"] is None
        assert "service" in held and ticket.service.id == sessions.service_id
        session.commit()
        row = session.execute(select(*rows.columns_of(Ticket))).one()
    with sessions() as session:
        read = rows.loaded(session, Ticket, row)
        assert inspect(read).dict["counter"] is None and "visit" not in inspect(read).dict
        assert read.visit.id == visit.id


def test_an_update_of_a_key_reads_the_object_it_points_to_anew(sessions):
    with sessions() as session:
        counter = Factory(session).counter([session.get(Service, sessions.service_id)])
        session.commit()
        visit, ticket, log = _new_rows(session, sessions.service_id)
        rows.write_new(session, visit, ticket, log)
        assert ticket.counter is None
        rows.write_update(session, ticket, {"status": "called", "counter_id": counter.id})
        assert ticket.counter is counter
        rows.write_update(session, ticket, {"status": "waiting", "counter_id": None})
        assert ticket.counter is None
        session.commit()


def test_an_update_inside_a_rolled_back_savepoint_is_read_again(sessions):
    with sessions() as session:
        written = _new_rows(session, sessions.service_id)
        rows.write_new(session, *written)
        session.commit()
        ticket = written[1]
        with pytest.raises(RuntimeError), session.begin_nested():
            rows.write_update(session, ticket, {"status": "called"})
            raise RuntimeError("the savepoint fails")
        assert ticket.status == "waiting"  # as the row is again
        rows.write_update(session, ticket, {"note": "kept"})
        session.commit()
    with sessions() as session:
        stored = session.get(Ticket, ticket.id)
        assert (stored.status, stored.note) == ("waiting", "kept")


def test_a_returned_row_is_the_sessions_object_as_populate_existing_gives_it(sessions):
    """``rows.loaded``: a row of all a table's columns (as an UPDATE … RETURNING gives it) is a
    new persistent, clean object, or the session's own one with its columns set from the row,
    an object it points to by a column that changed read anew (the claim in calling.py)."""
    from sqlalchemy import bindparam, update

    from shared.models import Counter
    from shared.sql import plain_write

    with sessions() as session:
        written = _new_rows(session, sessions.service_id)
        rows.write_new(session, *written)
        service = written[1].service
        desk = Counter(site_id=service.site_id, agency_id=service.agency_id, number=1, name="L1")
        session.add(desk)
        session.commit()
        ticket_id, desk_id = written[1].id, desk.id
    table = Ticket.__table__
    called = (
        update(table)
        .where(table.c.id == bindparam("key"))
        .values(status="called", counter_id=bindparam("desk"))
        .returning(*table.c)
    )
    with sessions() as session:  # not in the session: a new object
        row = plain_write(session, called, {"key": ticket_id, "desk": desk_id}).one()
        ticket = rows.loaded(session, Ticket, row)
        state = inspect(ticket)
        assert state.persistent and not state.modified and not session.dirty
        assert session.get(Ticket, ticket_id) is ticket
        assert (ticket.status, ticket.counter.id, ticket.code) == ("called", desk_id, "c0de1")
        session.rollback()
    with sessions() as session:  # held, its counter read as none: the row's values win
        held = session.get(Ticket, ticket_id)
        assert held.status == "waiting" and held.counter is None
        held.note = "pending"
        row = plain_write(session, called, {"key": ticket_id, "desk": desk_id}).one()
        assert rows.loaded(session, Ticket, row) is held
        assert (held.status, held.counter.id, held.note) == ("called", desk_id, "")
        session.commit()


def test_get_is_session_get_with_a_plain_read(sessions):
    """``rows.get``: the object the session holds, without a statement; else (or held but
    expired) read by a plain statement, as ``session.get`` reads it; None for no such row."""
    from tests.statements import counted

    ticket_id = _committed_ticket(sessions)
    with sessions() as session:
        engine = session.get_bind()
        ticket = rows.get(session, Ticket, ticket_id)
        assert inspect(ticket).persistent and ticket.display_number == "A-001"
        with counted(engine) as statements:
            assert rows.get(session, Ticket, ticket_id) is ticket
        assert statements == []
        ticket.note = "mine"  # a change the session holds stays, as a query leaves it
        assert rows.get(session, Ticket, ticket_id).note == "mine"
        session.commit()
        with sessions() as other:
            other.get(Ticket, ticket_id).note = "theirs"
            other.commit()
        assert rows.get(session, Ticket, ticket_id).note == "mine"  # held: as session.get
        session.expire(ticket)
        assert rows.get(session, Ticket, ticket_id) is ticket and ticket.note == "theirs"
        assert rows.get(session, Ticket, ticket_id + 100) is None


def _made_by_new(
    session, service_id: int, visit: Visit | None = None, number: int | None = None
) -> tuple[Visit, Ticket]:
    """As ``_new_rows`` builds them, through ``rows.new`` instead of the constructors."""
    visit = visit or rows.new(Visit, business_date=date(2026, 12, 7), created_at=NOON_JAKARTA)
    number = number or len(visit.tickets) + 1
    ticket = rows.new(
        Ticket,
        visit=visit,
        service=session.get(Service, service_id),
        business_date=visit.business_date,
        number=number,
        display_number=f"A-{number:03d}",
        code=f"new{number}",
        status="waiting",
        issued_at=NOON_JAKARTA,
        queued_at=NOON_JAKARTA,
    )
    return visit, ticket


def _columns(obj) -> dict:
    return {c.key: getattr(obj, c.key) for c in inspect(obj).mapper.column_attrs}


def test_rows_made_by_new_are_written_as_the_constructors_rows(sessions):
    with sessions() as session:
        built = _new_rows(session, sessions.service_id)[:2]
        rows.write_new(session, *built)
        made = _made_by_new(session, sessions.service_id, number=2)
        assert made[0].tickets == [made[1]]  # as the constructor's back-reference holds it
        rows.write_new(session, *made)
        for one, other in zip(built, made, strict=True):
            state = inspect(other)
            assert state.persistent and not state.modified
            differ = {k for k in _columns(one) if _columns(one)[k] != _columns(other)[k]}
            assert differ <= {"id", "visit_id", "number", "display_number", "code"}
        assert made[1].visit_id == made[0].id and made[0].tickets == [made[1]]
        session.commit()
    with sessions() as session:
        visit = session.get(Visit, made[0].id)
        assert [t.code for t in visit.tickets] == ["new2"]


@pytest.mark.parametrize("loaded", [True, False])
def test_a_written_visit_holds_its_next_ticket(sessions, loaded):
    """A next step's ticket (made by ``rows.new`` for a visit already written) joins the visit's
    tickets at its write, whether they were read before or not, without being read again."""
    with sessions() as session:
        first = _made_by_new(session, sessions.service_id)
        rows.write_new(session, *first)
        session.commit()
        visit_id = first[0].id
    with sessions() as session:
        visit = session.get(Visit, visit_id)
        if loaded:
            assert len(visit.tickets) == 1
        _, second = _made_by_new(session, sessions.service_id, visit)
        rows.write_new(session, second)
        assert [t.number for t in visit.tickets] == [1, 2]
        assert not inspect(visit).modified
        session.commit()
    with sessions() as session:
        assert [t.number for t in session.get(Visit, visit_id).tickets] == [1, 2]


def test_new_refuses_what_the_model_does_not_have():
    with pytest.raises(TypeError, match="colour"):
        rows.new(Ticket, colour="red")
