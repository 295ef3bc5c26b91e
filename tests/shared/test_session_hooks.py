"""Session hooks are wired onto each factory by shared.db.make_session_factory, none by import."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

import counter.api
import display.sockets
import kiosk.api
from shared import events, queue, staff_sessions
from shared.db import make_engine, make_session_factory
from shared.outbox import relay
from shared.printing import jobs
from shared.queue import publishing
from tests.shared.concurrency import NOON_JAKARTA

HOOKS = (
    "before_flush",
    "after_flush",
    "do_orm_execute",
    "before_commit",
    "after_commit",
    "after_rollback",
    "after_soft_rollback",
)


def test_importing_the_apps_hangs_nothing_on_sqlalchemys_session_class():
    loaded = (kiosk.api, counter.api, display.sockets, staff_sessions, relay, jobs, publishing)
    assert all(loaded)  # the modules that used to hang listeners when imported
    plain = Session()
    for name in HOOKS:
        assert len(getattr(plain.dispatch, name)) == 0, name


def test_a_factory_of_its_own_publishes_nothing_and_ours_publishes(db_url, factory, session):
    service = factory.service()
    factory.counter([service])
    session.commit()
    engine = make_engine(db_url)
    bare = sessionmaker(bind=engine)
    with bare() as other:
        other.info[events.PUBLISHER_KEY] = heard_bare = events.RecordingPublisher()
        queue.issue_ticket(other, service.id, now=NOON_JAKARTA)
        other.commit()
    assert heard_bare.events == []  # no hooks: not numbered, not published
    heard = events.RecordingPublisher()
    with make_session_factory(engine, heard)() as ours:
        queue.issue_ticket(ours, service.id, now=NOON_JAKARTA)
        ours.commit()
    assert {e.seq for e in heard.events} == {1}  # numbered per room from 1: the bare one used none
    engine.dispose()
