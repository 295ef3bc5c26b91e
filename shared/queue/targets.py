"""Waiting targets: the default a step's services get, and how a wait stands against its target.

Defaults follow the hospital minimum service standard (Kepmenkes 129/Menkes/SK/II/2008):
outpatient (poli) wait at most 60 minutes; a prescription ready within 30 minutes for ready-made
drugs (non racikan) and 60 for compounded ones (racikan). Which pharmacy queue is racikan is the
pathway's data, as ``pathways.next_step`` reads it: a pharmacy step with several services sends
racikan prescriptions to its last one, which is suggested 60; the others (and a pharmacy step's
only service) 30. The admin edits any target per service; ``Service.wait_target_minutes`` None
means no target.

Waits are counted in whole minutes, as the reports' histograms hold them (and as the sites'
comparison does): a wait is within its target while its whole minutes are below the target, amber
from 80 % of it, red once it reaches the target.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.models import Pathway, PathwayStep, Service

DEFAULT_MINUTES = {"poli": 60, "pharmacy": 30}
RACIKAN_MINUTES = 60  # compounded drugs: set by the admin on the racikan service
AMBER_PERCENT = 80

OK, AMBER, RED = "ok", "amber", "red"


def default_wait_target(step: PathwayStep, service: Service) -> int | None:
    """The standard's target for a service of a pathway step; None where it sets none."""
    if step.stage == "pharmacy" and len(step.services) > 1 and service is step.services[-1]:
        return RACIKAN_MINUTES
    return DEFAULT_MINUTES.get(step.stage or "")


def apply_default_targets(pathway: Pathway) -> list[Service]:
    """Give the pathway's step services without a target their default (a target the admin set
    is kept); the services changed. Called when a site's pathway is created (the demo seed)."""
    changed = []
    for step in pathway.steps:
        for service in step.services:
            minutes = default_wait_target(step, service)
            if minutes is not None and service.wait_target_minutes is None:
                service.wait_target_minutes = minutes
                changed.append(service)
    return changed


def wait_state(minutes: int, target: int | None) -> str | None:
    """ok, amber (from 80 % of the target) or red (the target reached); None without a target."""
    if not target:
        return None
    if minutes >= target:
        return RED
    if minutes * 100 >= target * AMBER_PERCENT:
        return AMBER
    return OK


def within_target(wait_seconds: int, target: int) -> bool:
    return wait_seconds // 60 < target


def past_target_cutoff(now: datetime, target: int) -> datetime:
    """A ticket queued at or before this moment has waited its target (it is red)."""
    return now - timedelta(minutes=target)
