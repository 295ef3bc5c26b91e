"""What a JKN visit's changes send to BPJS, written to the outbox in the change's transaction.

One call per ticket change, from ``publishing.ticket_changed``: ``sync_visit`` compares what the
visit's log has completed (shared/bpjs/milestones.py) with what was already written (BpjsTask)
and writes what is new, in task order, with times strictly increasing (a task logged in the same
millisecond as the one before is sent 1 ms later). A task passed over (e.g. 2 when the clerk
never pressed "start") is never sent after a later one. All messages of a visit share the key
``kodebooking``, so the outbox delivers them one after another, in the order written.

``antrean/add`` waits until the visit has a doctor's session and either reaches the poli (task 3)
or has its identity recorded (PatientIdentity): a kiosk walk-in is identified at registration,
and BPJS wants the card number with the add. Tasks 1 and 2 then follow the add with their own
(earlier) times, as SIMRS implementations do. Bookings made through Mobile JKN are already known
to BPJS: the inbound web service marks them ``added`` (``adopt_booking``) so no add is sent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.bpjs import fktp
from shared.bpjs.antrean import add_body, jenisresep, kodebooking_for
from shared.bpjs.bridges import active_bridge, is_bridged
from shared.bpjs.milestones import CANCELLED, ms, visit_milestones
from shared.models import BpjsTask, BpjsVisit, PatientIdentity, Ticket, Visit
from shared.outbox import enqueue

KIND = "bpjs"
# Markers kept beside the task ids in BpjsTask: the one-off calls, written at most once.
ADD, FARMASI, BATAL = 0, 100, 101
PHARMACY_STAGE = "pharmacy"


def ticket_changed(session: Session, ticket: Ticket, action: str, now: datetime) -> None:
    """Called for every change of a ticket; cheap for anything but a JKN visit of a bridged site
    (at a site without a bridge, not even the visit is read)."""
    site_id = ticket.service.site_id
    if not is_bridged(session, site_id):
        return
    visit = ticket.visit
    if visit is None or visit.payer != "jkn":
        return
    visit_changed(session, visit, site_id, now)


def visit_changed(session: Session, visit: Visit, site_id: int, now: datetime) -> None:
    """Also for a change outside the queue (the identity recorded at registration). The messages
    are written as of ``now``, the change's time."""
    bridge = active_bridge(session, site_id)
    if bridge is None:
        return
    if bridge.variant == "fktp":

        def send(record: BpjsVisit, visit: Visit, endpoint: str, body: dict, personal: list[str]):
            return _send(session, record, visit, endpoint, body, now, personal=personal)

        fktp.sync_visit(session, visit, bridge.site_id, send)
    else:
        sync_visit(session, visit, bridge.site_id, now)


def record_for(session: Session, visit: Visit, site_id: int) -> BpjsVisit:
    record = session.get(BpjsVisit, visit.id)
    if record is None:
        record = BpjsVisit(visit_id=visit.id, site_id=site_id, kodebooking=kodebooking_for(visit))
        session.add(record)
    return record


def adopt_booking(session: Session, visit: Visit, site_id: int, kodebooking: str) -> BpjsVisit:
    """A booking BPJS already holds (Mobile JKN's ambilantrean): its code, and no add."""
    record = record_for(session, visit, site_id)
    record.kodebooking = kodebooking
    record.added = True
    return record


def _send(
    session: Session,
    record: BpjsVisit,
    visit: Visit,
    endpoint: str,
    body: dict,
    now: datetime,
    **extra,
):
    payload = {"endpoint": endpoint, "body": body, "visit_id": visit.id, **extra}
    return enqueue(
        session,
        KIND,
        payload,
        site_id=record.site_id,
        key=f"bpjs:{record.kodebooking}",
        ref=("visit", visit.id),
        now=now,
    )


def _mark(session: Session, visit: Visit, task: int, waktu: int, message) -> None:
    session.add(BpjsTask(visit_id=visit.id, task_id=task, waktu=waktu, message_uid=message.uid))


def _ready_to_add(session: Session, visit: Visit, reached: dict) -> bool:
    if visit.doctor_session_id is None or CANCELLED in reached:
        return False
    return any(3 <= task <= 7 for task in reached) or session.get(PatientIdentity, visit.id)


def _farmasi_due(visit: Visit, done: dict) -> bool:
    return (
        FARMASI not in done
        and 5 in done
        and visit.prescription in ("racikan", "non_racikan")
        and any(_stage(visit, t) == PHARMACY_STAGE for t in visit.tickets)
    )


def _stage(visit: Visit, ticket: Ticket) -> str | None:
    from shared.queue.pathways import step_of

    step = step_of(visit, ticket)
    return step.stage if step is not None else None


def sync_visit(session: Session, visit: Visit, site_id: int, now: datetime) -> int:
    """Write what is new for this visit; how many messages were written."""
    session.flush()
    record = record_for(session, visit, site_id)
    done = dict(
        session.execute(
            select(BpjsTask.task_id, BpjsTask.waktu).where(BpjsTask.visit_id == visit.id)
        ).all()
    )
    if CANCELLED in done:
        return 0
    reached = visit_milestones(session, visit)
    written = 0
    if not record.added:
        if not _ready_to_add(session, visit, reached):
            return 0
        body = add_body(session, visit)
        message = _send(session, record, visit, "antrean/add", body, now, personal=True)
        record.added = True
        done[ADD] = 0
        _mark(session, visit, ADD, 0, message)
        written += 1
    last_task = max((task for task in done if 1 <= task <= 7), default=0)
    last_ms = max(done.values(), default=0)
    for task in sorted(reached, key=lambda t: (t == CANCELLED, t)):
        if task in done or (task != CANCELLED and task <= last_task):
            continue
        if task >= 6 and _farmasi_due(visit, done):
            written += _farmasi(session, record, visit, done, now)
        waktu = max(ms(reached[task]), last_ms + 1)
        body = {"kodebooking": record.kodebooking, "taskid": task, "waktu": waktu}
        if 5 <= task <= 7:
            body["jenisresep"] = jenisresep(visit)
        _mark(
            session,
            visit,
            task,
            waktu,
            _send(session, record, visit, "antrean/updatewaktu", body, now, task=task),
        )
        done[task] = waktu
        last_ms, written = waktu, written + 1
        if task != CANCELLED:
            last_task = task
    if _farmasi_due(visit, done):
        written += _farmasi(session, record, visit, done, now)
    if CANCELLED in done and BATAL not in done and visit.tickets[-1].status == "cancelled":
        body = {"kodebooking": record.kodebooking, "keterangan": "Dibatalkan di rumah sakit"}
        _mark(session, visit, BATAL, 0, _send(session, record, visit, "antrean/batal", body, now))
        record.cancelled = True
        written += 1
    return written


def _farmasi(session: Session, record: BpjsVisit, visit: Visit, done: dict, now: datetime) -> int:
    pharmacy = next(t for t in reversed(visit.tickets) if _stage(visit, t) == PHARMACY_STAGE)
    body = {
        "kodebooking": record.kodebooking,
        "jenisresep": jenisresep(visit),
        "nomorantrean": pharmacy.number,
        "keterangan": "",
    }
    message = _send(session, record, visit, "antrean/farmasi/add", body, now)
    _mark(session, visit, FARMASI, 0, message)
    done[FARMASI] = 0
    return 1
