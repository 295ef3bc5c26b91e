"""``antre site push``: send the site's days to the central installation, one file per day.

One day per request keeps every body small and makes a dropped connection cost one day: the
next run sends every day again and the central side skips what it has (idempotent import).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import date

from sqlalchemy.orm import Session

from shared.models import Site
from shared.site_sync import signing
from shared.site_sync.export import days_with_tickets, export_site

# (url, body) -> (HTTP status, JSON answer); urllib by default, the Flask test client in tests.
Poster = Callable[[str, bytes], tuple[int, dict]]
TIMEOUT = 60


def post_with_urllib(url: str, body: bytes) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - the IT officer's own central URL
        url, data=body, method="POST", headers={"Content-Type": "application/octet-stream"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"{}")
        except ValueError:
            return error.code, {"message": error.reason}


def sync_url(central: str, slug: str) -> str:
    return f"{central.rstrip('/')}/api/sites/{slug}/sync"


def push_days(
    session: Session,
    site: Site,
    key: signing.SiteKey,
    central: str,
    since: date | None = None,
    post: Poster = post_with_urllib,
) -> Iterator[tuple[date, int, dict]]:
    """Send each day from ``since`` on; yields (day, status, answer) and stops at a refusal."""
    for day in days_with_tickets(session, site, since):
        body = signing.pack(export_site(session, site, key.tag, day, day), key)
        status, answer = post(sync_url(central, site.slug), body)
        yield day, status, answer
        if status != 200:
            return
