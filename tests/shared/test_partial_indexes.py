"""The statements that read along a partial index (migration 0020_partial_indexes) still do: each
asks for a value, which implies the index's ``IS NOT NULL`` (SQLite's query plans)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from shared.db import make_engine
from shared.models import SurveyResponse, Ticket, TicketLog, Visit
from shared.queue import calling, ordering, position
from shared.queue.availability import _last_served

STATEMENTS = [
    (calling._ACTIVE_AT, "ix_ticket_counter_status"),
    (ordering._LAST_CALLED, "ix_ticket_calls"),
    (position._calls_on(3), "ix_ticket_calls"),
    (_last_served(1, date(2026, 12, 7)), "ix_ticket_finished"),
    *(
        (select(model.origin).where(model.origin.in_(["a:b:1", "a:b:2"])), f"ix_{table}_origin")
        for model, table in (
            (Ticket, "ticket"),
            (Visit, "visit"),
            (TicketLog, "ticket_log"),
            (SurveyResponse, "survey_response"),
        )
    ),
]


@pytest.mark.parametrize(("statement", "index"), STATEMENTS, ids=[i for _s, i in STATEMENTS])
def test_the_statement_reads_along_its_partial_index(db_url, statement, index):
    engine = make_engine(db_url)
    compiled = statement.compile(engine, compile_kwargs={"render_postcompile": True})
    values = tuple(
        1 if compiled.params[name] is None else compiled.params[name]
        for name in compiled.positiontup
    )
    with engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", values).all()
    engine.dispose()
    assert any(f"INDEX {index} " in row[-1] for row in plan), plan
