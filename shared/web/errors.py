"""Every error answers in the user's language; API paths get JSON, pages get a page."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from shared.queue.errors import DomainError

HTTP_MESSAGES = {
    400: "The request could not be understood.",
    401: "Please sign in first.",
    403: "You are not allowed to do this.",
    404: "Not found.",
    405: "This method is not allowed here.",
    409: "This action is not possible now.",
    413: "The request is too large.",
    415: "Send JSON (Content-Type: application/json).",
    422: "Some of the data is not valid.",
    429: "Too many requests: please wait a moment.",
}


def wants_json() -> bool:
    return "/api/" in request.path or request.path.endswith(".json") or request.is_json


def error_response(status: int, code: str, message: str, **extra):
    if wants_json():
        return jsonify({"error": code, "message": message, **extra}), status
    return render_template("error.html", status=status, message=message), status


def translate(error: DomainError) -> str:
    return gettext(error.message, **error.params)


def _domain_error(error: DomainError):
    return error_response(error.status, error.code, translate(error))


def _http_error(error: HTTPException):
    status = error.code or 500
    message = HTTP_MESSAGES.get(status)
    text = gettext(message) if message else (error.description or error.name)
    if isinstance(error, CSRFError):
        text = gettext("The form expired: reload the page and try again.")
    return error_response(status, error.name.lower().replace(" ", "_"), text)


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
