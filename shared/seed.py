"""``antre seed-demo``: the demo sites of Kabupaten Tebo, created once; running it again changes
nothing."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import demo_data, demo_sites
from shared.accounts import DEMO_PASSWORD, create_user, find_user
from shared.mobilejkn.credentials import set_credentials
from shared.models import (
    Agency,
    Counter,
    Display,
    JknCredential,
    Kiosk,
    PriorityGroup,
    Service,
    Site,
    SlotTemplate,
    StaffUser,
)
from shared.seed_health import seed_health

DEMO_SITES = [demo_data.MPP, *demo_sites.HEALTH_SITES]


def _slug(short_name: str) -> str:
    return "".join(ch for ch in short_name.lower() if ch.isalnum())


def _get(session: Session, model, **keys):
    return session.execute(select(model).filter_by(**keys)).scalar_one_or_none()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def seed_demo(session: Session, *, always_open: bool = True, open_counters: bool = True) -> bool:
    """Create what is missing of the demo (Pemerintah Kabupaten Tebo: its MPP, RSUD, puskesmas
    and mobile puskesmas); True if anything was created.

    ``always_open`` gives every site round-the-clock hours so that a demo started in the evening
    still takes tickets (the passport services keep their morning hours, to show a closed one);
    ``open_counters`` opens every counter as if the clerks had signed in.
    """
    created = False
    for order, (code, name_id, name_en) in enumerate(demo_data.PRIORITY_GROUPS):
        if session.get(PriorityGroup, code) is None:
            session.add(
                PriorityGroup(code=code, name_id=name_id, name_en=name_en, display_order=order)
            )
            created = True
    if find_user(session, "admin") is None:
        create_user(
            session,
            "admin",
            DEMO_PASSWORD,
            name="Admin Kabupaten Tebo",
            role=StaffUser.ADMIN,
            demo_seed=True,
        )
        created = True
    for spec in DEMO_SITES:
        created |= _seed_site(session, spec, always_open, open_counters)
    session.flush()
    return created


def _seed_site(session: Session, spec: dict, always_open: bool, open_counters: bool) -> bool:
    created = False
    site = _get(session, Site, slug=spec["site"]["slug"])
    if site is None:
        hours = demo_data.ALL_DAY if always_open else spec["hours"]
        site = Site(**spec["site"], opening_hours=hours)
        session.add(site)
        session.flush()
        created = True
    for order, agency in enumerate(spec["agencies"]):
        created |= _seed_agency(session, site, spec, order, *agency, open_counters)
    created |= seed_health(session, site, spec, open_counters)
    created |= _seed_devices(session, site, spec)
    created |= _seed_booking_slots(session, site, spec["bookable"])
    created |= _seed_mobile_jkn(session, site, spec.get("mobile_jkn"))
    return created


def _seed_mobile_jkn(session: Session, site: Site, username: str | None) -> bool:
    """The demo hospital's Mobile JKN login (seed_demo runs only in demo mode)."""
    if not username or session.get(JknCredential, site.id) is not None:
        return False
    set_credentials(session, site, username, DEMO_PASSWORD)
    return True


def _seed_booking_slots(session: Session, site: Site, bookable: dict[str, int]) -> bool:
    taken = select(SlotTemplate.id).join(Service).where(Service.site_id == site.id).limit(1)
    if not bookable or session.execute(taken).first() is not None:
        return False
    for code, capacity in bookable.items():
        service = _get(session, Service, site_id=site.id, code=code)
        for weekday in range(5):
            for start, end in demo_data.BOOKING_SLOTS:
                session.add(
                    SlotTemplate(
                        service=service, weekday=weekday, start=start, end=end, capacity=capacity
                    )
                )
    return True


def _seed_agency(
    session, site, spec, order, name, short, colour, services, counters, open_counters
) -> bool:
    created = False
    agency = _get(session, Agency, site_id=site.id, name=name)
    if agency is None:
        agency = Agency(site=site, name=name, short_name=short, colour=colour, display_order=order)
        session.add(agency)
        session.flush()
        created = True
    by_code = {}
    for index, (code, prefix, title, minutes, quota, req, proc, duration, cost) in enumerate(
        services
    ):
        service = _get(session, Service, site_id=site.id, code=code)
        if service is None:
            service = Service(
                agency=agency,
                code=code,
                prefix=prefix,
                name=title,
                avg_service_minutes=minutes,
                daily_quota=quota,
                requirements=req,
                procedure=proc,
                duration=duration,
                cost=cost,
                opening_hours=spec["service_hours"].get(code),
                display_order=index,
            )
            session.add(service)
            created = True
        by_code[code] = service
    # Usernames are unique across the installation: each site but the MPP prefixes its own. A
    # site with its own staff list (the RSUD) gets those accounts instead (shared/seed_health.py).
    own_staff = "staff" in spec
    slug = spec["users"] + _slug(short)
    if not own_staff and find_user(session, f"spv.{slug}") is None:
        create_user(
            session,
            f"spv.{slug}",
            DEMO_PASSWORD,
            name=f"Supervisor {short}",
            role=StaffUser.SUPERVISOR,
            agency_id=agency.id,
            demo_seed=True,
        )
        created = True
    for index, (number, label, zone, codes) in enumerate(counters, start=1):
        username = f"{slug}{index}"
        clerk = None if own_staff else find_user(session, username)
        if clerk is None and not own_staff:
            clerk = create_user(
                session,
                username,
                DEMO_PASSWORD,
                name=f"Petugas {short} {index}",
                agency_id=agency.id,
                demo_seed=True,
            )
        if _get(session, Counter, site_id=site.id, number=number) is None:
            session.add(
                Counter(
                    agency=agency,
                    number=number,
                    name=label,
                    zone=zone,
                    services=[by_code[c] for c in codes],
                    status=Counter.OPEN if open_counters else Counter.CLOSED,
                    clerk_id=clerk.id if open_counters and clerk else None,
                )
            )
            created = True
    return created


def _seed_devices(session: Session, site: Site, spec: dict) -> bool:
    created = False
    if _get(session, Kiosk, site_id=site.id, name=spec["kiosk"]) is None:
        session.add(
            Kiosk(
                site=site,
                name=spec["kiosk"],
                token_hash=token_hash(secrets.token_urlsafe(24)),
                is_demo=True,
                printer_uri="",
                agency_ids=[],
            )
        )
        created = True
    agencies = {
        a.short_name: a.id
        for a in session.execute(select(Agency).where(Agency.site_id == site.id)).scalars()
    }
    for name, shorts, counter_ids in spec["displays"]:
        if _get(session, Display, site_id=site.id, name=name) is None:
            session.add(
                Display(
                    site=site,
                    name=name,
                    agency_ids=[agencies[s] for s in shorts if s in agencies],
                    counter_ids=counter_ids,
                )
            )
            created = True
    return created


def demo_logins(session: Session) -> list[dict]:
    """The demo accounts by site, for run.py to print: ``{"slug", "name", "logins": [(username,
    role, agency)]}``, the installation's own accounts (the admin) first with slug None."""
    sites = session.execute(select(Site).order_by(Site.id)).scalars().all()
    groups = {None: {"slug": None, "name": "Kabupaten Tebo", "logins": []}}
    groups |= {site.id: {"slug": site.slug, "name": site.name, "logins": []} for site in sites}
    for user in session.execute(select(StaffUser).order_by(StaffUser.id)).scalars():
        agency = user.agency.short_name if user.agency else "semua"
        groups.get(user.site_id, groups[None])["logins"].append((user.username, user.role, agency))
    return list(groups.values())
