"""Background jobs that run inside the app server (registered as lifespan tasks)."""

from __future__ import annotations

import asyncio
import logging

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.booking.appointments import expire_holds

log = logging.getLogger(__name__)
SWEEP_SECONDS = 30


def sweep_once() -> int:
    with session_scope() as db:
        return expire_holds(db, now=utcnow())


async def expire_holds_forever() -> None:
    """Mark lapsed payment holds expired. Reads already treat them as free at once; the
    sweep keeps the stored status honest for lists and dashboards."""
    while True:
        try:
            expired = await asyncio.to_thread(sweep_once)
            if expired:
                log.info("expired %d payment holds", expired)
        except Exception:  # keep sweeping after a transient database error
            log.exception("hold sweep failed")
        await asyncio.sleep(SWEEP_SECONDS)
