"""``antre bpjs set|show|pull-schedules`` against a fake BPJS; secrets sealed, never shown."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from shared.cli import main
from shared.models import BpjsBridge, DoctorSchedule
from tests.fake_bpjs import CONS_ID, SECRET, USER_KEY, fake_bpjs
from tests.hospital import build_hospital

DAY = date(2026, 11, 23)  # a Monday


@pytest.fixture
def rs(factory, session):
    rs = build_hospital(factory)
    rs.poli.bpjs_code = "INT"
    session.commit()
    return rs


def _antre(db_url, tmp_path, *args):
    env = {
        "ANTRE_DATABASE_URL": db_url,
        "ANTRE_SECRET_KEY": "k3y-for-the-bpjs-tests-" + "x7Qp2Lm9Zr4Tv8Wn",
        "ANTRE_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_set_show_and_pull_schedules(session, rs, db_url, tmp_path):
    slug = rs.site.slug
    with fake_bpjs() as fake:
        fake.schedules[f"INT/{DAY}"] = [
            {"kodedokter": 1001, "jadwal": "08:00 - 12:00", "kapasitaspasien": 20, "libur": 0},
            {"kodedokter": 9999, "jadwal": "13:00 - 15:00", "kapasitaspasien": 10, "libur": 0},
        ]
        result = _antre(
            db_url,
            tmp_path,
            "bpjs",
            "set",
            "--site",
            slug,
            "--cons-id",
            CONS_ID,
            "--secret",
            SECRET,
            "--user-key",
            USER_KEY,
            "--url",
            fake.url,
        )
        assert result.exit_code == 0, result.output
        stored = session.execute(select(BpjsBridge)).scalar_one()
        assert SECRET not in stored.secret and USER_KEY not in stored.user_key
        session.commit()

        shown = _antre(db_url, tmp_path, "bpjs", "show", "--site", slug).output
        assert "on (rs)" in shown and SECRET not in shown and USER_KEY not in shown
        assert "•" in shown and "INT" in shown

        pulled = _antre(
            db_url, tmp_path, "bpjs", "pull-schedules", "--site", slug, "--date", DAY.isoformat()
        )
        assert pulled.exit_code == 0, pulled.output
        assert "skipped 9999" in pulled.output
    session.expire_all()
    rows = (
        session.execute(
            select(DoctorSchedule).where(
                DoctorSchedule.doctor_id == rs.doctor.id, DoctorSchedule.weekday == 0
            )
        )
        .scalars()
        .all()
    )
    added = next(row for row in rows if row.start == "08:00")
    assert (added.end, added.capacity, added.quota_jkn) == ("12:00", 20, 16)


def test_a_new_bridge_needs_everything_and_a_known_url(session, rs, db_url, tmp_path):
    slug = rs.site.slug
    result = _antre(db_url, tmp_path, "bpjs", "set", "--site", slug, "--cons-id", "1")
    assert result.exit_code != 0 and "needs" in result.output
    result = _antre(
        db_url,
        tmp_path,
        "bpjs",
        "set",
        "--site",
        slug,
        "--cons-id",
        "1",
        "--secret",
        "s",
        "--user-key",
        "u",
        "--url",
        "dev",
    )
    assert result.exit_code == 0
    shown = _antre(db_url, tmp_path, "bpjs", "show", "--site", slug).output
    assert "https://apijkn-dev.bpjs-kesehatan.go.id/antreanrs_dev/" in shown
