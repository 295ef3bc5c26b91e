"""Bahasa Indonesia first, English one tap away: ?lang=en is remembered in a cookie.

A page of one site (its kiosk, TVs, ticket and booking pages) starts in the site's default
language when the visitor has chosen none (:func:`use_site_language`)."""

from __future__ import annotations

from babel import Locale
from flask import Flask, current_app, g, request
from flask_babel import Babel, get_locale, refresh

from shared.config import PROJECT_ROOT

LANGUAGES = ("id", "en")
COOKIE = "antre_lang"
# Each package keeps its own catalogue (<package>/translations); Flask-Babel merges them.
PACKAGES = ("shared", "kiosk", "counter", "display")
# Parsed once: Flask-Babel parses the selector's string anew on every request, a Locale it keeps.
_LOCALES = {code: Locale.parse(code) for code in LANGUAGES}


def select_locale() -> Locale:
    # Most requests have no query string: not parsing one saves a kiosk tap a little.
    asked = request.args.get("lang") if request.query_string else None
    if asked in LANGUAGES:
        g.set_lang_cookie = asked
        return _LOCALES[asked]
    remembered = request.cookies.get(COOKIE)
    if remembered in LANGUAGES:
        return _LOCALES[remembered]
    return _LOCALES.get(g.get("site_language"), _LOCALES["id"])


def use_site_language(site) -> None:
    """This request shows one site's page: its default language, unless the visitor chose."""
    if site is not None and site.default_language in LANGUAGES:
        g.site_language = site.default_language
        refresh()  # a locale looked up earlier in the request is looked up again


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
