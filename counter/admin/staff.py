"""Staff accounts. Admins manage everyone; a supervisor manages the clerks of their agency."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from counter.admin.base import Entity, agency_choices, is_admin, register
from counter.admin.fields import Field
from shared.accounts import DEMO_PASSWORD, set_password, verify_password
from shared.models import StaffUser
from shared.passwords import WeakPassword, password_weakness

ROLE_LABELS = {
    StaffUser.CLERK: _l("Clerk"),
    StaffUser.SUPERVISOR: _l("Agency supervisor"),
    StaffUser.ADMIN: _l("Site admin"),
}


def role_choices():
    roles = StaffUser.ROLES if is_admin() else (StaffUser.CLERK,)
    return [(r, ROLE_LABELS[r]) for r in roles]


def agency_or_none():
    return ([("", gettext("— none (mall admin) —"))] if is_admin() else []) + agency_choices()


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

    def form_fields(self, obj):
        return [
            Field("username", _l("Username"), required=True, max_length=60),
            Field("name", _l("Name"), required=True, max_length=120),
            Field("role", _l("Role"), kind="choice", choices=role_choices),
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
        if values["role"] == StaffUser.ADMIN:
            values["agency_id"] = None
        elif values["agency_id"] is None:
            errors["agency_id"] = gettext("Clerks and supervisors belong to an agency.")
        if obj is not None and obj.id == current_user.id and not values["active"]:
            errors["active"] = gettext("You cannot deactivate your own account.")
        return errors

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
