"""What every Antre session does around its flushes and commits, wired onto its factory.

Listeners hang on one sessionmaker (SQLAlchemy gives each sessionmaker its own Session subclass),
not on SQLAlchemy's global Session class, and nothing is wired by importing a module:
:func:`install` is called by shared.db.make_session_factory, the one way a factory is made (web
apps, command line, benchmarks and tests alike).
"""

from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from shared import config_cache, events, rows, staff_sessions
from shared.outbox import relay
from shared.printing import jobs
from shared.queue import publishing


def install(factory: sessionmaker) -> sessionmaker:
    events.install(factory, finalizers=publishing.FINALIZERS)
    staff_sessions.install(factory)
    relay.install_wake(factory)
    jobs.install(factory)
    config_cache.install(factory)
    rows.install(factory)
    return factory
