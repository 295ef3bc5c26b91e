"""Form fields for the admin pages: each parses its input and says clearly what is wrong."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from shared.text import TextRefused, clean_text

HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


class FieldError(ValueError):
    """A message for the person filling the form, already translated."""


@dataclass
class Field:
    name: str
    label: object
    kind: str = "text"  # text textarea int bool choice multi hours colour password date
    required: bool = False
    max_length: int = 120
    minimum: int | None = None
    maximum: int | None = None
    choices: Callable[[], list[tuple[object, object]]] | None = None
    help: object = ""
    optional_int: bool = False

    def value_of(self, obj) -> object:
        return getattr(obj, self.name, None) if obj is not None else None

    def options(self) -> list[tuple[object, object]]:
        return self.choices() if self.choices else []

    def parse(self, form) -> object:
        parser = getattr(Field, "_parse_" + self.kind, Field._parse_text)
        return parser(self, form)

    def _parse_text(self, form) -> str:
        if self.kind == "password":
            value = form.get(self.name, "").strip()  # kept as typed: it is never shown
        else:
            try:
                value = clean_text(form.get(self.name, ""), multiline=self.kind == "textarea")
            except TextRefused as refused:
                raise FieldError(gettext(refused.message, field=self.label)) from None
        if self.required and not value:
            raise FieldError(gettext("%(field)s is required.", field=self.label))
        if len(value) > self.max_length:
            raise FieldError(
                gettext("At most %(n)s characters.", n=self.max_length),
            )
        return value

    _parse_textarea = _parse_text
    _parse_password = _parse_text

    def _parse_colour(self, form) -> str:
        value = form.get(self.name, "").strip()
        if not COLOUR.match(value):
            raise FieldError(gettext("Write a colour like #1d4ed8."))
        return value.lower()

    def _parse_int(self, form) -> int | None:
        raw = form.get(self.name, "").strip()
        if not raw and self.optional_int:
            return None
        if not re.fullmatch(r"-?\d+", raw):
            raise FieldError(gettext("Write a whole number."))
        value = int(raw)
        if self.minimum is not None and value < self.minimum:
            raise FieldError(gettext("At least %(n)s.", n=self.minimum))
        if self.maximum is not None and value > self.maximum:
            raise FieldError(gettext("At most %(n)s.", n=self.maximum))
        return value

    def _parse_date(self, form) -> date:
        raw = form.get(self.name, "").strip()
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise FieldError(gettext("Write a date like 2026-12-25.")) from None

    def _parse_bool(self, form) -> bool:
        return form.get(self.name) in ("1", "on", "true", "y")

    def _parse_choice(self, form) -> object:
        raw = form.get(self.name, "")
        for value, _label in self.options():
            if str(value) == raw:
                return value
        raise FieldError(gettext("Choose one of the options."))

    def _parse_multi(self, form) -> list:
        raw = set(form.getlist(self.name))
        allowed = [value for value, _label in self.options()]
        chosen = [value for value in allowed if str(value) in raw]
        if len(chosen) != len(raw):
            raise FieldError(gettext("Choose one of the options."))
        if self.required and not chosen:
            raise FieldError(gettext("Choose at least one."))
        return chosen

    def _parse_hours(self, form) -> dict | None:
        """Seven inputs ``<name>_0`` … ``<name>_6`` like "08:00-15:00"; empty means closed."""
        hours: dict[str, list[str] | None] = {}
        for day in range(7):
            raw = form.get(f"{self.name}_{day}", "").replace(" ", "").replace(".", ":")
            if not raw:
                hours[str(day)] = None
                continue
            parts = raw.split("-")
            if len(parts) != 2 or not all(HHMM.match(p) for p in parts) or parts[0] >= parts[1]:
                raise FieldError(
                    gettext("%(day)s: write the hours like 08:00-15:00.", day=WEEKDAYS[day])
                )
            hours[str(day)] = parts
        if self.optional_int and all(v is None for v in hours.values()):
            return None  # a service without hours of its own follows the mall's
        return hours


def hours_text(hours: dict | None, day: int) -> str:
    span = (hours or {}).get(str(day))
    return f"{span[0]}-{span[1]}" if span else ""


def parse_form(fields: list[Field], form) -> tuple[dict, dict]:
    """(values, errors) for the whole form."""
    values, errors = {}, {}
    for field in fields:
        try:
            values[field.name] = field.parse(form)
        except FieldError as error:
            errors[field.name] = str(error)
    return values, errors
