"""The pending half of an appointment's news: the change writes one row (with the
appointment as the change left it) and the job worker takes it to write the email,
texts, webhooks and reminders (``news_letters``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session

from healthcareplus.core.db import table_of
from healthcareplus.core.dbtypes import UTCDateTime
from healthcareplus.core.models import Appointment, PendingNews

_PENDING = table_of(PendingNews)
_INSERT = _PENDING.insert()
_APPOINTMENT_COLUMNS = table_of(Appointment).columns
_INSTANTS = frozenset(c.key for c in _APPOINTMENT_COLUMNS if isinstance(c.type, UTCDateTime))
# A change whose letters failed this often is no longer taken: it stays, with its error.
MAX_ATTEMPTS = 5
ERROR_MAX = 500


@dataclass(frozen=True)
class Pending:
    """One change's news still to be written."""

    event: str
    occurrence: int
    moves: int
    reason: str | None
    refund_paise: int
    at: datetime
    row: dict[str, Any]  # as stored, to put back if its letters fail

    def appointment(self) -> Appointment:
        """The appointment as the change left it (not attached to any session)."""
        return _from_json(self.row["appointment"])


def _as_json(appointment: Appointment) -> str:
    values = {c.key: getattr(appointment, c.key) for c in _APPOINTMENT_COLUMNS}
    plain = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}
    return json.dumps(plain, ensure_ascii=False, separators=(",", ":"))


def _from_json(text: str) -> Appointment:
    values: dict[str, Any] = json.loads(text)
    for key in _INSTANTS:
        if values.get(key) is not None:
            values[key] = datetime.fromisoformat(values[key])
    return Appointment(**values)


def queue_news(
    session: Session,
    event: str,
    appointment: Appointment,
    *,
    occurrence: int,
    moves: int,
    reason: str | None,
    refund_paise: int,
    now: datetime,
) -> None:
    """One Core INSERT in the change's transaction."""
    session.execute(
        _INSERT,
        {
            "event": event,
            "appointment_id": appointment.id,
            "occurrence": occurrence,
            "moves": moves,
            "reason": reason or "",
            "refund_paise": refund_paise,
            "appointment": _as_json(appointment),
            "created_at": now,
            "attempts": 0,
            "last_error": "",
        },
    )


def take_pending(
    session: Session, *, limit: int, appointment_id: str | None = None
) -> list[Pending]:
    """Remove up to ``limit`` of the oldest pending rows (of one appointment, if given)
    and return them, oldest first.

    The caller writes their messages in the same transaction: both commit or neither. Two
    workers never take the same row (the second DELETE finds it gone)."""
    taken = [_PENDING.c.attempts < MAX_ATTEMPTS]
    if appointment_id is not None:
        taken.append(_PENDING.c.appointment_id == appointment_id)
    oldest = (
        select(_PENDING.c.id).where(*taken).order_by(_PENDING.c.id).limit(limit).scalar_subquery()
    )
    rows = session.execute(
        delete(_PENDING).where(_PENDING.c.id.in_(oldest)).returning(*_PENDING.columns)
    ).all()
    return [
        Pending(
            event=row.event,
            occurrence=row.occurrence,
            moves=row.moves,
            reason=row.reason or None,
            refund_paise=row.refund_paise,
            at=row.created_at,
            row=dict(row._mapping),
        )
        for row in sorted(rows, key=lambda row: row.id)
    ]


def put_back(session: Session, pending: Pending, error: str) -> None:
    """Return a taken row whose letters failed, one failure more (its id and place kept)."""
    attempts = pending.row["attempts"] + 1
    session.execute(_INSERT, {**pending.row, "attempts": attempts, "last_error": error[:ERROR_MAX]})


__all__ = ["MAX_ATTEMPTS", "Pending", "put_back", "queue_news", "take_pending"]
