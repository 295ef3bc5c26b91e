"""0016_status_checks on a database holding every value: the rows stay, a bad value is refused.

Rows of every value of every checked column are written at 0015 (through the models, which match
that schema apart from the constraints and the columns of later migrations), then the database
is upgraded to the head.
"""

from __future__ import annotations

import os
import uuid
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from shared import events, migrate
from shared.db import make_engine, make_session_factory
from shared.enums import (
    CHECKED_COLUMNS,
    BookingPlacement,
    BookingStatus,
    CounterStatus,
    PrinterState,
    PrintState,
    SiteKind,
    StaffRole,
    TicketSource,
    TicketStatus,
    TransferPlacement,
)
from shared.models import Booking, Kiosk, Ticket, TicketLog, Visit
from tests.conftest import POSTGRES_ENV, _schema_url
from tests.factories import Factory

DAY = date(2026, 12, 7)


def _every_value(session) -> None:
    factory = Factory(session)
    sites = [factory.site(kind=kind, name=f"Lokasi {kind}") for kind in SiteKind]
    agency = factory.agency(site=sites[0])
    services = [
        factory.service(agency, transfer_placement=transfer, booking_placement=booking)
        for transfer, booking in zip(TransferPlacement, BookingPlacement, strict=True)
    ]
    for status in CounterStatus:
        factory.counter(services, status=status)
    for role in StaffRole:
        factory.user(role=role, agency=agency)
    for n, state in enumerate(PrinterState):
        session.add(
            Kiosk(site=sites[0], name=f"Kios {n}", token_hash=f"{n:064d}", printer_state=state)
        )
    visit = Visit(business_date=DAY)
    session.add(visit)
    session.flush()
    sources, prints = list(TicketSource), list(PrintState)
    for n, status in enumerate(TicketStatus, start=1):
        ticket = Ticket(
            visit_id=visit.id,
            service_id=services[0].id,
            business_date=DAY,
            number=n,
            display_number=f"A{n:03d}",
            code=f"kode-{n:06d}",
            status=status,
            source=sources[n % len(sources)],
            print_state=prints[n % len(prints)],
        )
        session.add(ticket)
        session.flush()
        session.add(TicketLog(ticket_id=ticket.id, action="x", from_status=None, to_status=status))
        session.add(
            TicketLog(ticket_id=ticket.id, action="x", from_status=status, to_status=status)
        )
    for n, status in enumerate(BookingStatus):
        session.add(
            Booking(
                code=f"B{n:05d}",
                service_id=services[0].id,
                day=DAY,
                start="08:00",
                end="08:30",
                status=status,
            )
        )
    session.commit()


# Columns the models hold from migrations after 0016: added for the writing at 0015 as those
# migrations add them, and dropped again before the upgrade runs them.
LATER_COLUMNS = {"site": "config_stamp VARCHAR(32) NOT NULL DEFAULT ''"}  # 0018_config_stamp


def _check_upgrade(url: str) -> None:
    migrate.upgrade(url, "0015_mobilejkn")
    engine = make_engine(url)
    with engine.begin() as conn:
        for table, column in LATER_COLUMNS.items():
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column}"))
    with make_session_factory(engine, events.RecordingPublisher())() as session:
        _every_value(session)
    with engine.begin() as conn:
        for table, column in LATER_COLUMNS.items():
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column.split()[0]}"))
    migrate.upgrade(url)
    with engine.connect() as conn:
        for table, column, enum in CHECKED_COLUMNS:
            found = set(conn.scalars(text(f"SELECT DISTINCT {column} FROM {table}"))) - {None}
            assert found == set(enum.values()), (table, column)
    for table, column, _enum in CHECKED_COLUMNS:
        with engine.connect() as conn, pytest.raises(IntegrityError):
            conn.execute(text(f"UPDATE {table} SET {column} = 'bogus'"))
    engine.dispose()


def test_sqlite_rows_of_every_value_survive_and_bad_values_are_refused(tmp_path):
    _check_upgrade(f"sqlite:///{tmp_path / 'old.db'}")


def test_postgresql_rows_of_every_value_survive_and_bad_values_are_refused():
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL to test against (.ci/run sets it)")
    schema = f"antre_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        _check_upgrade(_schema_url(base, schema))
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
