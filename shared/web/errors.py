"""Every error answers in the user's language; API paths get JSON, pages get a page."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from shared.enums import TicketStatus
from shared.queue.errors import N_, DomainError
from shared.web.inputs import InvalidInput

HTTP_MESSAGES = {
    400: N_("The request could not be understood."),
    401: N_("Please sign in first."),
    403: N_("You are not allowed to do this."),
    404: N_("Not found."),
    405: N_("This method is not allowed here."),
    409: N_("This action is not possible now."),
    413: N_("The request is too large."),
    415: N_("Send JSON (Content-Type: application/json)."),
    422: N_("Some of the data is not valid."),
    429: N_("Too many requests: please wait a moment."),
    500: N_("Something went wrong on the server. Please try again."),
}

# Ticket states (their one label, shared/enums.py) and actions named in error messages, so that
# they read in the user's language.
LABELS = {
    **{status.value: status.msgid for status in TicketStatus},
    "call": N_("called"),
    "recall": N_("recalled"),
    "start": N_("started"),
    "finish": N_("finished"),
    "cancel": N_("cancelled"),
    "transfer": N_("transferred"),
    "reactivate": N_("reactivated"),
    "suggestion": N_("Suggestion"),  # a survey field named in a message
}


# Data files are not pages: a signed-out or refused download answers a JSON error (e.g. 401), as
# the API does, not the sign-in page in place of the CSV the caller asked for.
DATA_SUFFIXES = (".json", ".csv", ".xlsx")
# JSON endpoints outside /api/: the ticket page's alert opt-in (POST /t/<code>/notify[/stop]).
JSON_SUFFIXES = ("/notify", "/notify/stop")


def wants_json() -> bool:
    return (
        "/api/" in request.path
        or request.path.endswith(DATA_SUFFIXES + JSON_SUFFIXES)
        or request.is_json
    )


def error_response(status: int, code: str, message: str, **extra):
    if wants_json():
        return jsonify({"error": code, "message": message, **extra}), status
    return render_template("error.html", status=status, message=message), status


def translate(error: DomainError) -> str:
    params = {
        key: gettext(LABELS[value]) if isinstance(value, str) and value in LABELS else value
        for key, value in error.params.items()
    }
    return gettext(error.message, **params)


def _domain_error(error: DomainError):
    return error_response(error.status, error.code, translate(error))


def _http_error(error: HTTPException):
    status = error.code or 500
    message = HTTP_MESSAGES.get(status)
    if error.description and error.description != type(error).description:
        text = error.description  # abort(422, gettext("…")): the view's own, translated, words
    else:
        text = gettext(message) if message else error.name
    if isinstance(error, CSRFError):
        text = gettext("The form expired: reload the page and try again.")
    response, status = error_response(status, error.name.lower().replace(" ", "_"), text)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        # The answer is built anew, so the exception's own Allow header must be carried over.
        response = make_response(response)
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response, status


def _invalid_input(error: InvalidInput):
    return error_response(error.status, error.code, error.message, field=error.field)


def _database_unavailable(error: Exception):
    """The database restarts or cannot be reached: a clean 503 to retry, not a 500 or a hang."""
    lost = isinstance(error, OperationalError | InterfaceError | PoolTimeout)
    if isinstance(error, DBAPIError) and not (lost or error.connection_invalidated):
        raise error
    response, status = error_response(
        503,
        "database_unavailable",
        gettext("The database cannot be reached right now. Please try again in a moment."),
    )
    if not isinstance(response, str):
        response.headers["Retry-After"] = "5"
    return response, status


def _out_of_range(error: Exception):
    """An id or number beyond what the database stores (SQLite's OverflowError, PostgreSQL's
    DataError): no such thing can exist, so the answer is 404, not a 500."""
    return error_response(404, "not_found", gettext(HTTP_MESSAGES[404]))


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(InvalidInput, _invalid_input)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DBAPIError, _database_unavailable)
    app.register_error_handler(PoolTimeout, _database_unavailable)
    app.register_error_handler(OverflowError, _out_of_range)
    app.register_error_handler(DataError, _out_of_range)
