"""Offline sites: a laptop's day travels to the central installation in a signed file, once.

Two real SQLite databases, both migrated, hold the same site; the laptop issues and serves
tickets, exports, and the central side imports (shared/site_sync).
"""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from shared.cli import main
from shared.db import make_engine, make_session_factory
from shared.models import Service, Site, SurveyResponse, Ticket, TicketLog, TicketSequence
from shared.queue import issue_ticket
from shared.reports.periods import Scope, make_period
from shared.reports.queries import skm_report, ticket_report
from shared.reports.refresher import refresh_in_steps
from shared.reports.rollup import refresh_rollups
from shared.site_sync import signing
from shared.site_sync.errors import (
    BadSignature,
    MalformedFile,
    MissingPlaces,
    NoKeyRegistered,
    NumberClash,
    OriginClash,
    UnknownSite,
    WrongKey,
)
from shared.site_sync.export import export_site
from shared.site_sync.importing import import_chunks, import_file
from tests.shared.site_sync_world import (
    DAY,
    PRIVATE_NOTE,
    SLUG,
    at,
    build_site,
    database,
    offline_afternoon,
    offline_morning,
    row_counts,
    service,
    ticket_facts,
)


@pytest.fixture
def key(tmp_path) -> signing.SiteKey:
    return signing.generate(str(tmp_path / "laptop-instance"), SLUG)


@pytest.fixture
def laptop(tmp_path, _template_db):
    engine, factory = database(tmp_path, _template_db, "laptop")
    with factory() as session:
        build_site(session)
        session.commit()
        offline_morning(session)
    yield factory
    engine.dispose()


@pytest.fixture
def central(tmp_path, _template_db, key):
    """The central installation: the same site (key registered) beside an MPP of its own."""
    engine, factory = database(tmp_path, _template_db, "central")
    with factory() as session:
        build_site(session, slug="mpp-tebo", codes=("KTP",))
        build_site(session).sync_public_key = key.public_hex
        session.commit()
    yield factory
    engine.dispose()


def exported(laptop, key, **kw) -> bytes:
    with laptop() as session:
        site = session.execute(select(Site).where(Site.slug == SLUG)).scalar_one()
        return signing.pack(export_site(session, site, key.tag, **kw), key)


def test_the_day_arrives_with_its_numbers_times_and_answers(laptop, central, key):
    data = exported(laptop, key)
    assert PRIVATE_NOTE.encode() not in data  # clerks' notes stay on the laptop
    with central() as session:
        counts = import_file(session, data)
    assert counts.imported == {"visits": 3, "tickets": 4, "logs": 14, "surveys": 1}
    with laptop() as offline, central() as session:
        assert ticket_facts(session) == ticket_facts(offline)
        assert row_counts(session) == row_counts(offline)
        moved = session.execute(select(Ticket).where(Ticket.transferred_from_id.is_not(None)))
        moved = moved.scalar_one()
        assert moved.visit_id == moved.transferred_from.visit_id  # one visit, as offline
        assert session.execute(select(TicketLog.note).distinct()).scalars().all() == [""]
        answer = session.execute(select(SurveyResponse)).scalar_one()
        assert (answer.u1, answer.age, answer.business_date) == (4, 40, DAY)


def test_central_numbering_of_that_day_continues_after_the_imported_numbers(laptop, central, key):
    with central() as session:
        import_file(session, exported(laptop, key))
        umum = service(session, "UMUM")
        last = select(TicketSequence.last_number).where(TicketSequence.service_id == umum.id)
        assert session.execute(last).scalar_one() == 3
        ticket = issue_ticket(session, umum.id, now=at(60), check_availability=False)
        assert ticket.display_number == "A-004"


def test_importing_twice_changes_nothing(laptop, central, key):
    data = exported(laptop, key)
    with central() as session:
        import_file(session, data)
        before = (ticket_facts(session), row_counts(session))
        again = import_file(session, data)
    assert again.imported == dict.fromkeys(again.imported, 0)
    assert again.skipped == {"visits": 3, "tickets": 4, "logs": 14, "surveys": 1}
    assert again.updated == 0
    with central() as session:
        assert (ticket_facts(session), row_counts(session)) == before


