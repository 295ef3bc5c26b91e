"""The input layer of every JSON endpoint: read the body safely, check it against the endpoint's
small schema (pydantic), and answer every problem one way:

    422 {"error": "invalid_input", "message": "<in the user's language>", "field": "<name>"}

``field`` is null when the body as a whole is wrong (not JSON, not an object, nested too deep).
A body sent as something else than JSON answers 415, one over the size limit 413.

    class TakeTicket(Body):
        service_id: Id
        note: Note = ""

    values = parse_body(TakeTicket)      # or parse_query(...) for a GET's query string
"""

from __future__ import annotations

import json
import re
from datetime import date
from itertools import accumulate
from typing import Annotated, ClassVar, TypeVar

from flask import abort, request
from flask_babel import gettext
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic import ValidationError as SchemaError

from shared.queue.errors import N_
from shared.text import SURROGATES, TextRefused, clean_text

# Deeper than any real body; checked on the raw text, before a recursive parser ever sees it.
MAX_DEPTH = 16
# One pass over the text: a string (its closing quote optional, so that an unterminated one is
# read once to the end, not retried from each quote inside it: that was quadratic), or a bracket.
TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)
UNSTORABLE = N_("%(field)s contains characters that are not allowed.")


class InvalidInput(Exception):
    status = 422
    code = "invalid_input"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


def _depth(text: str) -> int:
    """How deep the arrays and objects nest, brackets inside strings not counted."""
    tokens = TOKENS.findall(text)
    steps = (1 if token in "[{" else -1 for token in tokens if token[0] != '"')
    return max(accumulate(steps), default=0)


def _holds_surrogate(value) -> bool:
    if isinstance(value, str):
        return SURROGATES.search(value) is not None
    if isinstance(value, dict):
        return any(_holds_surrogate(k) or _holds_surrogate(v) for k, v in value.items())
    return isinstance(value, list) and any(_holds_surrogate(item) for item in value)


def read_json() -> dict:
    """The request's JSON object; {} for an empty body. Never lets a hostile body reach a parser
    that could recurse without end or a database that cannot store it."""
    raw = request.get_data(cache=True)  # bounded by MAX_CONTENT_LENGTH (413 beyond it)
    if not raw.strip():
        return {}
    if not request.is_json:
        abort(415)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(gettext("The body is not valid JSON.")) from None
    # Nesting never goes deeper than the brackets opened: most bodies need no count at all.
    if text.count("[") + text.count("{") > MAX_DEPTH and _depth(text) > MAX_DEPTH:
        raise InvalidInput(gettext("The body is nested too deeply."))
    try:
        body = json.loads(text)
    except ValueError:
        raise InvalidInput(gettext("The body is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise InvalidInput(gettext("Send a JSON object."))
    for key, value in body.items():
        if _holds_surrogate(key) or _holds_surrogate(value):
            field = None if _holds_surrogate(key) else key
            raise InvalidInput(_message(UNSTORABLE, field), field)
    return body


class Body(BaseModel):
    """A schema: strict types (no "1" for 1, no true for 1), unknown fields ignored.

    ``hints`` gives a field one message for whatever is wrong with it."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)
    hints: ClassVar[dict[str, str]] = {}


class Query(Body):
    """A schema for a query string: its values are text, so "5" is read as 5."""

    model_config = ConfigDict(strict=False, extra="ignore", frozen=True)


B = TypeVar("B", bound=Body)


def parse_body(schema: type[B]) -> B:
    return _validate(schema, read_json())


def parse_query(schema: type[B]) -> B:
    return _validate(schema, request.args.to_dict())


def parse_event(schema: type[B], data) -> B | None:
    """A Socket.IO message checked against ``schema``; None when it is missing or wrong (the
    handler answers with its own refusal: an event handler must never raise)."""
    if data is None:
        data = {}
    if not isinstance(data, dict) or _holds_surrogate(data):
        return None
    try:
        return schema.model_validate(data)
    except SchemaError:
        return None


def _validate(schema: type[B], data: dict) -> B:
    try:
        return schema.model_validate(data)
    except SchemaError as error:
        first = error.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        raise InvalidInput(_explain(schema, first, field), field) from None


GENERIC = {
    "missing": N_("%(field)s is missing."),
    "int_type": N_("%(field)s must be a whole number."),
    "int_parsing": N_("%(field)s must be a whole number."),
    "string_type": N_("%(field)s must be text."),
    "greater_than_equal": N_("%(field)s must be at least %(limit)s."),
    "less_than_equal": N_("%(field)s must be at most %(limit)s."),
    "string_too_long": N_("%(field)s may have at most %(limit)s characters."),
}


def _explain(schema: type[Body], error: dict, field: str | None) -> str:
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, TextRefused):
        return _message(cause.message, field)
    top = field.split(".")[0] if field else None
    if top in schema.hints and error["type"] != "missing":
        return _message(schema.hints[top], field)
    ctx = error.get("ctx") or {}
    limit = ctx.get("ge", ctx.get("le", ctx.get("max_length", ctx.get("expected", ""))))
    message = GENERIC.get(error["type"], N_("%(field)s is not valid."))
    return _message(message, field, limit=limit)


def _message(message: str, field: str | None, **params) -> str:
    return gettext(message, field=field or gettext("The body"), **params)


def _text(multiline: bool):
    def clean(value: str) -> str:
        return clean_text(value, multiline=multiline)

    return AfterValidator(clean)


def _iso_date(value):
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError("not an ISO date") from None
    return value


# A database id: a positive whole number that fits the id columns (32 bits in PostgreSQL).
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
# Free text a person typed: cleaned by shared.text.clean_text.
Name = Annotated[str, Field(max_length=80), _text(False)]
Line = Annotated[str, Field(max_length=120), _text(False)]
Note = Annotated[str, Field(max_length=500), _text(True)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
