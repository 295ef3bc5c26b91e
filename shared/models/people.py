"""Staff accounts and the priority groups citizens can choose."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.enums import StaffRole, check_constraints
from shared.models.base import Base, UTCDateTime, utcnow
from shared.models.site import Agency, Site


class StaffUser(Base):
    __tablename__ = "staff_user"
    __table_args__ = tuple(check_constraints("staff_user"))

    CLERK, SUPERVISOR, ADMIN = StaffRole
    ROLES = StaffRole.values()

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(12), default=CLERK)
    # Installation admin: an admin without a site. Site admin: an admin of one site. Clerks and
    # supervisors: a site and an agency of that site.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of every session's id: raising it ends all of this user's sessions at once
    # (sign-out, new password, deactivation, new role or agency; see shared/staff_sessions.py).
    session_generation: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Agency | None] = relationship()
    site: Mapped[Site | None] = relationship()

    # What Flask-Login asks of a user object (written out, so the model needs no Flask import).
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """Flask-Login's id in the session cookie: "<id>:<generation>"."""
        return f"{self.id}:{self.session_generation or 0}"

    @property
    def is_installation_admin(self) -> bool:
        return self.role == self.ADMIN and self.site_id is None

    def can_manage_site(self, site_id: int | None) -> bool:
        """Installation admins: every site; everyone else: only their own."""
        return self.is_installation_admin or (site_id is not None and site_id == self.site_id)

    def can_manage_agency(self, agency_id: int | None, site_id: int | None = None) -> bool:
        """Admins: every agency of their site(s); clerks and supervisors: only their own.

        A site admin's answer needs the agency's site: callers pass it (``site_id``)."""
        if self.role == self.ADMIN:
            return self.site_id is None or (site_id is not None and site_id == self.site_id)
        return agency_id is not None and agency_id == self.agency_id


class PriorityGroup(Base):
    """A kelompok rentan served with perlakuan khusus; "none" is the regular queue."""

    __tablename__ = "priority_group"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name_id: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    display_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
