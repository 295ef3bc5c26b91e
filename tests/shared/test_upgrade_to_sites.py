# ruff: noqa: E501 - the old rows read best one to a line
"""Upgrade in place: a database made by main before sites (revision 0006_device_scoped_keys),
with a day of work in it, goes through 0007_sites and loses nothing.

The old rows are written with plain SQL in the old schema (as the old code left them), on a fresh
SQLite file and on PostgreSQL. After the upgrade every row is read back with the same values, all
of it belongs to the one site made from the mall, the admin became an installation admin, and the
queue still works on the upgraded database.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, text

from shared import migrate
from shared.db import make_engine, make_session_factory
from shared.models import Service, Site, StaffUser
from shared.queue import issue_ticket
from shared.queue.sites import site_of_service
from shared.ticket_status import describe_ticket
from tests.conftest import POSTGRES_ENV, _schema_url

T0, T1, T2, T3 = (f"2026-11-30 0{h}:00:00" for h in (1, 2, 3, 4))
DAY = "2026-11-30"
HOURS = {"0": ["08:00", "15:00"], "6": None}
MALL = {
    "id": 1,
    "name": "MPP Kabupaten Lama",
    "address": "Jl. Merdeka 1",
    "timezone": "Asia/Makassar",
    "opening_hours": {str(d): ["00:00", "24:00"] for d in range(7)},  # the queue test runs any day
    "running_text": "Selamat datang",
    "ticket_footer": "Simpan tiket ini",
    "booking_horizon_days": 5,
    "checkin_early_minutes": 20,
    "checkin_late_minutes": 10,
    "booking_retention_days": 14,
}
# The old schema's rows, table by table, in an order their foreign keys accept.
# fmt: off
OLD = {
    "priority_group": [
        {"code": "lansia", "name_id": "Lansia", "name_en": "Elderly", "display_order": 0, "active": True},
    ],
    "agency": [
        {"id": 1, "name": "Dinas Dukcapil", "short_name": "Dukcapil", "colour": "#1d4ed8", "display_order": 0, "active": True},
        {"id": 2, "name": "BPJS Kesehatan", "short_name": "BPJS", "colour": "#15803d", "display_order": 1, "active": True},
    ],
    "service": [
        {"id": 1, "agency_id": 1, "code": "KTP", "name": "KTP-el", "prefix": "A", "daily_quota": None, "opening_hours": None, "avg_service_minutes": 8, "requirements": "KK", "procedure": "Rekam", "duration": "15 menit", "cost": "Gratis", "priority_ratio": 2, "recall_limit": 2, "transfer_placement": "front", "booking_placement": "front", "display_order": 0, "active": True},
        {"id": 2, "agency_id": 1, "code": "KK", "name": "Kartu Keluarga", "prefix": "B", "daily_quota": 40, "opening_hours": HOURS, "avg_service_minutes": 10, "requirements": "", "procedure": "", "duration": "", "cost": "Gratis", "priority_ratio": 2, "recall_limit": 3, "transfer_placement": "issue_time", "booking_placement": "front", "display_order": 1, "active": True},
        {"id": 3, "agency_id": 2, "code": "JKN", "name": "Pendaftaran JKN", "prefix": "J", "daily_quota": None, "opening_hours": None, "avg_service_minutes": 6, "requirements": "", "procedure": "", "duration": "", "cost": "Gratis", "priority_ratio": 1, "recall_limit": 2, "transfer_placement": "front", "booking_placement": "slot_time", "display_order": 0, "active": True},
    ],
    "staff_user": [
        {"id": 1, "name": "Kepala MPP", "username": "kepala", "password_hash": "x$1", "role": "admin", "agency_id": None, "active": True, "created_at": T0, "session_generation": 2},
        {"id": 2, "name": "Petugas Satu", "username": "petugas1", "password_hash": "x$2", "role": "clerk", "agency_id": 1, "active": True, "created_at": T0, "session_generation": 0},
        {"id": 3, "name": "Supervisor BPJS", "username": "spv.bpjs", "password_hash": "x$3", "role": "supervisor", "agency_id": 2, "active": False, "created_at": T0, "session_generation": 1},
    ],
    "counter": [
        {"id": 1, "agency_id": 1, "number": 1, "name": "Loket 1", "zone": "Lantai 1", "status": "open", "pause_reason": "", "clerk_id": 2, "last_call_request": "r-1", "tablet_token_hash": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
        {"id": 2, "agency_id": 2, "number": 7, "name": "Loket 7", "zone": "Lantai 2", "status": "closed", "pause_reason": "", "clerk_id": None, "last_call_request": None, "tablet_token_hash": None},
    ],
    "counter_service": [
        {"counter_id": 1, "service_id": 1},
        {"counter_id": 1, "service_id": 2},
        {"counter_id": 2, "service_id": 3},
    ],
    "kiosk": [
        {"id": 1, "name": "Kiosk Lobi", "token_hash": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "printer_uri": "usb://x", "paper_width": 58, "printer_profile": "POS-5890", "native_qr": False, "agency_ids": [1, 2], "is_demo": False, "active": True, "last_seen_at": T3, "printer_state": "online", "printer_detail": ""},
    ],
    "display": [
        {"id": 1, "name": "Lobi", "agency_ids": [], "counter_ids": [1], "voice_enabled": True, "voice_repeat": 2, "voice_english": False, "media": ["promo.mp4"]},
    ],
    "holiday": [
        {"day": "2026-12-25", "name": "Hari Raya Natal"},
        {"day": "2027-01-01", "name": "Tahun Baru"},
    ],
    "visit": [
        {"id": 1, "business_date": DAY, "created_at": T0},
    ],
    "ticket": [
        {"id": 1, "visit_id": 1, "service_id": 1, "business_date": DAY, "number": 1, "display_number": "A-001", "code": "OLDCODE1", "priority": "lansia", "source": "kiosk", "status": "transferred", "counter_id": 1, "clerk_id": 2, "kiosk_id": 1, "recall_count": 0, "print_state": "printed", "print_error": "", "boost": 1, "queued_at": T0, "idempotency_key": "k-1", "transferred_from_id": None, "note": "", "issued_at": T0, "called_at": T1, "started_at": T1, "finished_at": T2},
        {"id": 2, "visit_id": 1, "service_id": 3, "business_date": DAY, "number": 1, "display_number": "J-001", "code": "OLDCODE2", "priority": "none", "source": "counter", "status": "done", "counter_id": 2, "clerk_id": 3, "kiosk_id": None, "recall_count": 1, "print_state": "none", "print_error": "", "boost": 1, "queued_at": T2, "idempotency_key": None, "transferred_from_id": 1, "note": "dari Dukcapil", "issued_at": T2, "called_at": T2, "started_at": T2, "finished_at": T3},
    ],
    "ticket_log": [
        {"id": 1, "ticket_id": 1, "at": T0, "action": "issue", "from_status": None, "to_status": "waiting", "actor_id": None, "counter_id": None, "note": ""},
        {"id": 2, "ticket_id": 1, "at": T1, "action": "call", "from_status": "waiting", "to_status": "called", "actor_id": 2, "counter_id": 1, "note": ""},
        {"id": 3, "ticket_id": 1, "at": T2, "action": "transfer", "from_status": "called", "to_status": "transferred", "actor_id": 2, "counter_id": 1, "note": "ke BPJS"},
        {"id": 4, "ticket_id": 2, "at": T3, "action": "finish", "from_status": "serving", "to_status": "done", "actor_id": 3, "counter_id": 2, "note": ""},
    ],
    "ticket_sequence": [
        {"service_id": 1, "business_date": DAY, "last_number": 1},
        {"service_id": 3, "business_date": DAY, "last_number": 1},
    ],
    "survey_response": [
        {"id": 1, "ticket_id": 2, "service_id": 3, "agency_id": 2, "counter_id": 2, "clerk_id": 3, "business_date": DAY, "submitted_at": T3, "channel": "phone", "u1": 4, "u2": 3, "u3": 4, "u4": 4, "u5": 3, "u6": 4, "u7": 4, "u8": None, "u9": 2, "age": 61, "sex": "P", "education": "sma", "occupation": "lainnya", "suggestion": "Ruang tunggu panas"},
    ],
    "slot_template": [
        {"id": 1, "service_id": 3, "weekday": 0, "start": "08:00", "end": "08:30", "capacity": 4},
    ],
    "slot_usage": [
        {"service_id": 3, "day": "2026-12-07", "start": "08:00", "booked": 1},
    ],
    "booking": [
        {"id": 1, "code": "BK7Q2M9X", "service_id": 3, "day": "2026-12-07", "start": "08:00", "end": "08:30", "status": "booked", "name": "Siti", "phone": "0812", "created_at": T1, "cancelled_at": None, "checked_in_at": None, "purged_at": None, "ticket_id": None},
    ],
    "report_daily": [
        {"id": 1, "business_date": DAY, "weekday": 0, "hour": 9, "agency_id": 2, "service_id": 3, "counter_id": 2, "clerk_id": 3, "source": "counter", "issued": 1, "arrived": 1, "served": 1, "no_show": 0, "cancelled": 0, "transferred": 0, "waited": 1, "wait_seconds": 0, "timed": 1, "service_seconds": 3600, "within_standard": 1},
    ],
    "report_duration": [
        {"id": 1, "business_date": DAY, "agency_id": 2, "service_id": 3, "counter_id": 2, "clerk_id": 3, "kind": "service", "minutes": 60, "tickets": 1},
    ],
    "audit_log": [
        {"id": 1, "at": T0, "actor_id": 1, "action": "service.update", "target_type": "service", "target_id": 2, "details": {"name": "Kartu Keluarga"}},
    ],
}
# fmt: on
OWNED = ("agency", "service", "counter", "kiosk", "display")


def _literal(value) -> str:
    """Test data as SQL literals (portable: no driver adaptation of JSON or dates)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, dict)):
        value = json.dumps(value)
    return "'" + str(value).replace("'", "''") + "'"


