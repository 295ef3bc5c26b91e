"""The words a site's screens use, by the site's kind: an MPP says instansi and loket, a
hospital says poli, ruang and pasien. Templates ask ``term(site, "agency")`` and never test the
kind; every word goes through the translation catalogue."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from shared import enums

# The site kinds' names live with their values (shared/enums.py).
KIND_LABELS = {kind.value: _l(kind.msgid) for kind in enums.SiteKind}

_MPP = {
    "agency": _l("Agency"),
    "agencies": _l("Agencies"),
    "counter": _l("Counter"),
    "citizen": _l("Citizen"),
    "choose_agency": _l("Choose an agency"),
    "people_ahead": _l("people ahead of you"),
    "n_waiting": _l("{n} waiting"),
    # The TV's mark beside the site's name when it has no logo.
    "mark": _l("MPP"),
}
_HEALTH = {
    "agency": _l("Unit"),
    "agencies": _l("Units"),
    "counter": _l("Room"),
    "citizen": _l("Patient"),
    "choose_agency": _l("Choose a polyclinic or unit"),
    "people_ahead": _l("patients ahead of you"),
    "n_waiting": _l("{n} patients waiting"),
    "mark": _l("RS"),
}
_PUSKESMAS = _HEALTH | {"mark": _l("PKM")}
TERMS = {"mpp": _MPP, "hospital": _HEALTH, "puskesmas": _PUSKESMAS, "mobile": _PUSKESMAS}


def term(site, key: str) -> str:
    """The word for ``key`` at this site (an MPP's words when the site or kind is unknown)."""
    words = TERMS.get(getattr(site, "kind", None) or "mpp", _MPP)
    return str(words[key])


def site_kind_label(kind: str) -> str:
    return enums.SiteKind.label_of(kind)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(term=term, site_kind_label=site_kind_label)
    # The one set of labels of stored values: ``TicketStatus.labels()``, ``status.label``.
    app.jinja_env.globals.update(
        TicketStatus=enums.TicketStatus,
        CounterStatus=enums.CounterStatus,
        PrintState=enums.PrintState,
        TicketSource=enums.TicketSource,
    )
