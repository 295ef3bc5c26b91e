"""The demo mall as the fault tests need it: counters with a clerk who may call there, and the
mall's time zone (read and written straight in the database file, before a server starts)."""

from __future__ import annotations

from sqlalchemy import select, update

from shared.db import make_engine, make_session_factory
from shared.models import Counter, Site, StaffUser


def counters_with_clerks(db_url: str) -> list[dict]:
    """Every counter with one service, its first clerk (one clerk per counter, as in a mall)."""
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            counters = session.execute(select(Counter).order_by(Counter.id)).scalars().all()
            clerks: dict[int, list[str]] = {}
            for user in session.execute(
                select(StaffUser).where(StaffUser.role == StaffUser.CLERK).order_by(StaffUser.id)
            ).scalars():
                clerks.setdefault(user.agency_id, []).append(user.username)
            found = []
            for counter in counters:
                left = clerks.get(counter.agency_id) or []
                if counter.services and left:
                    found.append(
                        {
                            "id": counter.id,
                            "number": counter.number,
                            "service": counter.services[0].id,
                            "clerk": left.pop(0),
                        }
                    )
            return found
    finally:
        engine.dispose()


def counter_one(db_url: str) -> dict:
    """Counter 1 (Dukcapil in the demo), its first service and a clerk of its agency."""
    return next(c for c in counters_with_clerks(db_url) if c["number"] == 1)


def set_timezone(db_url: str, timezone: str) -> None:
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            session.execute(update(Site).values(timezone=timezone))
            session.commit()
    finally:
        engine.dispose()
