"""``POST /api/sites/<slug>/sync``: an offline site pushes a signed file once it is online.

No session, no CSRF token: the signature by the site's registered key is the authentication
(shared.site_sync.signing), checked before anything is written. Rate limited per address; the
body may be larger than the app's JSON limit (one business day per request, see ``push``).
"""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify, request

from shared.site_sync.errors import REASONS
from shared.site_sync.importing import import_file
from shared.web import csrf
from shared.web.database import get_session
from shared.web.errors import LABELS
from shared.web.limits import limiter

BODY_LIMIT = 16 * 1024 * 1024  # a busy MPP's day is about 1 MB; a month fits too
RATE = "30/minute;600/hour"

bp = Blueprint("site_sync", __name__)
csrf.exempt(bp)
LABELS.update({reason: reason for reason in REASONS})  # why a file is damaged, translated


@bp.before_request
def _raise_body_limit() -> None:
    request.max_content_length = BODY_LIMIT


@bp.post("/api/sites/<slug>/sync")
@limiter.limit(RATE)
def sync(slug: str):
    counts = import_file(get_session(), request.get_data(cache=False), slug=slug)
    return jsonify({"site": slug, **counts.as_json()})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
