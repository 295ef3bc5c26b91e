"""BPJS Antrean Online: a site's bridge (credentials sealed at rest) and what each visit sent.

``BpjsVisit`` gives a JKN visit its stable booking code (kodebooking) and remembers whether
``antrean/add`` was written; ``BpjsTask`` keeps every task id written for a visit, once, with the
time sent (ms), so a task is never sent twice and times only increase (shared/bpjs/tasks.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, UTCDateTime, utcnow

VARIANTS = ("rs", "fktp")


class BpjsBridge(Base):
    """One site's connection to BPJS; off (no row, or ``active`` false) unless configured.

    ``secret`` and ``user_key`` hold Fernet tokens (shared/bpjs/sealing.py), never the clear text.
    """

    __tablename__ = "bpjs_bridge"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), unique=True)
    variant: Mapped[str] = mapped_column(String(8), default="rs")
    cons_id: Mapped[str] = mapped_column(String(40))
    secret: Mapped[str] = mapped_column(String(400))
    user_key: Mapped[str] = mapped_column(String(400))
    base_url: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class BpjsVisit(Base):
    __tablename__ = "bpjs_visit"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    kodebooking: Mapped[str] = mapped_column(String(40), unique=True)
    added: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BpjsTask(Base):
    __tablename__ = "bpjs_task"
    __table_args__ = (UniqueConstraint("visit_id", "task_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    task_id: Mapped[int] = mapped_column(Integer)
    waktu: Mapped[int] = mapped_column(BigInteger)  # ms since the epoch, as sent
    message_uid: Mapped[str] = mapped_column(String(32))
