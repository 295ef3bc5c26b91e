"""Which kiosk is asking: a device token (header, cookie or Socket.IO auth), or the demo kiosk.

The token is shown once when the kiosk is registered (``antre kiosk add``); the kiosk PC opens
``/kiosk/?token=…`` once and keeps it in an HttpOnly cookie. Only its SHA-256 is stored.
"""

from __future__ import annotations

from flask import current_app, request
from flask import session as browser_session
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from shared import config_cache, rows
from shared.models import Agency, Kiosk, Site
from shared.queue.errors import N_, DomainError
from shared.queue.sites import SLUG, default_site
from shared.seed import token_hash
from shared.sql import plain_rows

COOKIE = "antre_kiosk"
HEADER = "X-Kiosk-Token"
# Demo mode: the site whose tokenless demo kiosk this browser is (chosen by /kiosk/?site=<slug>).
DEMO_SITE = "kiosk_site"


# Built once: every ticket asks (building a statement cost more than running it). Each reads the
# kiosk with its site's configuration stamp, which the request's use of what the process keeps
# would read next (shared/config_cache.py). A plain read made an object by rows.loaded: the
# ORM's handling of it cost more than twice the read.
_KIOSK = select(*rows.columns_of(Kiosk), Site.config_stamp).join(Site, Site.id == Kiosk.site_id)
_BY_TOKEN = _KIOSK.where(Kiosk.token_hash == bindparam("hash"), Kiosk.active.is_(True))
# The demo kiosk of the site a slug names, or of the first active site: one statement, without
# loading the site (that read was a tenth of a demo tap's CPU).
_DEMO = _KIOSK.where(Kiosk.is_demo.is_(True), Kiosk.active.is_(True)).order_by(Kiosk.id)
_DEMO_OF_SLUG = _DEMO.where(Site.slug == bindparam("slug"), Site.active.is_(True)).limit(1)
_FIRST_SITE = select(Site.id).where(Site.active.is_(True)).order_by(Site.id).limit(1)
_DEMO_OF_FIRST_SITE = _DEMO.where(Kiosk.site_id == _FIRST_SITE.scalar_subquery()).limit(1)


class UnknownKiosk(DomainError):
    status = 401
    code = "unknown_kiosk"
    message = N_("This kiosk is not registered: ask the MPP's IT officer for its link.")


def find_kiosk(
    session: Session, token: str | None, demo: bool, site_slug: str | None = None
) -> Kiosk:
    """The active kiosk holding ``token``; without a token, in demo mode, the demo kiosk of the
    site ``site_slug`` names (or of the first site)."""
    found = None
    if token:
        found = plain_rows(session, _BY_TOKEN, {"hash": token_hash(token)}).first()
    elif demo and site_slug:
        if SLUG.match(site_slug):
            found = plain_rows(session, _DEMO_OF_SLUG, {"slug": site_slug}).first()
    elif demo:
        found = plain_rows(session, _DEMO_OF_FIRST_SITE).first()
        if found is None:
            default_site(session)  # no site at all: say so (NotFound) rather than "unknown kiosk"
    if found is None:
        raise UnknownKiosk()
    kiosk, stamp = rows.loaded(session, Kiosk, found[:-1], refresh=False), found[-1]
    config_cache.note_stamp(session, kiosk.site_id, stamp)
    return kiosk


def request_token() -> tuple[str | None, str]:
    """(token, where it came from): the header wins over the cookie."""
    token = request.headers.get(HEADER)
    if token:
        return token, "header"
    token = request.cookies.get(COOKIE)
    return (token, "cookie") if token else (None, "none")


def current_kiosk(session: Session) -> tuple[Kiosk, str]:
    token, source = request_token()
    demo = current_app.config["ANTRE"].demo
    return find_kiosk(session, token, demo, browser_session.get(DEMO_SITE)), source


def agency_ids(session: Session, kiosk: Kiosk) -> list[int]:
    """The active agencies this kiosk offers (all when it is not limited)."""
    stmt = (
        select(Agency.id)
        .where(Agency.site_id == kiosk.site_id, Agency.active.is_(True))
        .order_by(Agency.display_order)
    )
    if kiosk.agency_ids:
        stmt = stmt.where(Agency.id.in_(kiosk.agency_ids))
    return list(session.execute(stmt).scalars())


def kiosk_client(source: str) -> str:
    """What tells apart clients of one kiosk record, for idempotency keys.

    A token is one device. Without a token (the demo kiosk) every browser is the same kiosk, so
    the browser's session tells them apart: its CSRF secret, random per session, already there
    before the first ticket (the page made it, and the POST was checked against it) — so a retry
    after a lost answer still finds its ticket.
    """
    if source != "none":
        return ""
    return str(browser_session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), ""))
