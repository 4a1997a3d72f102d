"""Database engine and sessions shared by the app, the CLI and the tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Table, event, inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import NotFound

M = TypeVar("M", bound=SQLModel)
_engines: dict[str, Engine] = {}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside one writer; busy_timeout makes writers wait for the
    # lock instead of failing; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    settings = get_settings()
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_overflow,
    )


def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().effective_database_url
    engine = _engines.get(url)
    if engine is None:
        engine = _engines[url] = make_engine(url)
    return engine


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a table model, for bulk ``insert()``s and column lists.

    (``Model.__table__`` works at run time, but SQLModel does not declare it for mypy.)
    """
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


def row_by_id(session: Session, model: type[M], row_id: object) -> M | None:
    """The ``model`` row with primary key ``row_id``, or None; an id that is not an int
    (a crafted form or URL value) is never looked up."""
    return session.get(model, row_id) if type(row_id) is int else None


def require_row(session: Session, model: type[M], row_id: object, missing: str) -> M:
    """``row_by_id``, or ``NotFound(missing)``."""
    row = row_by_id(session, model, row_id)
    if row is None:
        raise NotFound(missing)
    return row