def test_an_import_interrupted_after_its_first_chunk_resumes(laptop, central, key):
    data = exported(laptop, key)
    with central() as session:
        chunks = import_chunks(session, data, size=1)
        first = next(chunks)
        session.commit()
        assert first.imported["visits"] == 1
        chunks.close()  # the process dies here
    with central() as session:
        partial = row_counts(session)
        rest = import_file(session, data)
    assert rest.skipped["visits"] == 1 and rest.imported["visits"] == 2
    with laptop() as offline, central() as session:
        assert partial["ticket"] < row_counts(offline)["ticket"]
        assert row_counts(session) == row_counts(offline)
        assert ticket_facts(session) == ticket_facts(offline)


def test_a_file_cut_short_is_refused_and_the_whole_one_then_completes(laptop, central, key):
    data = exported(laptop, key)
    with central() as session:
        before = row_counts(session)
        with pytest.raises(BadSignature):
            import_file(session, data[: len(data) // 2])
        with pytest.raises(MalformedFile):
            import_file(session, data[:40])  # not even the whole header
        assert row_counts(session) == before
        import_file(session, data)
    with laptop() as offline, central() as session:
        assert row_counts(session) == row_counts(offline)


def test_a_changed_byte_is_refused(laptop, central, key):
    data = bytearray(exported(laptop, key))
    position = data.index(b'"A-001"') + 3
    data[position : position + 1] = b"9"  # a number changed after signing
    with central() as session, pytest.raises(BadSignature):
        import_file(session, bytes(data))


def test_a_file_signed_by_another_key_or_unsigned_is_refused(laptop, central, key, tmp_path):
    stranger = signing.generate(str(tmp_path / "stranger"), SLUG)
    with laptop() as session:
        site = session.execute(select(Site).where(Site.slug == SLUG)).scalar_one()
        payload = export_site(session, site, stranger.tag)
    with central() as session:
        with pytest.raises(WrongKey) as refused:
            import_file(session, signing.pack(payload, stranger))
        assert signing.key_id(stranger.public_hex) in str(refused.value)
        with pytest.raises(MalformedFile):
            import_file(session, signing.canonical(payload))  # no signed header at all
        assert session.execute(select(Ticket)).first() is None


def test_a_site_without_a_registered_key_or_unknown_here_is_refused(laptop, central, key):
    data = exported(laptop, key)
    with central() as session:
        site = session.execute(select(Site).where(Site.slug == SLUG)).scalar_one()
        site.sync_public_key = None
        session.commit()
        with pytest.raises(NoKeyRegistered):
            import_file(session, data)
        site.slug = "elsewhere"
        session.commit()
        with pytest.raises(UnknownSite):
            import_file(session, data)


def test_services_missing_centrally_are_named_and_nothing_is_imported(laptop, central, key):
    with central() as session:
        kia = service(session, "KIA")
        kia.code = "KIA-LAMA"
        session.commit()
        with pytest.raises(MissingPlaces) as refused:
            import_file(session, exported(laptop, key))
        assert "KIA" in str(refused.value)
        assert session.execute(select(Ticket)).first() is None


def test_a_number_given_centrally_the_same_day_refuses_the_file(laptop, central, key):
    with central() as session:
        umum = service(session, "UMUM")
        issue_ticket(session, umum.id, now=at(0), check_availability=False)  # A-001 here too
        session.commit()
        with pytest.raises(NumberClash) as refused:
            import_file(session, exported(laptop, key))
        assert "A-001" in str(refused.value)
        tickets = session.execute(select(Ticket).join(Service)).scalars().all()
        assert [t.display_number for t in tickets] == ["A-001"]


def test_a_ticket_whose_origin_is_known_with_another_code_refuses_the_file(laptop, central, key):
    data = exported(laptop, key)
    with central() as session:
        import_file(session, data)
        first = session.execute(select(Ticket).order_by(Ticket.id)).scalars().first()
        first.code = "another-code"  # as if another database of the site had made it
        session.commit()
        with pytest.raises(OriginClash) as refused:
            import_file(session, data)
        assert first.display_number in str(refused.value)


def test_a_later_export_brings_the_tickets_up_to_date(laptop, central, key):
    with central() as session:
        import_file(session, exported(laptop, key))
    with laptop() as session:
        offline_afternoon(session)
    with central() as session:
        counts = import_file(session, exported(laptop, key, first=DAY))
    assert counts.imported["tickets"] == 0 and counts.imported["logs"] == 3
    assert counts.updated == 1
    with laptop() as offline, central() as session:
        assert ticket_facts(session) == ticket_facts(offline)


def test_the_reports_include_the_offline_day(laptop, central, key):
    with central() as session:
        umum = service(session, "KTP", slug="mpp-tebo")
        issue_ticket(session, umum.id, now=at(0), check_availability=False)
        session.commit()
        refresh_rollups(session, now=at(0))  # the roll-ups have read the central log already
        session.commit()
        import_file(session, exported(laptop, key))
        session.commit()
        refresh_in_steps(central)  # the background job's next round
        agency_id = service(session, "UMUM").agency_id
        period, scope = make_period("day", DAY), Scope("agency", agency_id)
        report = ticket_report(session, period, scope)
        assert report.counts["issued"] == 4
        assert report.counts["served"] == 1 and report.counts["no_show"] == 1
        assert report.counts["transferred"] == 1
        assert report.wait.count == 3
        assert skm_report(session, period, scope).result.respondents == 1


def test_the_commands_keygen_trust_export_import(laptop, central, tmp_path):
    laptop_env = {
        "ANTRE_DATABASE_URL": str(laptop.kw["bind"].url),
        "ANTRE_INSTANCE_PATH": str(tmp_path / "cli-laptop"),
    }
    central_env = {
        "ANTRE_DATABASE_URL": str(central.kw["bind"].url),
        "ANTRE_INSTANCE_PATH": str(tmp_path / "cli-central"),
    }

    def antre(env, *args):
        result = CliRunner().invoke(main, list(args), env=env)
        return result.exit_code, result.output

    code, out = antre(laptop_env, "site", "keygen", "--site", SLUG)
    assert code == 0, out
    key_file = signing.key_path(laptop_env["ANTRE_INSTANCE_PATH"], SLUG)
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    public = out.split("--key ")[1].split()[0]
    assert antre(laptop_env, "site", "keygen", "--site", SLUG)[0] == 1  # no silent replacement
    file = tmp_path / "pusling.sync"
    code, out = antre(laptop_env, "site", "export", "--site", SLUG, "--out", str(file))
    assert code == 0 and "4 tickets" in out
    code, out = antre(central_env, "site", "import", str(file))
    assert code == 1 and "signed by key" in out  # the central still trusts the fixture's key
    assert antre(central_env, "site", "trust", "--site", SLUG, "--key", "abc")[0] == 1
    assert antre(central_env, "site", "trust", "--site", SLUG, "--key", public)[0] == 0
    code, out = antre(central_env, "site", "import", str(file))
    assert code == 0 and "imported 3 visits, 4 tickets, 14 logs, 1 surveys" in out
    code, out = antre(central_env, "site", "import", str(file))
    assert "imported 0 visits" in out and "already here 3 visits, 4 tickets" in out
    nobody = "http://127.0.0.1:9"  # the discard port: nothing listens
    code, out = antre(laptop_env, "site", "push", "--site", SLUG, "--url", nobody)
    assert code == 1 and "cannot reach" in out


def test_the_import_on_postgresql(laptop, key, pg_url):
    """The central installation on PostgreSQL: row locks, the sequence upsert, a second run."""
    engine = make_engine(pg_url)
    central = make_session_factory(engine)
    try:
        with central() as session:
            build_site(session).sync_public_key = key.public_hex
            session.commit()
            data = exported(laptop, key)
            first = import_file(session, data)
            again = import_file(session, data)
            assert first.imported["tickets"] == again.skipped["tickets"] == 4
            assert sum(again.imported.values()) == 0
        with laptop() as offline, central() as session:
            assert ticket_facts(session) == ticket_facts(offline)
            umum = service(session, "UMUM")
            assert issue_ticket(session, umum.id, now=at(60), check_availability=False).number == 4
    finally:
        engine.dispose()