def _insert(conn, table: str, row: dict) -> None:
    columns = ", ".join(f'"{c}"' for c in row)
    values = ", ".join(_literal(v) for v in row.values())
    conn.execute(text(f'INSERT INTO "{table}" ({columns}) VALUES ({values})'))


def _plain(value, expected):
    """A value read back by either database, in the shape the test data wrote it."""
    if isinstance(expected, bool):
        return bool(value)
    if isinstance(expected, (list, dict)) and isinstance(value, str):
        return json.loads(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and isinstance(expected, str) and value.endswith(".000000"):
        return value[:-7]
    return value


def _read(conn, table: str, expected: dict) -> dict:
    keys = (
        ["id"]
        if "id" in expected
        else [c for c in ("code", "counter_id", "service_id", "day") if c in expected]
    )
    where = " AND ".join(f'"{k}" = {_literal(expected[k])}' for k in keys)
    row = conn.execute(text(f'SELECT * FROM "{table}" WHERE {where}')).mappings().one_or_none()
    assert row is not None, (table, where)
    return dict(row)


def _old_database(url: str) -> None:
    migrate.upgrade(url, "0006_device_scoped_keys")  # the last revision before sites
    engine = create_engine(url)
    with engine.begin() as conn:
        _insert(conn, "mall", MALL)
        for table, rows in OLD.items():
            for row in rows:
                _insert(conn, table, row)
        if conn.dialect.name == "postgresql":  # as the old app's own inserts left them
            for table, rows in OLD.items():
                if "id" in rows[0]:
                    conn.execute(
                        text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {len(rows)})")
                    )
    engine.dispose()


