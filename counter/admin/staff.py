"""Staff accounts. An installation admin manages everyone, and alone makes installation admins;
a site admin manages the staff of their site; a supervisor, the clerks of their agency."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from counter.admin.base import Entity, agency_choices, is_admin, register
from counter.admin.fields import Field
from counter.site_scope import current_site
from shared.accounts import DEMO_PASSWORD, set_password, verify_password
from shared.enums import StaffRole
from shared.models import Agency, Site, StaffUser
from shared.passwords import WeakPassword, password_weakness

ROLE_LABELS = {role.value: _l(role.msgid) for role in StaffRole}


def role_choices():
    roles = StaffUser.ROLES if is_admin() else (StaffUser.CLERK,)
    return [(r, ROLE_LABELS[r]) for r in roles]


def agency_or_none():
    return ([("", gettext("— none (admin) —"))] if is_admin() else []) + agency_choices()


def site_choices():
    """An installation admin: every site, or none (another installation admin); a site admin:
    their own site only."""
    from shared.web.database import get_session

    if not current_user.is_installation_admin:
        return [(current_user.site_id, current_user.site.name)]
    sites = get_session().execute(select(Site).order_by(Site.name)).scalars()
    none = ("", gettext("— none (installation admin) —"))
    return [none] + [(s.id, s.name) for s in sites]


class Staff(Entity):
    key = "staff"
    title = _l("Staff accounts")
    model = StaffUser
    supervisors = True
    order_by = "username"
    columns = [
        (_l("Username"), "username"),
        (_l("Name"), "name"),
        (_l("Role"), "role"),
        (_l("Active"), "active"),
    ]

    def rows(self, session):
        """The staff of the site worked on; an installation admin also sees the other
        installation admins."""
        rows = super().rows(session)
        if current_user.is_installation_admin:
            others = select(StaffUser).where(StaffUser.site_id.is_(None))
            rows = list(session.execute(others.order_by(StaffUser.username)).scalars()) + rows
        return rows

    def initial(self, field):
        if field.name == "site_id":
            return current_site().id  # a new account is of the site worked on, never by default
        return super().initial(field)

    def cell(self, obj, attribute):
        if attribute == "role":
            if obj.is_installation_admin:
                return gettext("Installation admin")
            return ROLE_LABELS.get(obj.role, obj.role)
        return super().cell(obj, attribute)

    def form_fields(self, obj):
        site = [Field("site_id", _l("Site"), kind="choice", choices=site_choices)]
        return [
            Field("username", _l("Username"), required=True, max_length=60),
            Field("name", _l("Name"), required=True, max_length=120),
            Field("role", _l("Role"), kind="choice", choices=role_choices),
            *(site if is_admin() else []),
            Field("agency_id", _l("Agency"), kind="choice", choices=agency_or_none),
            Field(
                "password",
                _l("New password (at least 8 characters)")
                if obj is not None
                else _l("Password (at least 8 characters)"),
                kind="password",
                required=obj is None,
                max_length=200,
            ),
            Field("active", _l("Active"), kind="bool"),
        ]

    def may_edit(self, obj):
        return is_admin() or (
            obj.agency_id == current_user.agency_id and obj.role == StaffUser.CLERK
        )

    def describe(self, obj):
        return obj.username

    def check(self, session, obj, values):
        errors = {}
        values["agency_id"] = values["agency_id"] or None
        other = session.execute(
            select(StaffUser).where(StaffUser.username == values["username"])
        ).scalar()
        if other is not None and other is not obj:
            errors["username"] = gettext("This username is taken.")
        weakness = values["password"] and password_weakness(values["password"], values["username"])
        if weakness:
            errors["password"] = WeakPassword(weakness).message
        elif self._reactivates_demo_password(obj, values):
            errors["password"] = gettext("This account still has the demo password: set a new one.")
        errors.update(self._check_site(session, values))
        if obj is not None and obj.id == current_user.id and not values["active"]:
            errors["active"] = gettext("You cannot deactivate your own account.")
        return errors

    @staticmethod
    def _check_site(session, values) -> dict:
        """An admin is of the site chosen (none: the installation's); a clerk or supervisor is
        of their agency's site, which must be the one chosen. The choices already hold only
        what the user may give (a site admin: their own site, an agency of it)."""
        site_id = values.get("site_id", current_site().id) or None
        values["site_id"] = site_id
        if values["role"] == StaffUser.ADMIN:
            values["agency_id"] = None
            return {}
        if values["agency_id"] is None:
            return {"agency_id": gettext("Clerks and supervisors belong to an agency.")}
        agency_site = session.get(Agency, values["agency_id"]).site_id
        if site_id is not None and site_id != agency_site:
            return {"site_id": gettext("The agency is of another site.")}
        values["site_id"] = agency_site
        return {}

    @staticmethod
    def _reactivates_demo_password(obj, values) -> bool:
        # Outside demo mode such an account was disabled at start-up; it may come back only
        # with a new password.
        return (
            obj is not None
            and values["active"]
            and not values["password"]
            and not current_app.config["ANTRE"].demo
            and verify_password(obj, DEMO_PASSWORD)
        )

    def assign(self, session, obj, values):
        password = values.pop("password")
        super().assign(session, obj, values)
        if password:
            set_password(obj, password)  # checked in check() already; one rule, one place
        values["password"] = password


register(Staff())
