"""Finding a site: by id, by slug, the site a service or counter belongs to, and the one site of
a one-site installation (where every URL without ``?site=`` keeps working).

The site is resolved once, by the view or socket handler (from a device token, a staff member's
role or a slug), and handed to domain functions as an argument; a domain function that has a
service, counter or ticket in hand asks for that row's site. Nothing reads it from a global.
"""

from __future__ import annotations

import re

from sqlalchemy import bindparam, exists, func, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from shared import config_cache
from shared.models import Agency, Doctor, Service, Site
from shared.queue import errors

PINNED = "antre.sites"
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def get_site(session: Session, site_id: int) -> Site:
    """The site with this id (from the identity map after the first look-up, else from what the
    process keeps of the site's configuration: shared/config_cache.py)."""
    site = config_cache.attach(
        session,
        config_cache.kept(
            session, site_id, "site", lambda: config_cache.detach(session.get(Site, site_id))
        ),
    )
    if site is None:
        raise errors.NotFound(errors.N_("Unknown site."))
    # The identity map holds rows weakly: a site nothing refers to any more would be read again
    # by the next look-up of the same request (a ticket asked three times). Keep it for the session.
    session.info.setdefault(PINNED, {})[site_id] = site
    return site


def site_of_service(session: Session, service: Service) -> Site:
    return get_site(session, service.site_id)


def agency_of_service(session: Session, service: Service) -> Agency:
    """The service's agency, which every ticket's payloads name: when the service came without it
    (a counter's services), from what the process keeps of the site's configuration instead of a
    statement in each staff action."""
    if "agency" not in inspect(service).dict:

        def read() -> Agency | None:
            return config_cache.detach(session.get(Agency, service.agency_id))

        kept = config_cache.kept(session, service.site_id, ("agency", service.agency_id), read)
        set_committed_value(service, "agency", config_cache.attach(session, kept))
    return service.agency


_ANY_DOCTOR = select(exists().where(Doctor.site_id == bindparam("site_id")))


def has_doctors(session: Session, site_id: int) -> bool:
    """Whether the site has any doctor, active or not. A site without one (every MPP) has no
    doctors' sessions, so placing its queues need not read the day's sessions; kept with the
    site's configuration, which a doctor's change stamps anew."""

    def read() -> bool:
        return bool(session.execute(_ANY_DOCTOR, {"site_id": site_id}).scalar())

    return config_cache.kept(session, site_id, "has_doctors", read)


_BY_SLUG = select(Site).where(Site.slug == bindparam("slug"), Site.active.is_(True))


def site_by_slug(session: Session, slug: str | None) -> Site | None:
    if not slug or not SLUG.match(slug):
        return None
    return session.execute(_BY_SLUG, {"slug": slug}).scalar_one_or_none()


def only_site(session: Session) -> Site | None:
    """The installation's site when it has exactly one active site, else None."""
    found = session.execute(select(Site).where(Site.active.is_(True)).limit(2)).scalars().all()
    return found[0] if len(found) == 1 else None


# Built once: the demo kiosk asks on every ticket.
_FIRST_ACTIVE = select(Site).where(Site.active.is_(True)).order_by(Site.id).limit(1)


def default_site(session: Session) -> Site:
    """The site a page without ``?site=`` means: the only one, or the first (by id) of several.

    For places where one site must be chosen without asking (the demo's start page, a CLI
    command without ``--site``); public pages of a many-site installation ask instead.
    """
    site = session.execute(_FIRST_ACTIVE).scalar_one_or_none()
    if site is None:
        raise errors.NotFound(errors.N_("No site is set up yet: run 'antre seed-demo'."))
    return site


def active_sites(session: Session) -> list[Site]:
    return list(
        session.execute(select(Site).where(Site.active.is_(True)).order_by(Site.name)).scalars()
    )


def site_count(session: Session) -> int:
    return session.execute(
        select(func.count()).select_from(Site).where(Site.active.is_(True))
    ).scalar_one()


def offers_priority(site: Site, code: str) -> bool:
    """Whether the site offers this priority group (an empty choice offers every group)."""
    return not site.priority_codes or code in site.priority_codes


def site_json(site: Site) -> dict:
    """What every ticket, booking and snapshot JSON carries about its site."""
    return {"slug": site.slug, "name": site.name, "timezone": site.timezone}
