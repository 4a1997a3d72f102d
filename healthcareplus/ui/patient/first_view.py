"""The public pages' first view: the catalogue as the database held it when the app was
built, compiled into the page (so the prerendered HTML already shows it), until the live
data of the page's on-load event replaces it.

Without it a fresh load shows a spinner until the app has hydrated and the websocket has
brought the data (0.6-1 s after the load event on 2 cores). The copy is as old as the
build (the last start of ``reflex run``); the live data replaces it on every load, so a
change made since then shows as soon as the page is live.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from healthcareplus.core.config import get_settings
from healthcareplus.core.db import make_engine

T = TypeVar("T")

log = logging.getLogger(__name__)


def read_at_build(read: Callable[[Session], T]) -> T | None:
    """What ``read`` finds in the database now (the page is being built), or None when no
    database answers (a build without one: the page then waits for its live data).

    A session on an engine of its own, disposed at once: the building process starts the
    servers after this and none of them may inherit an open connection."""
    engine = make_engine(get_settings().effective_database_url)
    try:
        with Session(engine) as db:
            return read(db)
    except SQLAlchemyError as exc:
        log.warning("building the page without its first view: %s", exc.__class__.__name__)
        return None
    finally:
        engine.dispose()


def live_or_built(live_yet: Any, live: Any, built: Any) -> Any:
    """``live`` (a state var) once ``live_yet``, until then the ``built`` value."""
    return rx.cond(live_yet, live, built).to(live._var_type)
