"""Two installations for the offline-site tests: a laptop running one mobile site alone, and the
central installation holding the same site (same slug, service codes and counter numbers)."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db import make_engine, make_session_factory
from shared.demo_data import ALL_DAY
from shared.models import Agency, Counter, Service, Site, SurveyResponse, Ticket, TicketLog, Visit
from shared.queue import (
    call_next,
    finish_ticket,
    issue_ticket,
    mark_no_show,
    recall_ticket,
    start_ticket,
    transfer_ticket,
)
from shared.survey import submit_survey

SLUG = "pusling-uji"  # not a demo site's slug: the composed app seeds the demo too
DAY = date(2026, 11, 30)  # a Monday
T0 = datetime(2026, 11, 30, 1, 30, tzinfo=UTC)  # 08:30 WIB
PRIVATE_NOTE = "Bapak Budi 081234567890"  # what a clerk might type: it must never travel


def database(tmp_path, template: str, name: str):
    target = tmp_path / f"{name}.db"
    shutil.copy(template, target)
    engine = make_engine(f"sqlite:///{target}")
    return engine, make_session_factory(engine)


def build_site(session: Session, slug: str = SLUG, codes=("UMUM", "KIA")) -> Site:
    site = Site(slug=slug, name="Puskesmas Keliling Tebo", kind="mobile", opening_hours=ALL_DAY)
    agency = Agency(site=site, name="Puskesmas Muaro Tebo", short_name="PKM")
    session.add_all([site, agency])
    session.flush()
    services = [
        Service(agency=agency, code=code, name=f"Poli {code}", prefix="AB"[i])
        for i, code in enumerate(codes)
    ]
    session.add_all(services)
    session.flush()
    for number in (1, 2):
        session.add(
            Counter(
                agency=agency,
                number=number,
                name=f"Ruang {number}",
                services=[services[(number - 1) % len(services)]],
                status=Counter.OPEN,
            )
        )
    session.flush()
    return site


def service(session: Session, code: str, slug: str = SLUG) -> Service:
    return session.execute(
        select(Service).join(Site).where(Site.slug == slug, Service.code == code)
    ).scalar_one()


def counter(session: Session, number: int, slug: str = SLUG) -> Counter:
    return session.execute(
        select(Counter).join(Site).where(Site.slug == slug, Counter.number == number)
    ).scalar_one()


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def offline_morning(session: Session) -> None:
    """A-001 served and rated, A-002 served then sent to KIA (B-001), A-003 a no-show,
    B-001 left waiting for the afternoon (see :func:`offline_afternoon`)."""
    umum, kia = service(session, "UMUM"), service(session, "KIA")
    room = counter(session, 1)
    for minute in (0, 1, 2):
        issue_ticket(session, umum.id, source="counter", now=at(minute), check_availability=False)
    first = call_next(session, room, now=at(5))
    start_ticket(session, first, now=at(6))
    finish_ticket(session, first, note=PRIVATE_NOTE, now=at(15))
    submit_survey(session, first, {f"u{i}": 4 for i in range(1, 10)} | {"age": 40}, now=at(16))
    second = call_next(session, room, now=at(17))
    start_ticket(session, second, now=at(18))
    transfer_ticket(session, second, kia.id, note=PRIVATE_NOTE, now=at(25))
    third = call_next(session, room, now=at(26))
    recall_ticket(session, third, now=at(27))
    recall_ticket(session, third, now=at(28))
    mark_no_show(session, third, now=at(30))
    session.commit()


def offline_afternoon(session: Session) -> None:
    room = counter(session, 2)
    ticket = call_next(session, room, now=at(300))
    start_ticket(session, ticket, now=at(301))
    finish_ticket(session, ticket, now=at(310))
    session.commit()


def ticket_facts(session: Session, slug: str = SLUG) -> list[tuple]:
    rows = session.execute(
        select(Ticket, Service.code)
        .join(Service)
        .join(Site)
        .where(Site.slug == slug)
        .order_by(Service.code, Ticket.number)
    ).all()
    return [
        (
            code,
            t.number,
            t.display_number,
            t.code,
            t.status,
            t.issued_at,
            t.called_at,
            t.finished_at,
            t.counter.number if t.counter else None,
            t.transferred_from.display_number if t.transferred_from else None,
        )
        for t, code in rows
    ]


def row_counts(session: Session) -> dict[str, int]:
    return {
        model.__tablename__: session.execute(select(func.count()).select_from(model)).scalar()
        for model in (Visit, Ticket, TicketLog, SurveyResponse)
    }
