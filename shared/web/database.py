"""One SQLAlchemy session per request (or per Socket.IO event), closed at teardown."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


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


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
