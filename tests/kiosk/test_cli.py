"""``antre kiosk add`` registers a kiosk and shows its token once."""

from __future__ import annotations

import re

from sqlalchemy import select

from shared.models import Kiosk
from shared.seed import token_hash


def test_kiosk_add(runner, app_session):
    result = runner(
        "kiosk", "add", "--name", "Kiosk Lantai 2", "--printer", "tcp://10.0.0.9:9100",
        "--paper", "58", "--profile", "POS-5890", "--raster-qr", "--agencies", "2,4",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    token = re.search(r"token \(shown only now\): (\S+)", result.output).group(1)
    kiosk = app_session.execute(select(Kiosk).where(Kiosk.name == "Kiosk Lantai 2")).scalar_one()
    assert kiosk.token_hash == token_hash(token) and token not in kiosk.token_hash
    assert (kiosk.printer_uri, kiosk.paper_width, kiosk.printer_profile) == (
        "tcp://10.0.0.9:9100",
        58,
        "POS-5890",
    )
    assert kiosk.native_qr is False and kiosk.agency_ids == [2, 4]


def test_kiosk_add_refuses_a_bad_printer(runner):
    result = runner("kiosk", "add", "--name", "X", "--printer", "lpt://1")
    assert result.exit_code != 0 and "unknown printer type" in result.output


def test_kiosk_add_to_a_named_site(runner, app_session):
    """Several sites: ``--site`` says whose kiosk it is; another site's agencies are refused."""
    from shared.models import Agency, Site
    from shared.queue.sites import default_site

    first = default_site(app_session).id
    mine = Site(slug="puskesmas-uji", name="Puskesmas Uji", kind="puskesmas")
    app_session.add(mine)
    app_session.flush()
    agency = Agency(site_id=mine.id, name="Poli Umum", short_name="Umum")
    app_session.add(agency)
    app_session.commit()  # every SQLite transaction here holds the write lock (BEGIN IMMEDIATE)
    mine_id, agency_id = mine.id, agency.id
    app_session.commit()

    def site_of(name: str) -> int:
        found = app_session.execute(select(Kiosk.site_id).where(Kiosk.name == name)).scalar_one()
        app_session.commit()
        return found

    result = runner("kiosk", "add", "--name", "Kiosk Puskesmas", "--site", "puskesmas-uji")
    assert result.exit_code == 0, result.output
    assert "of site 'puskesmas-uji'" in result.output
    assert site_of("Kiosk Puskesmas") == mine_id
    default = runner("kiosk", "add", "--name", "Kiosk Tanpa Situs")
    assert default.exit_code == 0, default.output
    assert site_of("Kiosk Tanpa Situs") == first  # no --site: the first site
    strangers = runner("kiosk", "add", "--name", "Salah", "--agencies", str(agency_id))
    assert strangers.exit_code != 0 and "agencies not of site" in strangers.output
    unknown = runner("kiosk", "add", "--name", "Salah", "--site", "tidak-ada")
    assert unknown.exit_code != 0 and "no active site 'tidak-ada'" in unknown.output
    assert "puskesmas-uji" in unknown.output  # it says which sites there are
    names = app_session.execute(select(Kiosk.name).where(Kiosk.name == "Salah")).all()
    assert names == []


def test_tablet_add_finds_the_counter_of_the_site(runner, app_session):
    from shared.models import Agency, Counter, Site

    other = Site(slug="rsud-uji", name="RSUD Uji", kind="hospital")
    app_session.add(other)
    app_session.flush()
    agency = Agency(site_id=other.id, name="Poli Anak", short_name="Anak")
    app_session.add(agency)
    app_session.flush()
    # Counter numbers are unique per site: the hospital has its own counter 1.
    app_session.add(Counter(agency_id=agency.id, number=1, name="Ruang 1"))
    app_session.commit()
    other_id = other.id
    app_session.commit()
    result = runner("tablet", "add", "--counter", "1", "--site", "rsud-uji")
    assert result.exit_code == 0, result.output
    bound = app_session.execute(
        select(Counter.site_id).where(Counter.number == 1, Counter.tablet_token_hash.is_not(None))
    ).scalars()
    assert list(bound) == [other_id]  # the hospital's counter 1, not the MPP's
    app_session.commit()
    missing = runner("tablet", "add", "--counter", "77", "--site", "rsud-uji")
    assert missing.exit_code != 0 and "no counter 77 at site 'rsud-uji'" in missing.output
