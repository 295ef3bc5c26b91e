"""The transactional outbox: everything that leaves the system, written with the change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, UTCDateTime, utcnow


class OutboxMessage(Base):
    """One message to deliver (a webhook call, an alert, a BPJS call), at least once.

    ``uid`` is the message's stable id: every retry carries it, so a receiver can drop repeats.
    ``key`` orders delivery: of the undelivered messages sharing a key, only the oldest is
    claimed (BPJS task ids of one booking, alerts of one ticket). A claim is a lease
    (``claimed_until``): a relay killed mid-delivery loses it, and another retries.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "delivered_at", "failed_at", "not_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"), index=True)
    key: Mapped[str | None] = mapped_column(String(80), index=True)
    # What the handler needs, and which row it belongs to (a webhook, a subscription), for the
    # admin pages; personal data only where the message itself needs it (an alert's phone).
    payload: Mapped[dict] = mapped_column(JSON)
    ref_type: Mapped[str | None] = mapped_column(String(20))
    ref_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_status: Mapped[int | None] = mapped_column(Integer)
