"""Antrean FKTP (puskesmas, klinik pratama): what a JKN visit sends, written with the change.

FKTP has no booking code and no task ids: BPJS knows a visit by (tanggalperiksa, kodepoli,
nomorkartu). ``antrean/add`` when the visit reaches the poli (its poli ticket is issued),
``antrean/panggil`` status 1 when the poli starts serving it (present) or status 2 when it is
marked a no-show there (absent), ``antrean/batal`` when it is cancelled after the add. Each at
most once (markers in ``bpjs_task``), in order under the visit's outbox key. The card number is
added at delivery from PatientIdentity, never stored in the outbox.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.bpjs.antrean import kodebooking_for
from shared.bpjs.milestones import ms
from shared.models import BpjsTask, BpjsVisit, TicketLog, Visit

ADD, BATAL, PRESENT, ABSENT = 0, 101, 201, 202
POLI_STAGE = "poli"


def _poli_events(session: Session, visit: Visit) -> tuple[object | None, dict]:
    """The visit's poli ticket (the first) and its first call / no-show / cancel times."""
    from shared.queue.pathways import step_of  # (shared.queue publishes through this module)

    polis = [t for t in visit.tickets if (s := step_of(visit, t)) and s.stage == POLI_STAGE]
    if not polis:
        return None, {}
    ticket = polis[0]
    rows = session.execute(
        select(TicketLog.action, TicketLog.at)
        .where(TicketLog.ticket_id == ticket.id)
        .order_by(TicketLog.at, TicketLog.id)
    ).all()
    found: dict = {}
    for action, at in rows:
        found.setdefault(action, at)
    return ticket, found


def _body(visit: Visit, ticket) -> dict:
    poli = ticket.service
    doctor_session = visit.doctor_session
    doctor = doctor_session.doctor if doctor_session else None
    return {
        "kodepoli": poli.bpjs_code,
        "namapoli": poli.name,
        "tanggalperiksa": visit.business_date.isoformat(),
        "kodedokter": (int(doctor.bpjs_code) if doctor and doctor.bpjs_code.isdigit() else ""),
        "namadokter": doctor.name if doctor else "",
        "jampraktek": (f"{doctor_session.start}-{doctor_session.end}" if doctor_session else ""),
        "nomorantrean": ticket.display_number,
        "angkaantrean": visit.session_number or ticket.number,
        "keterangan": "",
    }


def sync_visit(session: Session, visit: Visit, site_id: int, send) -> int:
    """``send(record, endpoint, body, personal)`` writes one outbox message and returns it."""
    session.flush()
    record = session.get(BpjsVisit, visit.id)
    if record is None:
        record = BpjsVisit(visit_id=visit.id, site_id=site_id, kodebooking=kodebooking_for(visit))
        session.add(record)
    done = set(
        session.execute(select(BpjsTask.task_id).where(BpjsTask.visit_id == visit.id)).scalars()
    )
    ticket, events = _poli_events(session, visit)
    if ticket is None or BATAL in done:
        return 0
    base = _body(visit, ticket)
    where = {key: base[key] for key in ("tanggalperiksa", "kodepoli")}
    plan = []
    if ADD not in done and "cancel" not in events:
        plan.append((ADD, "antrean/add", base, ["nomorkartu", "nik", "nohp", "norm"]))
    if "start" in events and not done & {PRESENT, ABSENT}:
        body = {**where, "status": 1, "waktu": ms(events["start"])}
        plan.append((PRESENT, "antrean/panggil", body, ["nomorkartu"]))
    elif "no_show" in events and not done & {PRESENT, ABSENT}:
        body = {**where, "status": 2, "waktu": ms(events["no_show"])}
        plan.append((ABSENT, "antrean/panggil", body, ["nomorkartu"]))
    added = ADD in done or any(marker == ADD for marker, *_ in plan)
    if "cancel" in events and added and ticket.status == "cancelled":
        body = {**where, "alasan": "Dibatalkan di puskesmas"}
        plan.append((BATAL, "antrean/batal", body, ["nomorkartu"]))
    for marker, endpoint, body, personal in plan:
        message = send(record, visit, endpoint, body, personal)
        session.add(
            BpjsTask(
                visit_id=visit.id,
                task_id=marker,
                waktu=body.get("waktu", 0),
                message_uid=message.uid,
            )
        )
    record.added = record.added or added
    return len(plan)
