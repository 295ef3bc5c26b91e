"""The site's settings: name, time zone, hours, running text, ticket footer, SKM weight (admins).

The logo is uploaded on the same page (counter.admin.logos), never typed as a path.
"""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from counter.admin.base import CurrentSiteEntity, register
from counter.admin.fields import Field
from counter.reports_tables import weighting_label
from shared import skm
from shared.config import TIME_ZONES
from shared.models import PriorityGroup, Site
from shared.timeutil import zone_abbreviation
from shared.web.database import get_session


def priority_choices() -> list[tuple[str, str]]:
    """The installation's active priority groups, named in the page's language."""
    english = str(get_locale()) == "en"
    groups = get_session().execute(
        select(PriorityGroup)
        .where(PriorityGroup.active.is_(True))
        .order_by(PriorityGroup.display_order)
    )
    return [(g.code, g.name_en if english else g.name_id) for g in groups.scalars()]


class MallSettings(CurrentSiteEntity):
    key = "mall"
    title = _l("Site settings")
    model = Site
    single = True
    config_what = "mall"
    fields = [
        Field("name", _l("Name"), required=True, max_length=120),
        Field("address", _l("Address"), kind="textarea", max_length=500),
        Field(
            "timezone",
            _l("Time zone"),
            kind="choice",
            choices=lambda: [(tz, f"{zone_abbreviation(tz)} ({tz})") for tz in TIME_ZONES],
        ),
        Field("opening_hours", _l("Opening hours"), kind="hours"),
        Field("running_text", _l("Running text on the TVs"), kind="textarea", max_length=1000),
        Field("ticket_footer", _l("Ticket footer"), kind="textarea", max_length=300),
        Field(
            "priority_codes",
            _l("Priority groups offered (none: all)"),
            kind="multi",
            choices=priority_choices,
        ),
        # The site's SKM reports follow it (counter/reports.py), as its agencies publish them.
        Field(
            "skm_weight",
            _l("SKM weight"),
            kind="choice",
            choices=lambda: [(w, weighting_label(w)) for w in (skm.EXACT, skm.PRINTED)],
        ),
    ]
    columns = [(_l("Name"), "name"), (_l("Time zone"), "timezone")]


register(MallSettings())
