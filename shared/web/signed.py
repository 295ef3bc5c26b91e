"""Signed values a browser sends back on every request, each checked once per process.

A kiosk, a clerk's console and a phone send the same session cookie and the same CSRF token
with every request of a page's life. Checking one (itsdangerous: the key derived, the HMAC,
base64 and JSON decoded) cost a kiosk tap more than a tenth of its instructions with Flask's
and Flask-WTF's own checks (docs/benchmarks.md, "seventeenth pass"). What a signed string
decodes to depends only on the string and the secret key, so a string whose check passed is
remembered with what it decodes to; a session's age is still checked on every request, and a
CSRF token is still compared with the session's own secret. Strings that fail are never kept,
and a bounded number are kept (an attacker's new strings only push out old ones, which are then
checked again).
"""

from __future__ import annotations

import copy
import hmac
import time
from collections import OrderedDict
from typing import Any

from flask import current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf import csrf as flask_wtf_csrf
from itsdangerous import BadSignature

KEPT = 2048  # a site's kiosks, consoles and open phone pages, with room to spare
# Only these bodies can carry the token as a form field (Werkzeug parses no other into a form).
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
_SCALARS = (str, int, float, bool, type(None))


class Remembered:
    """The last ``size`` checked strings, by (secret key, string)."""

    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._found: OrderedDict[tuple, Any] = OrderedDict()

    def get(self, key: tuple) -> Any:
        return self._found.get(key)

    def put(self, key: tuple, value: Any) -> None:
        self._found[key] = value
        while len(self._found) > self.size:
            self._found.popitem(last=False)


def _secrets(app) -> tuple:
    return (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))


def _own_copy(data: dict) -> dict:
    """Each request changes its own session, never the remembered one (a list in it included)."""
    if all(isinstance(value, _SCALARS) for value in data.values()):
        return dict(data)
    return copy.deepcopy(data)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, each cookie's signature checked once per process."""

    clock = staticmethod(time.time)

    def __init__(self) -> None:
        self.remembered = Remembered()

    def open_session(self, app, request):
        signed = request.cookies.get(self.get_cookie_name(app))
        if not signed or not app.secret_key:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (_secrets(app), signed)
        found = self.remembered.get(key)
        if found is None:
            try:
                data, signed_at = self.get_signing_serializer(app).loads(
                    signed, max_age=max_age, return_timestamp=True
                )
            except BadSignature:  # a wrong signature, or too old: a new session, as Flask does
                return self.session_class()
            found = (data, int(signed_at.timestamp()))
            self.remembered.put(key, found)
        data, signed_at = found
        if not 0 <= int(self.clock()) - signed_at <= max_age:  # as itsdangerous checks its age
            return self.session_class()
        return self.session_class(_own_copy(data))


class CSRFProtect(flask_wtf_csrf.CSRFProtect):
    """Flask-WTF's CSRF protection, each token's signature checked once per process."""

    def __init__(self, app=None) -> None:
        self.remembered = Remembered()
        super().__init__(app)

    def _get_csrf_token(self):
        req = request._get_current_object()
        if req.mimetype in FORM_TYPES:
            return super()._get_csrf_token()
        return _header_token(req, current_app.config)

    def protect(self, apply_exemptions: bool = False) -> None:
        # The request and the app looked up once: each look-up through Flask's context-local
        # proxies cost about half a microsecond, a dozen of them half of this check.
        app, req = current_app._get_current_object(), request._get_current_object()
        config = app.config
        # What Flask-WTF lets pass unchecked, in the cheaper order (either way: nothing done).
        if req.method not in config["WTF_CSRF_METHODS"]:
            return
        if apply_exemptions and (not req.endpoint or self._is_exempt()):
            return
        if req.mimetype in FORM_TYPES:
            token = super()._get_csrf_token()
        else:  # a JSON body has no form fields to look in (reading them cost as much as this)
            token = _header_token(req, config)
        field = config["WTF_CSRF_FIELD_NAME"]
        if not self._checked_before(app, session.get(field), token):
            super().protect()  # the full check: it fails or passes
            if g.get("csrf_valid") and token and config["WTF_CSRF_TIME_LIMIT"] is None:
                self.remembered.put((_secrets(app), token), session[field])
            return
        # The token decodes to this session's secret: what is left of Flask-WTF's check.
        if req.is_secure and config["WTF_CSRF_SSL_STRICT"]:
            referrer = req.referrer
            if not referrer or not flask_wtf_csrf.same_origin(referrer, f"https://{req.host}/"):
                super().protect()  # to refuse it in Flask-WTF's own words
                return
        g.csrf_valid = True

    def _checked_before(self, app, secret, token: str | None) -> bool:
        """``token`` passed the full check in this process and decodes to the session's
        ``secret``. Tokens that expire (``WTF_CSRF_TIME_LIMIT``) are always checked in full."""
        if not token or app.config["WTF_CSRF_TIME_LIMIT"] is not None:
            return False
        decoded = self.remembered.get((_secrets(app), token))
        if decoded is None or not isinstance(secret, str):
            return False
        return hmac.compare_digest(decoded, secret)


def _header_token(req, config) -> str | None:
    for header in config["WTF_CSRF_HEADERS"]:
        if token := req.headers.get(header):
            return token
    return None
