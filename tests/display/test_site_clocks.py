"""Each site keeps its own clock: a WITA and a WIT site around local midnight.

At 14:30 UTC it is 22:30 WITA and 23:30 WIT on the 23rd; at 15:30 UTC it is still the 23rd in
Makassar but already 00:30 on the 24th in Jayapura, so the WIT site's day (and numbering) starts
again while the WITA site's goes on. Domain tests, no Flask.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from shared import queue, signage
from shared.models import Display

BEFORE = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
AFTER = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)


def test_business_day_and_tv_clock_follow_the_sites_zone(session, factory):
    factory.mall()  # the first site (WIB), as every installation has
    wita = factory.site("Asia/Makassar", slug="mpp-makassar")
    wit = factory.site("Asia/Jayapura", slug="rsud-jayapura", kind="hospital")
    services, tvs = {}, {}
    for site in (wita, wit):
        service = factory.service(factory.agency(site=site), prefix="A")  # same prefix: per site
        factory.counter([service])
        tvs[site.slug] = Display(site_id=site.id, name=f"TV {site.slug}")
        services[site.slug] = service
    session.add_all(tvs.values())
    session.flush()

    tickets = {
        slug: [queue.issue_ticket(session, s.id, now=now) for now in (BEFORE, AFTER)]
        for slug, s in services.items()
    }
    session.commit()
    days = {slug: [t.business_date for t in found] for slug, found in tickets.items()}
    assert days["mpp-makassar"] == [date(2026, 11, 23), date(2026, 11, 23)]
    assert days["rsud-jayapura"] == [date(2026, 11, 23), date(2026, 11, 24)]
    numbers = {slug: [t.display_number for t in found] for slug, found in tickets.items()}
    assert numbers == {"mpp-makassar": ["A-001", "A-002"], "rsud-jayapura": ["A-001", "A-001"]}

    for slug, zone_name, offset in (("mpp-makassar", "WITA", 480), ("rsud-jayapura", "WIT", 540)):
        state = signage.build_zone_state(session, tvs[slug], AFTER)
        assert state["site"]["timezone"] == services[slug].agency.site.timezone
        assert (state["site"]["zone_name"], state["site"]["utc_offset_minutes"]) == (
            zone_name,
            offset,
        )
    # On the TV of the WIT site the day is the 24th: the tickets of the 23rd are not waiting.
    jayapura = signage.build_zone_state(session, tvs["rsud-jayapura"], AFTER)
    assert jayapura["services"][0]["waiting"] == 1
    makassar = signage.build_zone_state(session, tvs["mpp-makassar"], AFTER)
    assert makassar["services"][0]["waiting"] == 2
