"""Agencies (instansi): name, short name, colour, order (admins)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from counter.admin.base import Entity, register
from counter.admin.fields import Field
from counter.site_scope import current_site
from shared.models import Agency


class Agencies(Entity):
    key = "agencies"
    title = _l("Agencies")
    model = Agency
    config_what = "agencies"
    order_by = "display_order"
    fields = [
        Field("name", _l("Name"), required=True, max_length=120),
        Field("short_name", _l("Short name"), required=True, max_length=30),
        Field("colour", _l("Colour"), kind="colour"),
        Field("display_order", _l("Order"), kind="int", minimum=0, maximum=999),
        Field("active", _l("Active"), kind="bool"),
    ]
    columns = [
        (_l("Short name"), "short_name"),
        (_l("Name"), "name"),
        (_l("Colour"), "colour"),
        (_l("Active"), "active"),
    ]

    def check(self, session, obj, values):
        site_id = obj.site_id if obj is not None else current_site().id
        same = (Agency.site_id == site_id, Agency.name == values["name"])
        other = session.execute(select(Agency).where(*same)).scalar()
        if other is not None and other is not obj:
            return {"name": gettext("Another agency already has this name.")}
        return {}


register(Agencies())
