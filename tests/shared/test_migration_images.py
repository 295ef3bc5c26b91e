"""0005_uploaded_images on an installation that had typed logo paths: the rows stay, the paths go.

An old ``logo_path`` is dropped, not imported: it was a path an admin typed (the hole this
migration closes), so the admin uploads the logo again.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

from shared import migrate
from tests.conftest import POSTGRES_ENV, _schema_url


def _old_installation_upgraded(url: str) -> dict:
    migrate.upgrade(url, "0003_reports")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO mall (id, name, address, logo_path, timezone, opening_hours,"
                " running_text, ticket_footer, booking_horizon_days, checkin_early_minutes,"
                " checkin_late_minutes, booking_retention_days)"
                " VALUES (1, 'MPP Lama', '', 'antre.db', 'Asia/Jakarta', '{}', '', '', 7, 30,"
                " 15, 30)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO agency (id, name, short_name, colour, logo_path, display_order,"
                " active) VALUES (1, 'Dinas Uji', 'Uji', '#1d4ed8', '../x.png', 0, true)"
            )
        )
        # A service of that agency: the upgrade must not rebuild a table others reference.
        conn.execute(
            text(
                "INSERT INTO service (id, agency_id, code, name, prefix, avg_service_minutes,"
                " requirements, procedure, duration, cost, priority_ratio, recall_limit,"
                " transfer_placement, booking_placement, display_order, active)"
                " VALUES (1, 1, 'KTP', 'KTP-el', 'A', 10, '', '', '', 'Gratis', 2, 2, 'front',"
                " 'front', 0, true)"
            )
        )
    migrate.upgrade(url, "0006_device_scoped_keys")  # the last revision before sites
    with engine.connect() as conn:
        found = {
            "mall": conn.execute(text("SELECT name, logo_image_id FROM mall")).one(),
            "agency": conn.execute(text("SELECT name, logo_image_id FROM agency")).one(),
            "service": conn.execute(text("SELECT agency_id FROM service")).one(),
            "columns": {
                table: {c["name"] for c in inspect(conn).get_columns(table)}
                for table in ("mall", "agency")
            },
        }
    engine.dispose()
    return found


def _check(found: dict) -> None:
    assert tuple(found["mall"]) == ("MPP Lama", None)
    assert tuple(found["agency"]) == ("Dinas Uji", None)
    assert tuple(found["service"]) == (1,)
    for columns in found["columns"].values():
        assert "logo_path" not in columns and "logo_image_id" in columns


def test_sqlite_old_logo_paths_are_dropped_and_the_rows_kept(tmp_path):
    _check(_old_installation_upgraded(f"sqlite:///{tmp_path / 'old.db'}"))


def test_postgresql_old_logo_paths_are_dropped_and_the_rows_kept():
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL to test against (.ci/run sets it)")
    schema = f"antre_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        _check(_old_installation_upgraded(_schema_url(base, schema)))
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
