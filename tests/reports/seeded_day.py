"""A day whose every report figure is known by construction (times are local WIB, 23 Nov 2026).

Service S1 ("15 menit" standard) at counter C1 (clerk k1), service S2 ("1 hari kerja": the
standard falls back to its 10 planned minutes) at counter C2 (clerk k2):

  T1 S1 kiosk   08:00 issued, 08:05 called C1, 08:06-08:16 served       wait 5  service 10 (ok)
  T2 S1 booking 08:10 issued, 08:20 called C1, 08:21-08:41 served       wait 10 service 20 (late)
  T3 S1 kiosk   08:30 issued, 08:45 called C1, recalled twice, 08:50 no-show   wait 15
  T4 S1 kiosk   09:05 issued, 09:10 cancelled
  T5 S1 kiosk   09:15 issued, 09:20 called C1, 09:21-09:29 served, transferred to S2
                                                                        wait 5  service 8 (ok)
  T6 S2 (from T5) 09:29 issued, 09:40 called C2, 09:41-09:53 served     wait 11 service 12 (late)
  T7 S2 booking 10:00 issued, still waiting at the end of the day

Survey: T1, T2, T5, T6 rated with tests/shared/test_skm.ANSWERS (SKM 90.51 exact, 89.60 at 0.11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from shared import queue
from shared.models import Counter, Service, StaffUser, Ticket
from shared.survey import submit_survey
from tests.factories import Factory
from tests.shared.test_skm import ANSWERS

DAY = date(2026, 11, 23)  # a Monday
WIB_0800 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def at(hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return WIB_0800 + timedelta(hours=hours - 8, minutes=minutes)


@dataclass
class SeededDay:
    s1: Service
    s2: Service
    c1: Counter
    c2: Counter
    k1: StaffUser
    k2: StaffUser
    tickets: dict[str, Ticket]


def serve(session, counter, clerk, called, started, finished):
    ticket = queue.call_next(session, counter, clerk, now=at(called))
    queue.start_ticket(session, ticket, clerk, now=at(started))
    if finished:
        queue.finish_ticket(session, ticket, clerk, now=at(finished))
    return ticket


def seed_day(session, factory: Factory, *, with_survey: bool = True) -> SeededDay:
    agency = factory.agency("UJI")
    s1 = factory.service(agency, prefix="XA", duration="15 menit", avg_service_minutes=12)
    s2 = factory.service(agency, prefix="XB", duration="1 hari kerja", avg_service_minutes=10)
    k1 = factory.user(agency=agency)
    k2 = factory.user(agency=agency)
    c1, c2 = (
        Counter(agency=agency, number=n, name=f"Loket {n}", services=[s], status=Counter.OPEN)
        for n, s in ((91, s1), (92, s2))
    )
    session.add_all([c1, c2])
    session.flush()
    t = {}
    t["T1"] = queue.issue_ticket(session, s1.id, source="kiosk", now=at("08:00"))
    assert serve(session, c1, k1, "08:05", "08:06", "08:16").id == t["T1"].id
    t["T2"] = queue.issue_ticket(session, s1.id, source="booking", now=at("08:10"))
    assert serve(session, c1, k1, "08:20", "08:21", "08:41").id == t["T2"].id
    t["T3"] = queue.issue_ticket(session, s1.id, source="kiosk", now=at("08:30"))
    called = queue.call_next(session, c1, k1, now=at("08:45"))
    queue.recall_ticket(session, called, k1, now=at("08:47"))
    queue.recall_ticket(session, called, k1, now=at("08:49"))
    queue.mark_no_show(session, called, k1, now=at("08:50"))
    t["T4"] = queue.issue_ticket(session, s1.id, source="kiosk", now=at("09:05"))
    queue.cancel_ticket(session, t["T4"], now=at("09:10"))
    t["T5"] = queue.issue_ticket(session, s1.id, source="kiosk", now=at("09:15"))
    serve(session, c1, k1, "09:20", "09:21", None)
    t["T6"] = queue.transfer_ticket(session, t["T5"], s2.id, actor=k1, now=at("09:29"))
    assert serve(session, c2, k2, "09:40", "09:41", "09:53").id == t["T6"].id
    t["T7"] = queue.issue_ticket(session, s2.id, source="booking", now=at("10:00"))
    if with_survey:
        for name, answers in zip(("T1", "T2", "T5", "T6"), ANSWERS, strict=True):
            submit_survey(session, t[name], answers, now=at("10:30"))
    session.flush()
    return SeededDay(s1, s2, c1, c2, k1, k2, t)
