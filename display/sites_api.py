"""``GET /api/sites``: the installation's active sites and their TV zones, for booking pages,
directories and integrators (docs/openapi.yaml).

Public and read-only: names, kinds, time zones and zone names are on every lobby wall anyway;
nothing personal and no device secret. Sites change rarely, so shared caches may keep the answer a
minute; a new site then shows up within that minute.
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import select

from shared.models import Display
from shared.queue.sites import active_sites
from shared.web.database import get_session
from shared.web.limits import limiter

bp = Blueprint("sites_api", __name__, url_prefix="/api")
MAX_AGE = 60


@bp.get("/sites")
@limiter.limit("120/minute")
def sites():
    session = get_session()
    listed = active_sites(session)
    zones: dict[int, list[dict]] = {site.id: [] for site in listed}
    displays = session.execute(
        select(Display.id, Display.name, Display.site_id)
        .where(Display.site_id.in_(list(zones)))
        .order_by(Display.id)
    )
    for display_id, name, site_id in displays:
        zones[site_id].append({"id": display_id, "name": name})
    response = jsonify(
        {
            "sites": [
                {
                    "id": site.id,
                    "slug": site.slug,
                    "name": site.name,
                    "kind": site.kind,
                    "timezone": site.timezone,
                    "zones": zones[site.id],
                }
                for site in listed
            ]
        }
    )
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response
