"""Staff accounts and the priority groups citizens can choose."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.models.base import Base, UTCDateTime, utcnow
from shared.models.mall import Agency


class StaffUser(Base):
    __tablename__ = "staff_user"

    CLERK, SUPERVISOR, ADMIN = "clerk", "supervisor", "admin"
    ROLES = (CLERK, SUPERVISOR, ADMIN)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(12), default=CLERK)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Agency | None] = relationship()


class PriorityGroup(Base):
    """A kelompok rentan served with perlakuan khusus; "none" is the regular queue."""

    __tablename__ = "priority_group"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name_id: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    display_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
