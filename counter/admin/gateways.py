"""A site's WhatsApp/SMS gateways (docs/alerts.md): presets, secrets shown masked, a test message.

A preset (WhatsApp Business Cloud API, Fonnte) fills the URL, headers and body template of a
new gateway with the provider's documented request: the admin replaces the <…> parts with their
own phone number id or token. Headers are shown back masked ("Bearer EAAG••••"); sent back
unchanged, they keep the stored value.
"""

from __future__ import annotations

import json

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from counter.admin.base import Entity, register
from counter.admin.fields import Field, FieldError
from counter.blueprint import bp
from counter.site_scope import current_site
from shared.alerts import InvalidPhone, mask_phone, normalise_phone
from shared.alerts.gateways import (
    PLACEHOLDERS,
    PRESETS,
    check_template,
    check_url,
    masked_headers,
    merge_headers,
)
from shared.audit import record_audit
from shared.models import NotifyGateway, OutboxMessage, StaffUser
from shared.outbox import enqueue
from shared.web.auth import require_roles
from shared.web.database import get_session


def channel_choices():
    return [
        ("both", gettext("WhatsApp and SMS")),
        ("whatsapp", "WhatsApp"),
        ("sms", "SMS"),
    ]


def preset_choices():
    return [(p.key, p.label if p.key != "custom" else gettext("Custom")) for p in PRESETS.values()]


class HeadersField(Field):
    """A JSON object of header names and values; secrets come back masked."""

    def value_of(self, obj) -> object:
        if obj is None:
            return None
        return json.dumps(masked_headers(obj.headers), ensure_ascii=False)

    def parse(self, form) -> object:
        raw = form.get(self.name, "").strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except ValueError:
            value = None
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and "\n" not in v for k, v in value.items()
        ):
            raise FieldError(gettext('Write the headers like {"Authorization": "Bearer …"}.'))
        return value


class Gateways(Entity):
    key = "gateways"
    title = _l("WhatsApp and SMS gateways")
    model = NotifyGateway
    deletable = True
    list_template = "counter/admin/gateway_presets.html"
    edit_template = "counter/admin/gateway_test.html"
    fields = [
        Field("name", _l("Name"), required=True, max_length=80),
        Field("channels", _l("Sends"), kind="choice", choices=channel_choices),
        Field(
            "preset",
            _l("Preset"),
            kind="choice",
            choices=preset_choices,
            help=_l("Empty fields are filled from the preset's documented request."),
        ),
        Field("url", _l("URL"), max_length=500),
        HeadersField(
            "headers",
            _l("Headers (JSON)"),
            kind="textarea",
            max_length=2000,
            help=_l("Tokens are stored and never shown back whole."),
        ),
        Field(
            "body_format",
            _l("Body"),
            kind="choice",
            choices=lambda: [("json", "JSON"), ("form", gettext("Form (urlencoded)"))],
        ),
        Field(
            "body_template",
            _l("Body template"),
            kind="textarea",
            max_length=2000,
            help=_l("Empty: the preset's. Its placeholders are listed below the form."),
        ),
        Field("active", _l("Active"), kind="bool"),
    ]
    columns = [
        (_l("Name"), "name"),
        (_l("Sends"), "channels"),
        (_l("Preset"), "preset"),
        (_l("Active"), "active"),
    ]

    def initial(self, field):
        """A new gateway started from a preset (``?preset=fonnte``) shows its request."""
        chosen = PRESETS.get(request.args.get("preset", ""))
        if chosen is not None:
            if field.name == "headers":
                return json.dumps(chosen.headers) if chosen.headers else ""
            if field.name in ("preset", "channels", "url", "body_format", "body_template"):
                return getattr(chosen, field.name if field.name != "preset" else "key")
        return super().initial(field)

    def placeholders(self) -> str:
        return " ".join("{" + name + "}" for name in PLACEHOLDERS)

    def presets(self):
        return [p for p in PRESETS.values() if p.key != "custom"]

    def recent_tests(self, obj) -> list[dict]:
        return [
            {
                "at": m.created_at,
                "state": "delivered" if m.delivered_at else "failed" if m.failed_at else "waiting",
                "error": m.last_error,
            }
            for m in recent_tests(obj)
        ]

    def cell(self, obj, attribute):
        if attribute == "preset":
            return PRESETS[obj.preset].label if obj.preset in PRESETS else obj.preset
        return super().cell(obj, attribute)

    def check(self, session, obj, values):
        chosen = PRESETS.get(values["preset"], PRESETS["custom"])
        values["url"] = values["url"] or chosen.url
        values["headers"] = merge_headers(values["headers"], obj.headers if obj else None)
        if not values["headers"] and chosen.headers:
            values["headers"] = dict(chosen.headers)
        if not values["body_template"]:
            values["body_template"] = chosen.body_template
            values["body_format"] = chosen.body_format
        errors = {}
        if not check_url(values["url"]):
            example = chosen.url or "https://sms.example/send"
            errors["url"] = gettext("Write the gateway's full address, like %(url)s.", url=example)
        if any("<" in value for value in values["headers"].values()):
            errors["headers"] = gettext("Replace the <…> parts with your own token.")
        if check_template(values["body_format"], values["body_template"]):
            errors["body_template"] = gettext(
                "With the placeholders filled in, this is not valid JSON."
            )
        return errors

    def audit_value(self, value):
        if isinstance(value, dict):
            return masked_headers(value)  # the audit log never holds a token
        return super().audit_value(value)


GATEWAYS = register(Gateways())


def recent_tests(gateway: NotifyGateway) -> list[OutboxMessage]:
    """The last test messages of this gateway, for the outcome shown on its page."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.ref_type == "notify_gateway", OutboxMessage.ref_id == gateway.id)
        .order_by(OutboxMessage.id.desc())
        .limit(5)
    )
    return list(get_session().execute(stmt).scalars())


@bp.post("/admin/gateways/<int:gateway_id>/test")
@require_roles(StaffUser.ADMIN)
def test_gateway(gateway_id: int):
    """Enqueue one test alert through this gateway to the number the admin typed."""
    session = get_session()
    gateway = GATEWAYS.load(session, gateway_id)
    if gateway is None:
        abort(404)
    try:
        phone = normalise_phone(request.form.get("phone", ""))
    except InvalidPhone:
        flash(gettext("Enter a mobile number like 0812 3456 7890."))
        return redirect(url_for("counter.admin_edit", key="gateways", object_id=gateway.id))
    channel = "whatsapp" if gateway.serves("whatsapp") else "sms"
    text = gettext("Test message from Antre: the gateway %(name)s of %(site)s works.")
    payload = {
        "event": "test",
        "channel": channel,
        "to": phone,
        "push": None,
        "text": text % {"name": gateway.name, "site": current_site().name},
        "ticket": "",
        "link_path": "",
        "language": "id",
        "gateway_id": gateway.id,
    }
    enqueue(
        session,
        "alert",
        payload,
        site_id=gateway.site_id,
        key=f"gateway-test:{gateway.id}",
        ref=("notify_gateway", gateway.id),
    )
    details = {"to": mask_phone(phone), "channel": channel}
    record_audit(session, current_user, "gateways.test", "gateways", gateway.id, details)
    session.commit()
    flash(gettext("Test message queued to %(to)s.", to=mask_phone(phone)))
    return redirect(url_for("counter.admin_edit", key="gateways", object_id=gateway.id))
