"""The audit trail: one row per change worth answering for (who, when, what, why).

Entries are added to the caller's session and committed with the change they describe.
The domain names the "who, when" once per change as an ``Actor`` and writes each entry
with ``audit``; ``audit_event`` is the same with the actor given field by field, and
``write_audit`` writes the same entry at once with one Core INSERT (no unit of work, no
object): for the hot paths whose entry nothing reads back in the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from healthcareplus.core.db import table_of
from healthcareplus.core.models import AuditEvent

_INSERT = table_of(AuditEvent).insert()


@dataclass(frozen=True)
class Actor:
    """Who makes a change and when: the user's id (None for the system), the role they
    act in and the instant. Every audit entry of the change names them."""

    id: int | None
    role: str | None
    now: datetime


def audit(
    session: Session,
    by: Actor,
    action: str,
    *,
    appointment_id: str | None = None,
    entity: str | None = "appointment",
    entity_id: int | str | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add (not commit) one audit trail entry about an appointment, or about another
    ``entity`` (doctor, patient, city...); an empty reason is stored as none."""
    event = AuditEvent(**_entry(by, action, appointment_id, entity, entity_id, reason, detail))
    session.add(event)
    return event


def write_audit(
    session: Session,
    by: Actor,
    action: str,
    *,
    appointment_id: str | None = None,
    entity: str | None = "appointment",
    entity_id: int | str | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """``audit``'s entry, INSERTed now in the caller's transaction (not committed)."""
    entry = _entry(by, action, appointment_id, entity, entity_id, reason, detail)
    session.execute(_INSERT, entry)


def _entry(
    by: Actor,
    action: str,
    appointment_id: str | None,
    entity: str | None,
    entity_id: int | str | None,
    reason: str | None,
    detail: dict[str, Any] | None,
) -> dict[str, Any]:
    return {
        "at": by.now,
        "actor_user_id": by.id,
        "actor_role": by.role,
        "action": action,
        "appointment_id": appointment_id,
        "entity": entity,
        "entity_id": str(entity_id) if entity_id is not None else appointment_id,
        "reason": reason or None,
        "detail": dict(detail or {}),
    }


def changes(
    row: object | None, after: Mapping[str, Any], keys: Iterable[str] | None = None
) -> dict[str, dict[str, Any]]:
    """An edit's audit detail: ``{field: {"from": old, "to": new}}`` for each of ``keys``
    (default: every field of ``after``) whose value on ``row`` (None: a new row) differs."""
    before = {key: getattr(row, key, None) for key in (after if keys is None else keys)}
    return {k: {"from": old, "to": after[k]} for k, old in before.items() if old != after[k]}


def audit_event(
    session: Session,
    *,
    action: str,
    appointment_id: str | None,
    actor_id: int | None,
    actor_role: str | None,
    now: datetime,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    entity: str | None = "appointment",
    entity_id: str | None = None,
) -> AuditEvent:
    """``audit`` with the actor given field by field."""
    return audit(
        session,
        Actor(actor_id, actor_role, now),
        action,
        appointment_id=appointment_id,
        entity=entity,
        entity_id=entity_id,
        reason=reason,
        detail=detail,
    )


__all__ = ["Actor", "audit", "audit_event", "changes", "write_audit"]
