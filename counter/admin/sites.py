"""Sites (an MPP, a hospital, a puskesmas, a mobile unit): the installation admins' own list.

A site admin edits their site's settings on the site settings page (counter.admin.mall); only
an installation admin adds a site or renames one's slug, which is part of its public addresses
(``/kiosk/?site=<slug>``, ``/display/?site=<slug>``). A new site is closed until its opening
hours are set on its settings page.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from counter.admin.base import Entity, register
from counter.admin.fields import Field
from shared.config import TIME_ZONES
from shared.models import Site
from shared.queue.sites import SLUG
from shared.timeutil import zone_abbreviation
from shared.web.vocabulary import KIND_LABELS

LANGUAGES = (("id", "Bahasa Indonesia"), ("en", "English"))


class Sites(Entity):
    key = "sites"
    title = _l("Sites")
    model = Site
    config_what = "mall"  # the kiosks and TVs of an edited site reload its name, zone, words
    order_by = "name"
    fields = [
        Field("name", _l("Name"), required=True, max_length=120),
        Field(
            "slug",
            _l("Short name in addresses (lower-case letters, digits, hyphens)"),
            required=True,
            max_length=40,
        ),
        Field(
            "kind",
            _l("Kind"),
            kind="choice",
            choices=lambda: [(kind, str(label)) for kind, label in KIND_LABELS.items()],
        ),
        Field("address", _l("Address"), kind="textarea", max_length=500),
        Field(
            "timezone",
            _l("Time zone"),
            kind="choice",
            choices=lambda: [(tz, f"{zone_abbreviation(tz)} ({tz})") for tz in TIME_ZONES],
        ),
        Field("default_language", _l("Default language"), kind="choice", choices=lambda: LANGUAGES),
        Field("active", _l("Active"), kind="bool"),
    ]
    columns = [
        (_l("Name"), "name"),
        (_l("Short name in addresses (lower-case letters, digits, hyphens)"), "slug"),
        (_l("Kind"), "kind"),
        (_l("Time zone"), "timezone"),
        (_l("Active"), "active"),
    ]

    def allowed(self) -> bool:
        return current_user.is_authenticated and current_user.is_installation_admin

    def site_id_of(self, obj) -> int | None:
        return obj.id

    def cell(self, obj, attribute):
        if attribute == "kind":
            return str(KIND_LABELS.get(obj.kind, obj.kind))
        return super().cell(obj, attribute)

    def check(self, session, obj, values):
        values["slug"] = values["slug"].lower()
        if not SLUG.match(values["slug"]):
            return {"slug": gettext("Lower-case letters, digits and hyphens, like mpp-tebo.")}
        other = session.execute(select(Site).where(Site.slug == values["slug"])).scalar()
        if other is not None and other is not obj:
            return {"slug": gettext("Another site already has this short name.")}
        return {}


register(Sites())
