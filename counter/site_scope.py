"""The site a staff request works on: a clerk's, supervisor's or site admin's own site; for an
installation admin, the site chosen with ``?site=<slug>`` (kept for the browser session) or,
until one is chosen, the first site.

Every list in the counter app (agencies, counters, kiosks, TVs, reports) is of this site, and
every object named by id is checked against it (shared.web.auth)."""

from __future__ import annotations

from flask import request
from flask import session as browser_session
from flask_login import current_user
from sqlalchemy import select

from shared.models import Site
from shared.queue.errors import N_, DomainError
from shared.queue.sites import default_site, get_site, site_by_slug, site_count
from shared.web.database import get_session

CHOSEN = "admin_site"


class NoSiteYet(DomainError):
    """A new installation: its installation admin creates the first site before anything else
    (the counter blueprint sends the pages there)."""

    status = 409
    code = "no_site_yet"
    message = N_("Create the installation's first site.")


def current_site() -> Site:
    session = get_session()
    if current_user.site_id is not None:
        return get_site(session, current_user.site_id)
    slug = request.args.get("site") or browser_session.get(CHOSEN)
    site = site_by_slug(session, slug) if slug else None
    if site is None:
        if site_count(session) == 0:
            raise NoSiteYet()
        return default_site(session)
    browser_session[CHOSEN] = site.slug
    return site


def site_switcher() -> dict | None:
    """For an installation admin's pages: the site worked on and every site to switch to (a
    ``?site=<slug>`` on the same page); None for everyone else, who has one site."""
    if not (current_user.is_authenticated and current_user.is_installation_admin):
        return None
    session = get_session()
    sites = session.execute(select(Site).where(Site.active.is_(True)).order_by(Site.name))
    sites = list(sites.scalars())
    return {"current": current_site() if sites else None, "sites": sites}
