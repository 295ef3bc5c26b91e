"""Staff accounts: argon2 password hashes, creation, sign-in, and the demo-password guard."""

from __future__ import annotations

import logging
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.audit import record_audit
from shared.models import Agency, StaffUser
from shared.passwords import DEMO_PASSWORD, check_new_password
from shared.staff_sessions import revoke_sessions

__all__ = ["DEMO_PASSWORD", "authenticate", "create_user", "revoke_sessions", "set_password"]

log = logging.getLogger(__name__)
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    """A hash nobody knows the password of, with the same parameters as real ones."""
    return hash_password(secrets.token_urlsafe(32))


@cache
def _demo_hash(password: str) -> str:
    """One hash of the demo's public password for every demo account: seeding the demo's ~75
    accounts would otherwise take one argon2 hash each (tens of seconds on a slow machine)."""
    return hash_password(password)


def verify_hash(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches an argon2 hash (for credentials that are not staff)."""
    return _verify(password_hash, password)


def check_no_password(password: str) -> None:
    """Spend one argon2 verification for nothing: an unknown name takes as long as a known one."""
    _verify(_dummy_hash(), password)


def verify_password(user: StaffUser, password: str) -> bool:
    return _verify(user.password_hash, password)


def authenticate(session: Session, username: str, password: str, *, demo: bool) -> StaffUser | None:
    """The active user ``username`` if ``password`` is theirs, else None.

    An unknown or inactive username costs one argon2 verification too (against a dummy hash), so
    the answer's timing does not tell which usernames exist. Outside demo mode the demo password
    never signs anyone in, even an account that still has it."""
    user = find_user(session, username) if username else None
    if user is None or not user.active:
        _verify(_dummy_hash(), password)
        return None
    if not verify_password(user, password):
        return None
    if not demo and password == DEMO_PASSWORD:
        return None
    return user


def set_password(user: StaffUser, password: str) -> None:
    """Check ``password`` against the rule (shared/passwords.py) and store its hash (which ends
    the user's other sessions: shared/staff_sessions.py)."""
    check_new_password(password, user.username)
    user.password_hash = hash_password(password)


def create_user(
    session: Session,
    username: str,
    password: str,
    *,
    name: str,
    role: str = StaffUser.CLERK,
    agency_id: int | None = None,
    site_id: int | None = None,
    demo_seed: bool = False,
) -> StaffUser:
    """A new account; its password follows the rule, except for the demo seed's accounts.

    Clerks and supervisors belong to an agency and so to its site; an admin with a ``site_id``
    is that site's admin, without one the installation's."""
    if role not in StaffUser.ROLES:
        raise ValueError(f"unknown role {role!r}")
    if role != StaffUser.ADMIN and agency_id is None:
        raise ValueError("clerks and supervisors belong to an agency")
    if role != StaffUser.ADMIN:
        site_id = session.get(Agency, agency_id).site_id
    user = StaffUser(username=username, name=name, role=role, agency_id=agency_id, site_id=site_id)
    if demo_seed:
        user.password_hash = _demo_hash(password)
    else:
        set_password(user, password)
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, username: str) -> StaffUser | None:
    return session.execute(
        select(StaffUser).where(StaffUser.username == username)
    ).scalar_one_or_none()


def disable_demo_password_accounts(session: Session) -> list[str]:
    """Outside demo mode: deactivate every active account still on the demo's well-known
    password, log it and note it in the audit log; the usernames. Flushes, never commits.

    The server keeps serving: an MPP server that reboots at night must be up in the morning."""
    disabled = []
    verdicts: dict[str, bool] = {}  # the demo's accounts share one hash: verify it once
    for user in session.execute(select(StaffUser).where(StaffUser.active)).scalars():
        if user.password_hash not in verdicts:
            verdicts[user.password_hash] = verify_password(user, DEMO_PASSWORD)
        if verdicts[user.password_hash]:
            user.active = False
            record_audit(
                session,
                None,
                "staff.disabled_demo_password",
                "staff",
                user.id,
                {"username": user.username},
            )
            log.warning(
                "account %r still had the demo password: deactivated. An admin can set a new "
                "password and reactivate it (admin page, or antre set-password).",
                user.username,
            )
            disabled.append(user.username)
    session.flush()
    return disabled
