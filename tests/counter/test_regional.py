"""The regional dashboard: each site's figures on its own business day, sites in trouble first,
a fixed number of queries, and the installation admin alone may open it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from shared import queue, regional
from shared.models import Counter, Kiosk, Site, StaffUser
from shared.queue.sites import default_site
from shared.web.database import database
from shared.web.i18n import COOKIE
from tests.factories import Factory
from tests.i18n.catalogue import english_in, visible_text

# 23:30 WIB on 23 November = 00:30 WITA and 01:30 WIT on the 24th.
NOW = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)
PAGES = ("/counter/regional", "/counter/api/regional")


def _site_with_counter(factory: Factory, timezone: str, name: str, kind: str = "mpp", **kw):
    site = factory.site(timezone=timezone, name=name, kind=kind)
    service = factory.service(factory.agency(site=site))
    counter = factory.counter([service], **kw)
    return site, service, counter


def _issue(session, service, minutes_ago: int):
    now = NOW - timedelta(minutes=minutes_ago)
    return queue.issue_ticket(session, service.id, check_availability=False, now=now)


def _kiosk(session, site: Site, name: str, seen: datetime | None, printer: str = "online"):
    kiosk = Kiosk(
        site_id=site.id,
        name=name,
        token_hash=f"hash-{name}",
        agency_ids=[],
        last_seen_at=seen,
        printer_state=printer,
    )
    session.add(kiosk)
    session.flush()
    return kiosk


@pytest.fixture
def three_sites(session, factory):
    """Alpha (WIB): two waiting 40 min, one at the counter, a printer out of paper.
    Beta (WITA): one waiting 5 min on its new day (one from its day before), no counter open,
    a kiosk silent for an hour. Gamma (WIT): one served, nobody waiting, its kiosk fine."""
    alpha, s_alpha, c_alpha = _site_with_counter(factory, "Asia/Jakarta", "Alpha")
    clerk = factory.user(agency=s_alpha.agency)
    queue.issue_ticket(session, s_alpha.id, check_availability=False, now=NOW - timedelta(days=1))
    for _ in range(3):
        _issue(session, s_alpha, 40)
    queue.call_next(session, c_alpha, clerk, now=NOW - timedelta(minutes=10))
    _kiosk(session, alpha, "alpha-1", NOW - timedelta(seconds=20), "paper_out")

    beta, s_beta, _ = _site_with_counter(
        factory, "Asia/Makassar", "Beta", "hospital", status=Counter.CLOSED
    )
    _issue(session, s_beta, 45)
    _issue(session, s_beta, 5)
    _kiosk(session, beta, "beta-1", NOW - timedelta(hours=1))

    gamma, s_gamma, c_gamma = _site_with_counter(factory, "Asia/Jayapura", "Gamma", "puskesmas")
    nurse = factory.user(agency=s_gamma.agency)
    _issue(session, s_gamma, 9)
    ticket = queue.call_next(session, c_gamma, nurse, now=NOW - timedelta(minutes=8))
    queue.start_ticket(session, ticket, nurse, now=NOW - timedelta(minutes=7))
    queue.finish_ticket(session, ticket, nurse, now=NOW - timedelta(minutes=2))
    _kiosk(session, gamma, "gamma-1", NOW - timedelta(seconds=30))
    session.flush()
    return alpha, beta, gamma


def test_figures_per_site_on_its_own_day(session, three_sites):
    alpha, beta, gamma = three_sites
    rows = {row.site.id: row for row in regional.regional_overview(session, NOW)}
    a, b, g = rows[alpha.id], rows[beta.id], rows[gamma.id]
    assert (a.business_date.day, b.business_date.day, g.business_date.day) == (23, 24, 24)
    assert (a.waiting, a.serving, a.served, a.longest_wait_minutes) == (2, 1, 0, 40)
    assert (a.counters_open, a.kiosks, a.kiosks_offline, a.printer_faults) == (1, 1, 0, 1)
    # Beta's ticket of 23:45 WITA belongs to its day before: one waiting, for 5 minutes.
    assert (b.waiting, b.serving, b.longest_wait_minutes, b.counters_open) == (1, 0, 5, 0)
    assert (b.kiosks, b.kiosks_offline, b.printer_faults) == (1, 1, 0)
    assert (g.waiting, g.serving, g.served, g.longest_wait_minutes) == (0, 0, 1, 0)
    assert (g.kiosks, g.kiosks_offline, g.printer_faults) == (1, 0, 0)


def test_sites_in_trouble_first_with_their_reasons(session, three_sites):
    alpha, beta, gamma = three_sites
    rows = regional.regional_overview(session, NOW)
    assert [r.site.name for r in rows] == ["Alpha", "Beta", "Gamma"]  # 40 min before 5 min
    assert rows[0].reasons == [regional.LONG_WAIT, regional.PRINTER_FAULT]
    assert rows[1].reasons == [regional.NO_COUNTER_OPEN, regional.KIOSK_OFFLINE]
    assert rows[2].reasons == [] and not rows[2].trouble
    # A higher threshold forgives Alpha's 40 minutes; its printer still needs someone.
    relaxed = regional.regional_overview(session, NOW, long_wait_minutes=45)
    assert relaxed[1].site.name == "Alpha" and relaxed[1].reasons == [regional.PRINTER_FAULT]
    totals = regional.totals(rows)
    assert (totals["sites"], totals["sites_in_trouble"], totals["waiting"]) == (3, 2, 3)


def test_a_silent_kiosk_of_a_closed_site_is_no_trouble(session, factory):
    closed = {str(d): None for d in range(7)}
    site = factory.site(timezone="Asia/Jayapura", name="Tutup", hours=closed)
    _kiosk(session, site, "night", NOW - timedelta(hours=10))
    (row,) = [r for r in regional.regional_overview(session, NOW) if r.site.id == site.id]
    assert not row.open_now and row.kiosks_offline == 1 and row.reasons == []


def _count_queries(session, now) -> int:
    statements = []
    engine = session.get_bind()

    def seen(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        session.expunge_all()  # every site read again, as in a fresh request
        regional.regional_overview(session, now)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return len(statements)


def test_the_number_of_queries_does_not_grow_with_the_sites(session, factory, three_sites):
    session.commit()
    few = _count_queries(session, NOW)
    for n in range(6):
        _, service, _ = _site_with_counter(factory, "Asia/Makassar", f"Tambahan {n}")
        queue.issue_ticket(session, service.id, check_availability=False, now=NOW)
        _kiosk(session, service.agency.site, f"extra-{n}", NOW)
    session.commit()
    assert _count_queries(session, NOW) == few <= 6, few  # five SELECTs and a BEGIN


# Over HTTP, on the demo installation (its admin has no site: the installation admin).


@pytest.fixture
def http_sites(app):
    """A WITA hospital with citizens waiting and its one counter closed, and the other roles."""
    with database(app).session_factory() as session:
        factory = Factory(session)
        mall = factory._mall = default_site(session)
        site = factory.site(timezone="Asia/Makassar", name="RSUD Uji", kind="hospital")
        service = factory.service(factory.agency(site=site))
        factory.counter([service], status=Counter.CLOSED)
        for _ in range(2):
            queue.issue_ticket(session, service.id, check_availability=False)
        agency = mall.agencies[0]
        for username, role, site_id in (
            ("site.admin", StaffUser.ADMIN, mall.id),
            ("spv.regional", StaffUser.SUPERVISOR, None),
            ("clerk.regional", StaffUser.CLERK, None),
        ):
            factory.user(role, agency=agency, username=username, site_id=site_id)
        session.commit()
        return {"slug": site.slug, "mall": mall.slug}


@pytest.mark.parametrize("username", ["site.admin", "spv.regional", "clerk.regional"])
def test_only_the_installation_admin_sees_every_site(client, login, http_sites, username):
    login(username)
    for path in PAGES:
        assert client.get(path).status_code == 403, path


def test_signed_out_is_sent_to_sign_in(client, http_sites):
    assert client.get("/counter/regional").status_code == 302
    assert client.get("/counter/api/regional").status_code == 401


def test_the_installation_admin_sees_the_site_in_trouble_first(client, login, http_sites):
    login("admin")
    data = client.get("/counter/api/regional", query_string={"lang": "en"}).get_json()
    first = data["sites"][0]
    assert first["slug"] == http_sites["slug"] and first["trouble"] is True
    assert (first["waiting"], first["counters_open"], first["zone"]) == (2, 0, "WITA")
    assert [r["code"] for r in first["reasons"]] == ["no_counter_open"]
    assert first["reasons"][0]["text"] == "Citizens waiting, no counter open"
    assert {http_sites["slug"], http_sites["mall"]} <= {s["slug"] for s in data["sites"]}
    assert [s["slug"] for s in data["sites"] if s["trouble"]] == [http_sites["slug"]]
    page = client.get("/counter/regional", query_string={"lang": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    html = html[html.index("<main") :]  # after the staff bar's site switcher
    # Marked in words, not by colour alone; the trouble row comes before the calm one.
    assert html.index("Needs attention") < html.index("RSUD Uji") < html.index("Running normally")


def test_a_bad_threshold_is_a_422_in_the_users_language(client, login, http_sites):
    login("admin")
    client.set_cookie(COOKIE, "id")
    answer = client.get("/counter/api/regional", query_string={"long_wait": "lama"})
    assert answer.status_code == 422
    assert answer.get_json()["message"].startswith("Batas menunggu lama")


def test_the_pages_in_indonesian_have_no_english(client, login, http_sites):
    login("admin")
    client.set_cookie(COOKIE, "id")
    page = client.get("/counter/regional")
    assert page.status_code == 200
    texts = visible_text(page.get_data(as_text=True))
    assert "Perlu perhatian" in " ".join(texts) and "Rumah sakit · sedang buka" in texts
    assert english_in(texts) == []
    data = client.get("/counter/api/regional").get_json()
    words = [r["text"] for s in data["sites"] for r in s["reasons"]]
    words += [s["kind_label"] for s in data["sites"]]
    assert english_in(words) == [] and "Ada warga menunggu, tidak ada loket yang buka" in words


def test_the_nav_links_to_it_for_the_installation_admin_only(client, login, http_sites):
    login("admin")
    assert "/counter/regional" in client.get("/counter/audit").get_data(as_text=True)
    login("site.admin")
    assert "/counter/regional" not in client.get("/counter/audit").get_data(as_text=True)


def test_demo_admin_is_the_installation_admin(app):
    with database(app).session_factory() as session:
        admin = session.execute(select(StaffUser).where(StaffUser.username == "admin")).scalar_one()
        assert admin.is_installation_admin
