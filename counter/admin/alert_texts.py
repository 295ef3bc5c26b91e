"""The words of each alert per site and language; none written: the built-in text is sent.

The list shows every built-in text with a link to write the site's own; deleting a site's text
(on its page) resets it to the built-in one.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from counter.admin.base import Entity, register
from counter.admin.fields import Field
from counter.site_scope import current_site
from shared.alerts.texts import DEFAULTS, KEYS, PLACEHOLDERS, check_text
from shared.models import AlertText
from shared.queue.errors import DomainError
from shared.web.errors import translate

LANGUAGES = (("id", "Bahasa Indonesia"), ("en", "English"))


def key_labels() -> dict[str, str]:
    return {
        "near": gettext("Near the turn (N more)"),
        "call": gettext("The call"),
        "step": gettext("A new number (transfer or next step)"),
        "booking_confirmed": gettext("Booking confirmed"),
        "booking_reminder": gettext("Booking reminder (the day before)"),
    }


def default_text(key: str, language: str) -> str:
    return DEFAULTS.get(key, DEFAULTS["near"])[1 if language == "en" else 0]


class AlertTexts(Entity):
    key = "alert_texts"
    title = _l("Alert texts")
    model = AlertText
    deletable = True  # deleting resets to the built-in text
    list_template = "counter/admin/alert_defaults.html"
    order_by = "key"
    fields = [
        Field("key", _l("Alert"), kind="choice", choices=lambda: list(key_labels().items())),
        Field("language", _l("Language"), kind="choice", choices=lambda: list(LANGUAGES)),
        Field("text", _l("Text"), kind="textarea", required=True, max_length=480),
    ]
    columns = [(_l("Alert"), "key"), (_l("Language"), "language"), (_l("Text"), "text")]

    def built_in(self, rows):
        return built_in_rows(rows)

    def cell(self, obj, attribute):
        if attribute == "key":
            return key_labels().get(obj.key, obj.key)
        return super().cell(obj, attribute)

    def describe(self, obj) -> str:
        return f"{key_labels().get(obj.key, obj.key)} ({obj.language})"

    def initial(self, field):
        """A new text starts from the built-in one (``?alert=call&language=en``)."""
        key = request.args.get("alert", "near")
        key = key if key in KEYS else "near"
        language = "en" if request.args.get("language") == "en" else "id"
        return {"key": key, "language": language, "text": default_text(key, language)}[field.name]

    def form_fields(self, obj):
        """The text's hint: the built-in words and the placeholders it may use."""
        placeholders = " ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
        hint = gettext("Placeholders: %(names)s.", names=placeholders)
        if obj is not None:
            built_in = default_text(obj.key, obj.language)
            hint = gettext("Built-in text: %(text)s", text=built_in) + " " + hint
        text = Field("text", _l("Text"), kind="textarea", required=True, max_length=480, help=hint)
        return [*self.fields[:2], text]

    def check(self, session, obj, values):
        errors = {}
        try:
            values["text"] = check_text(values["text"])
        except DomainError as refused:
            errors["text"] = translate(refused)
        site_id = obj.site_id if obj is not None else current_site().id
        other = session.execute(
            select(AlertText).where(
                AlertText.site_id == site_id,
                AlertText.key == values["key"],
                AlertText.language == values["language"],
            )
        ).scalar()
        if other is not None and other is not obj:
            errors["key"] = gettext("This site already has its own text for this alert.")
        return errors


ALERT_TEXTS = register(AlertTexts())


def built_in_rows(own: list[AlertText]) -> list[dict]:
    """Every alert and language: the built-in text, and the site's own row if it wrote one."""
    mine = {(t.key, t.language): t for t in own}
    return [
        {
            "key": key,
            "label": key_labels()[key],
            "language": language,
            "text": default_text(key, language),
            "own": mine.get((key, language)),
        }
        for key in KEYS
        for language, _name in LANGUAGES
    ]
