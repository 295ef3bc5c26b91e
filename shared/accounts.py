"""Staff accounts: argon2 password hashes, creation, and the demo-password guard."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.config import ConfigError
from shared.models import StaffUser

DEMO_PASSWORD = "antre123"  # noqa: S105 - the demo's password, refused outside demo mode
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: StaffUser, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(
    session: Session,
    username: str,
    password: str,
    *,
    name: str,
    role: str = StaffUser.CLERK,
    agency_id: int | None = None,
) -> StaffUser:
    if role not in StaffUser.ROLES:
        raise ValueError(f"unknown role {role!r}")
    if role != StaffUser.ADMIN and agency_id is None:
        raise ValueError("clerks and supervisors belong to an agency")
    if len(password) < 8:
        raise ValueError("a password has at least 8 characters")
    user = StaffUser(
        username=username,
        name=name,
        password_hash=hash_password(password),
        role=role,
        agency_id=agency_id,
    )
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, username: str) -> StaffUser | None:
    return session.execute(
        select(StaffUser).where(StaffUser.username == username)
    ).scalar_one_or_none()


def refuse_demo_passwords(session: Session) -> None:
    """Outside demo mode no active account may still have the demo's well-known password."""
    for user in session.execute(select(StaffUser).where(StaffUser.active)).scalars():
        if verify_password(user, DEMO_PASSWORD):
            raise ConfigError(
                f"account {user.username!r} still has the demo password: change it "
                "(antre set-password) or run in demo mode with ANTRE_DEMO=1"
            )
