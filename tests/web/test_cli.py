"""The antre command: db upgrade, seed-demo (idempotent), create-admin, set-password."""

from __future__ import annotations

from sqlalchemy import func, select

from shared.accounts import find_user, verify_password
from shared.db import make_engine, make_session_factory
from shared.models import Agency, Counter, Service, StaffUser


def _counts(url):
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        counts = {
            model.__name__: session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Agency, Service, Counter, StaffUser)
        }
    engine.dispose()
    return counts


def test_db_upgrade_creates_the_schema(tmp_path):
    from click.testing import CliRunner

    from shared.cli import main

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"ANTRE_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert _counts(url) == {"Agency": 0, "Service": 0, "Counter": 0, "StaffUser": 0}


def test_seed_demo_is_idempotent(tmp_path, db_url):
    from click.testing import CliRunner

    from shared.cli import main
    from shared.seed import DEMO_SITES

    def runner(*args):
        return CliRunner().invoke(main, list(args), env={"ANTRE_DATABASE_URL": db_url})

    first = runner("seed-demo")
    assert first.exit_code == 0 and "created" in first.output
    counts = _counts(db_url)
    # the MPP, the RSUD, the puskesmas and the mobile unit, every agency of each
    assert counts["Agency"] == sum(len(spec["agencies"]) for spec in DEMO_SITES)
    agencies = [a for spec in DEMO_SITES for a in spec["agencies"]]
    assert counts["Service"] == sum(len(a[3]) for a in agencies) >= 30
    assert counts["Counter"] == sum(len(a[4]) for a in agencies) >= 25
    # one clerk per counter and a supervisor per agency, or the site's own staff list; an admin
    staff = [
        len(spec["staff"])
        if "staff" in spec
        else len(spec["agencies"]) + sum(len(a[4]) for a in spec["agencies"])
        for spec in DEMO_SITES
    ]
    assert counts["StaffUser"] == sum(staff) + 1
    second = runner("seed-demo")
    assert "already present" in second.output
    assert _counts(db_url) == counts


def test_create_admin_and_set_password(runner, config):
    result = runner(
        "create-admin",
        "--username",
        "kepala",
        "--name",
        "Kepala MPP",
        input="rahasia-sekali\nrahasia-sekali\n",
    )
    assert result.exit_code == 0, result.output
    assert (
        runner(
            "create-admin",
            "--username",
            "kepala",
            "--name",
            "X",
            input="rahasia-sekali\nrahasia-sekali\n",
        ).exit_code
        != 0
    )
    runner("set-password", "--username", "kepala", input="baru-123456\nbaru-123456\n")
    engine = make_engine(config.database_url)
    with make_session_factory(engine)() as session:
        user = find_user(session, "kepala")
        assert user.role == "admin"
        assert verify_password(user, "baru-123456")
        assert not verify_password(user, "rahasia-sekali")
    engine.dispose()


def test_purge_command_erases_old_booking_contacts(runner, config):
    from datetime import date, timedelta

    from shared.models import Booking, Service

    engine = make_engine(config.database_url)
    with make_session_factory(engine)() as session:
        service = session.query(Service).filter_by(code="KTP").one()
        old = date.today() - timedelta(days=400)
        session.add(
            Booking(
                code="OLDONE22",
                service_id=service.id,
                day=old,
                start="09:00",
                end="09:30",
                name="Budi",
                phone="081234567890",
            )
        )
        session.commit()
    assert "1 bookings" in runner("purge").output
    with make_session_factory(engine)() as session:
        purged = session.query(Booking).filter_by(code="OLDONE22").one()
        assert (purged.name, purged.phone) == (None, None) and purged.purged_at is not None
    engine.dispose()


def test_purge_command_erases_patient_identities_past_their_date(runner, config):
    from datetime import date, timedelta

    from shared import queue
    from shared.models import PatientIdentity

    engine = make_engine(config.database_url)
    with make_session_factory(engine)() as session:
        service = session.query(Service).filter_by(code="KTP").one()
        ticket = queue.issue_ticket(session, service.id, check_availability=False)
        old = date.today() - timedelta(days=2)
        session.add(
            PatientIdentity(visit_id=ticket.visit_id, nik="1505015708900001", erase_after=old)
        )
        session.commit()
    assert "1 patient identities" in runner("purge").output
    with make_session_factory(engine)() as session:
        assert session.query(PatientIdentity).count() == 0
    engine.dispose()
