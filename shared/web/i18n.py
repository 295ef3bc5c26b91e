"""Bahasa Indonesia first, English one tap away: ?lang=en is remembered in a cookie."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_babel import Babel, get_locale

from shared.config import PROJECT_ROOT

LANGUAGES = ("id", "en")
COOKIE = "antre_lang"
# Each package keeps its own catalogue (<package>/translations); Flask-Babel merges them.
PACKAGES = ("shared", "kiosk", "counter", "display")


def select_locale() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        g.set_lang_cookie = asked
        return asked
    remembered = request.cookies.get(COOKIE)
    if remembered in LANGUAGES:
        return remembered
    return "id"


def _remember(response):
    lang = g.pop("set_lang_cookie", None)
    if lang:
        response.set_cookie(
            COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],  # over https only when served so
        )
    return response


def init_app(app: Flask) -> None:
    Babel(
        app,
        locale_selector=select_locale,
        default_translation_directories=";".join(
            str(PROJECT_ROOT / package / "translations") for package in PACKAGES
        ),
    )
    app.after_request(_remember)
    app.jinja_env.globals.update(get_locale=get_locale, languages=LANGUAGES)
