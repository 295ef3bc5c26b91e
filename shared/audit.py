"""The audit log of admin changes and sensitive clerk actions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from shared.models import AuditLog, StaffUser
from shared.timeutil import now_utc


def record_audit(
    session: Session,
    actor: StaffUser | None,
    action: str,
    target_type: str,
    target_id: int | None,
    details: dict | None = None,
    *,
    at: datetime | None = None,
) -> AuditLog:
    entry = AuditLog(
        at=at or now_utc(),
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details or {},
    )
    session.add(entry)
    return entry
