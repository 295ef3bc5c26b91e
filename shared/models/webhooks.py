"""Signed webhooks: a site's integrators (a regency dashboard, a hospital system) get events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.models.base import Base, UTCDateTime, utcnow
from shared.models.site import Site


class Webhook(Base):
    """A URL that receives the events it subscribed to, signed with ``secret`` (HMAC-SHA256).

    The secret is kept (the relay signs with it) but shown in full only once, at creation.
    ``include_personal_data``: a booking's name and phone go in the payload only when ticked.
    """

    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(128))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    include_personal_data: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    site: Mapped[Site] = relationship()

    @property
    def secret_hint(self) -> str:
        """What a page shows of the secret: its last four characters."""
        return "…" + self.secret[-4:]
