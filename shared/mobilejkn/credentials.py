"""The credentials BPJS uses at a site and the tokens it gets for them.

The password is kept as an argon2 hash, like staff passwords. A token is signed (itsdangerous,
with the installation's secret key), not stored: it names the site, the username, a fingerprint
of the password hash (changing the password ends every token) and its expiry, so it works on
every process of a multi-process install without a shared table.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from shared import timeutil
from shared.accounts import check_no_password, hash_password, verify_hash
from shared.mobilejkn.errors import Refused
from shared.models import JknCredential, Site
from shared.passwords import DEMO_PASSWORD

TOKEN_SECONDS = 3600
_SALT = "mobilejkn-token"


def set_credentials(
    session: Session, site: Site, username: str, password: str, *, now: datetime | None = None
) -> JknCredential:
    """Store (or replace) the x-username / x-password BPJS will send for ``site``."""
    username = (username or "").strip()
    if not username or len(username) > 80 or len(password or "") < 8:
        raise ValueError("username required; password at least 8 characters")
    row = session.get(JknCredential, site.id) or JknCredential(site_id=site.id)
    row.username = username
    row.password_hash = hash_password(password)
    row.updated_at = now or timeutil.now_utc()
    session.add(row)
    session.flush()
    return row


def _fingerprint(row: JknCredential) -> str:
    return hashlib.sha256(row.password_hash.encode()).hexdigest()[:16]


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=_SALT)


def issue_token(
    session: Session,
    site: Site,
    username: str,
    password: str,
    secret_key: str,
    now: datetime,
    *,
    demo: bool = False,
) -> str:
    """A token for the right username and password, else Refused (one argon2 check either way).
    Outside demo mode the demo's public password never gives a token, even where it is set
    (a demo database put into production), as for staff accounts."""
    row = session.get(JknCredential, site.id)
    if row is None or row.username != (username or ""):
        check_no_password(password or "")
        raise Refused("Username atau Password Tidak Sesuai")
    if not verify_hash(row.password_hash, password or ""):
        raise Refused("Username atau Password Tidak Sesuai")
    if not demo and password == DEMO_PASSWORD:
        raise Refused("Username atau Password Tidak Sesuai")
    expires = int((now + timedelta(seconds=TOKEN_SECONDS)).timestamp())
    payload = {"s": site.id, "u": row.username, "p": _fingerprint(row), "exp": expires}
    return _serializer(secret_key).dumps(payload)


def check_token(
    session: Session, site: Site, username: str, token: str, secret_key: str, now: datetime
) -> None:
    """Refused unless ``token`` was issued for this site and username, and is still valid."""
    if not token or not username:
        raise Refused("Token dan username wajib diisi")
    try:
        payload = _serializer(secret_key).loads(token)
    except BadSignature:
        raise Refused("Token Tidak Valid") from None
    row = session.get(JknCredential, site.id)
    if (
        not isinstance(payload, dict)
        or row is None
        or payload.get("s") != site.id
        or payload.get("u") != username
        or row.username != username
        or payload.get("p") != _fingerprint(row)
    ):
        raise Refused("Token Tidak Valid")
    if not isinstance(payload.get("exp"), int) or payload["exp"] <= now.timestamp():
        raise Refused("Token Expired")
