"""Pathways (alur layanan) of the site worked on: a name and ordered steps, each a queue of one
or more of the site's services, for everyone or one payer, and possibly optional (pharmacy).

What a step is called is the admin's free text; its stage (registration, poli, pharmacy,
cashier, other) is what reports and the BPJS bridge read. Site admins and installation admins.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from counter.admin.base import Entity, register
from counter.admin.counters import service_choices
from counter.admin.fields import Field
from counter.admin.rows import RowsField
from counter.site_scope import current_site
from shared.models import Pathway, PathwayStep, Service
from shared.models.health import PAYERS, STAGES

STAGE_LABELS = {
    "registration": _l("Registration"),
    "poli": _l("Polyclinic"),
    "pharmacy": _l("Pharmacy"),
    "cashier": _l("Cashier"),
    "other": _l("Other"),
}
PAYER_LABELS = {"": _l("Everyone"), "jkn": _l("JKN"), "umum": _l("Umum (self-paying)")}


def payer_choices() -> list[tuple[str, object]]:
    return [(payer, PAYER_LABELS[payer]) for payer in ("", *PAYERS)]


class StepsField(RowsField):
    columns = ("name", "stage", "payer", "optional", "services")
    multi = ("services",)
    blank_rows = 1

    def blank(self, index):
        return {**super().blank(index), "stage": "other"}

    def is_blank(self, row):
        return not row["name"] and not row["services"]

    def rows_of(self, obj):
        return [
            {
                "name": step.name,
                "stage": step.stage,
                "payer": step.payer or "",
                "optional": "1" if step.optional else "",
                "services": [str(s.id) for s in step.services],
            }
            for step in obj.steps
        ]

    def service_options(self):
        return service_choices()

    def stage_options(self):
        return list(STAGE_LABELS.items())

    def payer_options(self):
        return payer_choices()

    def parse_rows(self, rows, problems):
        allowed = {str(value): value for value, _label in service_choices()}
        steps = []
        for position, row in enumerate(rows, start=1):

            def say(message, position=position):
                problems.append(gettext("Step %(n)s: %(problem)s", n=position, problem=message))

            name = row["name"].strip()
            if not name:
                say(gettext("write its name."))
            elif len(name) > 80:
                say(gettext("at most %(n)s characters.", n=80))
            if row["stage"] not in STAGES:
                say(gettext("choose its stage."))
            if row["payer"] not in ("", *PAYERS):
                say(gettext("choose who it is for."))
            if not row["services"]:
                say(gettext("choose at least one service."))
            elif any(value not in allowed for value in row["services"]):
                say(gettext("choose services of this site only."))
            steps.append(
                {
                    "position": position,
                    "name": name,
                    "stage": row["stage"],
                    "payer": row["payer"] or None,
                    "optional": row["optional"] in ("1", "on"),
                    "services": sorted({int(v) for v in row["services"] if v in allowed}),
                }
            )
        if not steps:
            problems.append(gettext("Add at least one step."))
        return steps


class Pathways(Entity):
    key = "pathways"
    title = _l("Pathways")
    model = Pathway
    config_what = "services"  # kiosks offer the first step's services again
    fields = [
        Field("name", _l("Name"), required=True, max_length=120),
        Field("active", _l("Active"), kind="bool"),
        StepsField("steps", _l("Steps, in order"), kind="rows"),
    ]
    columns = [(_l("Name"), "name"), (_l("Steps, in order"), "steps"), (_l("Active"), "active")]

    def cell(self, obj, attribute):
        if attribute == "steps":
            return " → ".join(step.name for step in obj.steps) or "–"
        return super().cell(obj, attribute)

    def check(self, session, obj, values):
        errors = {}
        site_id = obj.site_id if obj is not None else current_site().id
        same = (Pathway.site_id == site_id, Pathway.name == values["name"])
        other = session.execute(select(Pathway).where(*same)).scalar()
        if other is not None and other is not obj:
            errors["name"] = gettext("Another pathway already has this name.")
        positions = [step["position"] for step in values["steps"]]
        if len(set(positions)) != len(positions):
            errors["steps"] = gettext("Two steps cannot have the same place.")
        ids = {i for step in values["steps"] for i in step["services"]}
        services = session.execute(select(Service).where(Service.id.in_(ids))).scalars()
        if any(service.site_id != site_id for service in services):
            errors["steps"] = gettext("Steps take services of this site only.")
        return errors

    def assign(self, session, obj, values):
        obj.name, obj.active = values["name"], values["active"]
        # The old steps go first: (pathway, position) is unique and the steps may be reordered.
        obj.steps = []
        session.flush()
        obj.steps = [
            PathwayStep(
                position=step["position"],
                name=step["name"],
                stage=step["stage"],
                payer=step["payer"],
                optional=step["optional"],
                services=[session.get(Service, i) for i in step["services"]],
            )
            for step in values["steps"]
        ]

    def audit_value(self, value):
        if isinstance(value, list) and value and isinstance(value[0], PathwayStep):
            return [
                {
                    "position": s.position,
                    "name": s.name,
                    "stage": s.stage,
                    "payer": s.payer,
                    "optional": s.optional,
                    "services": [service.id for service in s.services],
                }
                for s in value
            ]
        return super().audit_value(value)


register(Pathways())
