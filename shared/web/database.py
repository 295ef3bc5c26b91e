"""One SQLAlchemy session per request (or per Socket.IO event), closed at teardown."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from shared.db import begin_reading


@dataclass
class Database:
    engine: Engine
    session_factory: sessionmaker


def init_app(app: Flask, engine: Engine, factory: sessionmaker) -> None:
    app.extensions["antre.db"] = Database(engine, factory)
    app.teardown_appcontext(close_session)


def database(app: Flask | None = None) -> Database:
    return (app or current_app).extensions["antre.db"]


def get_session() -> Session:
    """The request's session; views commit it once."""
    if "db_session" not in g:
        g.db_session = database().session_factory()
    return g.db_session


def reading_session() -> Session:
    """The request's session, from here on in a transaction that only reads (a report page):
    on SQLite it holds no write lock, so kiosks and clerks never wait behind it."""
    session = get_session()
    if session.in_transaction():
        session.commit()  # ends what the sign-in check read; nothing is pending in a report
    begin_reading(session)
    return session


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
