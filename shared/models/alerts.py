"""A citizen's request to be told: "3 lagi", "Giliran Anda", a new number after a step."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.models.base import Base, UTCDateTime, utcnow
from shared.models.tickets import Visit

CHANNELS = ("whatsapp", "sms", "push")


class AlertSubscription(Base):
    """One channel of one visit (it follows the visit through transfers and pathway steps).

    The phone (E.164) or the push subscription is personal data: it is used for this visit's
    alerts only, never put on a socket or a page, and erased by the daily purge after
    ``erase_after``.
    """

    __tablename__ = "alert_subscription"
    __table_args__ = (UniqueConstraint("visit_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(16))
    push_endpoint: Mapped[str | None] = mapped_column(Text)
    push_keys: Mapped[dict | None] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(5), default="id")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The ticket whose "N lagi" was already sent (a new step's ticket gets its own).
    near_sent_ticket_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    erase_after: Mapped[date] = mapped_column(Date, index=True)

    visit: Mapped[Visit] = relationship()
