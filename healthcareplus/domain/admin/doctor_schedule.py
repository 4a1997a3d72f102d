"""The admin's weekly-schedule editor on top of ``schedules.replace_weekly_schedule``.

The admin edits block by block (a row per block, typed times); this module only turns
those rows into the ``(weekday, "HH:MM", "HH:MM", slot)`` blocks that
``schedules.clean_blocks`` validates. Everything else — validation, the refusal of a change
that would strand booked appointments (``ScheduleConflict``), cancelling them with refunds
when the admin confirms with a reason, and the audit — is the doctors' own schedule path.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from healthcareplus.core.models import Role
from healthcareplus.domain.scheduling import schedules

_WITH_SECONDS = re.compile(r"^\s*(\d{1,2}:\d{2}):00\s*$")  # what some <input type=time> send


@dataclass(frozen=True)
class BlockInput:
    """One block as the admin's form sent it (any types: it is validated, not trusted)."""

    weekday: Any
    start: Any
    end: Any
    slot_minutes: Any


def _clock(value: Any) -> Any:
    match = _WITH_SECONDS.match(value) if isinstance(value, str) else None
    return match.group(1) if match else value


def _slot(value: Any) -> Any:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip()[:3])
    return value


def as_blocks(blocks: Sequence[BlockInput]) -> list[schedules.Block]:
    """The rows as blocks for ``schedules.clean_blocks`` (form text -> int slot lengths)."""
    return [(b.weekday, _clock(b.start), _clock(b.end), _slot(b.slot_minutes)) for b in blocks]


def set_schedule(
    session: Session,
    *,
    doctor_id: int,
    blocks: Sequence[BlockInput],
    actor_id: int,
    actor_role: str = Role.ADMIN,
    cancel_affected: bool = False,
    reason: str = "",
    expected_affected: Collection[str] | None = None,
    now: datetime,
) -> schedules.ScheduleChange:
    """Replace the doctor's weekly schedule. Refused with ``ScheduleConflict`` (listing the
    appointments) when booked visits would fall outside the new hours, unless
    ``cancel_affected`` with a ``reason``: then they are cancelled and refunded."""
    return schedules.replace_weekly_schedule(
        session,
        doctor_id=doctor_id,
        blocks=as_blocks(blocks),
        actor_id=actor_id,
        actor_role=actor_role,
        cancel_affected=cancel_affected,
        reason=reason,
        now=now,
        expected_affected=expected_affected,
    )


__all__ = ["BlockInput", "as_blocks", "set_schedule"]
