"""Alembic environment: the app's models and database URL, so `alembic upgrade head`
and `python -m healthcareplus migrate` act on the same database as the app."""

from typing import Any, Literal

import sqlalchemy as sa
from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlmodel import SQLModel

import healthcareplus.core.models  # noqa: F401  (registers the tables)
from healthcareplus.core.db import get_engine
from healthcareplus.core.dbtypes import UTCDateTime

target_metadata = SQLModel.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Migrations store the plain column type; UTCDateTime only converts values in Python.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure_and_run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    passed = context.config.attributes.get("connection")
    if passed is not None:
        _configure_and_run(passed)
        return
    with get_engine(context.config.attributes.get("url")).connect() as connection:
        _configure_and_run(connection)
        connection.commit()


run_migrations()
