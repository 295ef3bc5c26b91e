"""BPJS's own waiting-time figures, worked out from our log next to what BPJS accepted.

BPJS's dashboard (``dashboard/waktutunggu``) gives per poli and day the time of each task:
task n lasts from task n's time to task n+1's (1: waiting for registration … 6: making the
drugs). We compute the same from each JKN visit's ticket log (``shared.queue.milestones``) and
from the task times BPJS accepted (``bpjs_task`` rows whose outbox message was delivered), so a
hospital sees what it will be judged on before BPJS shows it. The "quality rate" is the share of
JKN visits that came with a booking code (checked in from a booking: Mobile JKN or the booking
page) rather than as walk-ins.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import BpjsTask, DoctorSession, OutboxMessage, Service, Site, Ticket, Visit
from shared.queue.milestones import bpjs_tasks

TASKS = (1, 2, 3, 4, 5, 6)


def task_seconds(times: dict[int, int]) -> dict[int, float]:
    """How long each task lasted, in seconds: task n from its time to task n+1's."""
    return {n: (times[n + 1] - times[n]) / 1000 for n in TASKS if n in times and n + 1 in times}


@dataclass
class PoliDay:
    day: date
    poli: str
    visits: int = 0
    booked: int = 0
    ours: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    accepted: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))

    @property
    def quality_rate(self) -> float | None:
        return None if not self.visits else self.booked / self.visits

    def mean(self, which: str, task: int) -> float | None:
        values = getattr(self, which).get(task) or []
        return sum(values) / len(values) if values else None


def _accepted_times(session: Session, visit_ids: list[int]) -> dict[int, dict[int, int]]:
    rows = session.execute(
        select(BpjsTask.visit_id, BpjsTask.task_id, BpjsTask.waktu)
        .join(OutboxMessage, OutboxMessage.uid == BpjsTask.message_uid)
        .where(BpjsTask.visit_id.in_(visit_ids), OutboxMessage.delivered_at.is_not(None))
    ).all()
    found: dict[int, dict[int, int]] = defaultdict(dict)
    for visit_id, task_id, waktu in rows:
        found[visit_id][task_id] = waktu
    return found


def bpjs_wait_report(session: Session, site: Site, start: date, end: date) -> list[PoliDay]:
    """Per day and poli, the JKN visits of ``site`` from ``start`` to ``end`` (inclusive)."""
    visits = list(
        session.execute(
            select(Visit)
            .join(DoctorSession, DoctorSession.id == Visit.doctor_session_id)
            .join(Service, Service.id == DoctorSession.service_id)
            .where(
                Service.site_id == site.id,
                Visit.payer == "jkn",
                Visit.business_date >= start,
                Visit.business_date <= end,
            )
            .order_by(Visit.business_date, Visit.id)
        ).scalars()
    )
    if not visits:
        return []
    accepted = _accepted_times(session, [v.id for v in visits])
    table: dict[tuple[date, str], PoliDay] = {}
    for visit in visits:
        poli = visit.doctor_session.service.name
        row = table.setdefault((visit.business_date, poli), PoliDay(visit.business_date, poli))
        row.visits += 1
        first: Ticket = min(visit.tickets, key=lambda t: t.id)
        row.booked += first.source == "booking"
        ours = {t["taskid"]: t["waktu"] for t in bpjs_tasks(session, visit)}
        for n, seconds in task_seconds(ours).items():
            row.ours[n].append(seconds)
        for n, seconds in task_seconds(accepted.get(visit.id, {})).items():
            row.accepted[n].append(seconds)
    return [table[key] for key in sorted(table)]
