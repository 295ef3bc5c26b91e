"""Webhooks of the site worked on (admins only): events as checkboxes, the personal-data tick
with its warning, the secret generated when left empty and shown once; and each webhook's
delivery log with replay (the same delivery id)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from counter.access import site_object_or_404
from counter.admin.base import Entity, register
from counter.admin.fields import Field
from counter.blueprint import bp
from shared import timeutil
from shared.audit import record_audit
from shared.models import OutboxMessage, Webhook
from shared.outbox import replay
from shared.outbox.problems import PROBLEMS, delivery_problem
from shared.queue.errors import DomainError
from shared.web.auth import require_roles
from shared.web.database import get_session
from shared.webhooks import manage

LOG_ROWS = 100
SECRET = Field(
    "secret",
    _l("Secret (16–128 characters; left empty, one is generated and shown once)"),
    kind="password",
    max_length=128,
)


def event_choices() -> list[tuple[str, str]]:
    return [(name, gettext(manage.EVENT_LABELS[name])) for name in manage.EVENTS]


class Webhooks(Entity):
    key = "webhooks"
    title = _l("Webhooks")
    model = Webhook
    deletable = True
    fields = [
        Field("url", _l("Address (http:// or https://)"), required=True, max_length=500),
        Field("events", _l("Events"), kind="multi", choices=event_choices, required=True),
        Field(
            "include_personal_data",
            _l("Include personal data (a booking's name and phone number)"),
            kind="bool",
            help=_l(
                "Warning: tick this only for a system allowed to hold citizens' personal data "
                "under your data protection rules. Without it, no names or phone numbers are sent."
            ),
        ),
        Field("active", _l("Active"), kind="bool"),
    ]
    columns = [
        (_l("Address"), "url"),
        (_l("Events"), "events"),
        (_l("Secret"), "secret_hint"),
        (_l("Personal data"), "include_personal_data"),
        (_l("Active"), "active"),
        (_l("Delivery log"), "log"),
    ]

    def form_fields(self, obj):
        return self.fields + [SECRET] if obj is None else self.fields

    def describe(self, obj) -> str:
        return obj.url

    def cell(self, obj, attribute):
        if attribute == "events":
            return ", ".join(gettext(manage.EVENT_LABELS[e]) for e in obj.events)
        if attribute == "log":
            return LogLink(obj.id)
        return super().cell(obj, attribute)

    def check(self, session, obj, values: dict) -> dict:
        errors = {}
        for name, checker in (("url", manage.check_url), ("secret", manage.check_secret)):
            if name in values:
                try:
                    values[name] = checker(values[name])
                except DomainError as error:
                    errors[name] = gettext(error.message)
        return errors

    def save(self, session, obj, values: dict, *, created: bool) -> None:
        if created:  # the secret is kept but never audited nor shown again
            obj.secret = values.pop("secret")
        super().save(session, obj, values, created=created)

    def after_save(self, obj, created):
        if created:
            return render_template("counter/admin/webhook_secret.html", webhook=obj)
        return None


class LogLink:
    """A link in the list's cell (rendered as HTML by its __html__)."""

    def __init__(self, webhook_id: int):
        self.webhook_id = webhook_id

    def __html__(self) -> str:
        href = url_for("counter.webhook_log", webhook_id=self.webhook_id)
        return f'<a href="{href}">{gettext("Delivery log")}</a>'


def event_label(name: str | None) -> str:
    """An event's words on the admin pages (its name for a kind without events)."""
    return gettext(manage.EVENT_LABELS[name]) if name in manage.EVENT_LABELS else (name or "–")


def message_state(message: OutboxMessage) -> str:
    if message.delivered_at is not None:
        return "delivered"
    return "failed" if message.failed_at is not None else "waiting"


STATE_LABELS = {"delivered": _l("delivered"), "failed": _l("failed"), "waiting": _l("waiting")}


@bp.get("/admin/webhooks/<int:webhook_id>/log")
@require_roles("admin")
def webhook_log(webhook_id: int):
    webhook = site_object_or_404(Webhook, webhook_id)
    messages = get_session().execute(
        select(OutboxMessage)
        .where(OutboxMessage.ref_type == "webhook", OutboxMessage.ref_id == webhook.id)
        .order_by(OutboxMessage.id.desc())
        .limit(LOG_ROWS)
    )
    return render_template(
        "counter/admin/webhook_log.html",
        webhook=webhook,
        messages=list(messages.scalars()),
        state_of=message_state,
        state_labels=STATE_LABELS,
        event_label=event_label,
        delivery_problem=delivery_problem,
        delivery_problems=PROBLEMS,
    )


@bp.post("/admin/webhooks/<int:webhook_id>/log/<int:message_id>/replay")
@require_roles("admin")
def webhook_replay(webhook_id: int, message_id: int):
    """Deliver again, with the same delivery id (the receiver may drop it as a repeat)."""
    webhook = site_object_or_404(Webhook, webhook_id)
    session = get_session()
    message = session.get(OutboxMessage, message_id)
    if message is None or (message.ref_type, message.ref_id) != ("webhook", webhook.id):
        abort(404)
    replay_message(session, message)
    flash(gettext("Queued again: %(id)s", id=message.uid))
    return redirect(url_for("counter.webhook_log", webhook_id=webhook.id))


def replay_message(session, message: OutboxMessage) -> None:
    """Replay, audited, and commit."""
    replay(session, message, timeutil.now_utc())
    details = {"uid": message.uid, "kind": message.kind}
    record_audit(session, current_user, "outbox.replay", "outbox", message.id, details)
    session.commit()


register(Webhooks())