def _check_upgraded(url: str) -> None:
    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        site = dict(conn.execute(text("SELECT * FROM site")).mappings().one())
        for key, value in MALL.items():
            assert _plain(site[key], value) == value, key
        assert (site["slug"], site["kind"], bool(site["active"])) == (
            "mpp-kabupaten-lama",
            "mpp",
            True,
        )
        for table, rows in OLD.items():
            for row in rows:
                found = _read(conn, table, row)
                assert {k: _plain(found[k], v) for k, v in row.items()} == row, table
        for table in OWNED:
            assert {r[0] for r in conn.execute(text(f"SELECT site_id FROM {table}"))} == {1}
        holidays = conn.execute(text("SELECT site_id FROM holiday")).scalars().all()
        assert holidays == [1, 1]
        staff = dict(conn.execute(text("SELECT username, site_id FROM staff_user")).all())
        assert staff == {"kepala": None, "petugas1": 1, "spv.bpjs": 1}
    engine.dispose()
    _the_queue_works(url)


def _the_queue_works(url: str) -> None:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        admin = session.query(StaffUser).filter_by(username="kepala").one()
        assert admin.is_installation_admin and admin.can_manage_site(1)
        old = describe_ticket(session, "OLDCODE2")
        assert old["number"] == "J-001" and old["site"]["slug"] == "mpp-kabupaten-lama"
        ticket = issue_ticket(session, 1, source="counter")
        session.commit()
        assert ticket.display_number.startswith("A") and ticket.service.site_id == 1
        site = site_of_service(session, session.get(Service, 1))
        assert site == session.get(Site, 1) and site.timezone == "Asia/Makassar"
    engine.dispose()


def test_sqlite_database_of_one_mall_becomes_one_site(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _old_database(url)
    _check_upgraded(url)


def test_postgresql_database_of_one_mall_becomes_one_site():
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL to test against (.ci/run sets it)")
    schema = f"antre_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = _schema_url(base, schema)
        _old_database(url)
        _check_upgraded(url)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
