"""A site's bridge: reading it for a change (active or not) and for a delivery (credentials)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import config_cache
from shared.bpjs.client import Credentials
from shared.bpjs.sealing import seal, unseal
from shared.config import Config
from shared.models import BpjsBridge

URLS = {
    ("rs", "prod"): "https://apijkn.bpjs-kesehatan.go.id/antreanrs/",
    ("rs", "dev"): "https://apijkn-dev.bpjs-kesehatan.go.id/antreanrs_dev/",
    ("fktp", "prod"): "https://apijkn.bpjs-kesehatan.go.id/antreanfktp/",
    ("fktp", "dev"): "https://apijkn-dev.bpjs-kesehatan.go.id/antreanfktp_dev/",
}


def base_url_for(variant: str, url: str) -> str:
    """``prod`` / ``dev`` name BPJS's servers; anything else must be an http(s) URL."""
    if url in ("prod", "dev"):
        return URLS[(variant, url)]
    if not url.startswith(("https://", "http://")):
        raise ValueError("the URL must be prod, dev or an http(s) address")
    return url if url.endswith("/") else url + "/"


def bridge_of(session: Session, site_id: int) -> BpjsBridge | None:
    return session.execute(select(BpjsBridge).where(BpjsBridge.site_id == site_id)).scalar()


def active_bridge(session: Session, site_id: int) -> BpjsBridge | None:
    bridge = bridge_of(session, site_id)
    return bridge if bridge is not None and bridge.active else None


def is_bridged(session: Session, site_id: int) -> bool:
    """Whether the site has an active bridge: kept with its configuration (shared/config_cache.py),
    so the changes of a site without one (every MPP) read nothing for BPJS."""
    return config_cache.kept(
        session, site_id, "bpjs bridged", lambda: active_bridge(session, site_id) is not None
    )


def set_bridge(
    session: Session,
    config: Config,
    site_id: int,
    *,
    cons_id: str | None = None,
    secret: str | None = None,
    user_key: str | None = None,
    url: str | None = None,
    variant: str | None = None,
    active: bool | None = None,
) -> BpjsBridge:
    """Create or change a site's bridge; a value left None (or empty) keeps what was stored."""
    bridge = bridge_of(session, site_id)
    if bridge is None:
        if not (cons_id and secret and user_key and url):
            raise ValueError("a new bridge needs the cons-id, secret, user key and URL")
        bridge = BpjsBridge(site_id=site_id, variant=variant or "rs", active=True)
        session.add(bridge)
    if variant:
        if variant not in ("rs", "fktp"):
            raise ValueError("the variant is rs or fktp")
        bridge.variant = variant
    if cons_id:
        bridge.cons_id = cons_id.strip()
    if secret:
        bridge.secret = seal(config, secret.strip())
    if user_key:
        bridge.user_key = seal(config, user_key.strip())
    if url:
        bridge.base_url = base_url_for(bridge.variant, url.strip())
    if active is not None:
        bridge.active = active
    session.flush()
    return bridge


def credentials(bridge: BpjsBridge, config: Config) -> Credentials:
    return Credentials(
        cons_id=bridge.cons_id,
        secret=unseal(config, bridge.secret),
        user_key=unseal(config, bridge.user_key),
        base_url=bridge.base_url,
    )
