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


class AlertText(Base):
    """A site's own wording of one alert in one language (none: the built-in text)."""

    __tablename__ = "alert_text"
    __table_args__ = (UniqueConstraint("site_id", "key", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    key: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5))
    text: Mapped[str] = mapped_column(Text)


class NotifyGateway(Base):
    """A site's HTTP gateway for WhatsApp and/or SMS alerts (shared/alerts/gateways.py).

    ``headers`` may hold a provider's token: stored, used when sending, never shown back whole.
    ``body_template`` holds placeholders ({id} {to} {to_digits} {channel} {text} {ticket}
    {link}), escaped for JSON or url-encoded for a form body when a message is sent.
    """

    __tablename__ = "notify_gateway"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    channels: Mapped[str] = mapped_column(String(10), default="both")  # whatsapp | sms | both
    preset: Mapped[str] = mapped_column(String(20), default="custom")
    url: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    body_format: Mapped[str] = mapped_column(String(4), default="json")  # json | form
    body_template: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def serves(self, channel: str) -> bool:
        return self.channels in (channel, "both")
