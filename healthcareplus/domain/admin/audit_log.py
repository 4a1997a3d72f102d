"""The audit trail as the admin reads it: filtered, newest first, one page at a time.

Two queries per page (the count and the rows), both on ``audit_events`` with its actor
joined; the date range is a range on the indexed ``at`` column.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.formatting import format_local_date, format_local_time, format_rupees, utc
from healthcareplus.core.models import AuditEvent, User
from healthcareplus.core.paging import Paging, fetch_page, paging
from healthcareplus.core.search_text import contains_any, search_text
from healthcareplus.core.validation import OUT_OF_RANGE_DAY, within_clinic_days

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
QUERY_MAX = 100
_ID_PREFIX = re.compile(r"[0-9a-f-]{1,36}")
ACTION_LABELS = {
    "booked": "Booked",
    "pay_at_clinic": "Chose Pay at Clinic",
    "payment_succeeded": "Payment succeeded",
    "payment_failed": "Payment failed",
    "cancelled": "Cancelled",
    "rescheduled": "Rescheduled",
    "admin_cancelled": "Cancelled by admin",
    "no_show": "Marked no-show",
    "refunded": "Refunded",
    "marked_paid": "Marked paid",
    "slot_blocked": "Blocked a slot",
    "slot_unblocked": "Unblocked a slot",
    "sign_in_lock_cleared": "Cleared a sign-in lock",
    "api_key_created": "Created an API key",
    "api_key_revoked": "Revoked an API key",
    "doctor_invitation_resent": "Resent a doctor's invitation",
    "password_set_by_link": "Set a password by emailed link",
}
_DETAIL_LABELS = {
    "doctor": "Doctor",
    "amount": "Amount",
    "amount_paise": "Amount",
    "transaction_id": "Transaction",
    "method": "Method",
    "from_status": "Was",
    "refunded": "Refunded",
    "start_at": "Slot",
    "from": "From",
    "to": "To",
    "doctor_id": "Doctor #",
}
_MONEY_KEYS = frozenset({"amount", "amount_paise"})
_INSTANT_KEYS = frozenset({"start_at", "from", "to"})


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str  # aware UTC ISO instant
    when_label: str  # "Mon, 23 Nov 2026 · 09:30 AM" (clinic time)
    actor_name: str  # "System" when no user acted
    actor_email: str
    actor_role: str
    action: str
    action_label: str
    appointment_id: str
    short_id: str  # the appointment id's first 8 characters
    entity: str
    entity_id: str
    reason: str
    details: str  # "Amount: ₹500 · Transaction: HCP-20261121-7F3K9Q"


@dataclass(frozen=True)
class AuditPage(Paging):
    rows: tuple[AuditRow, ...]

    @property
    def has_previous(self) -> bool:
        return self.has_prev


def _instant_label(value: Any) -> str:
    try:
        instant = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if instant.tzinfo is None:
        return str(value)
    return f"{format_local_date(instant)} {format_local_time(instant)}"


def _detail_value(key: str, value: Any) -> str:
    if key in _MONEY_KEYS and type(value) is int:
        return format_rupees(value)
    if key in _INSTANT_KEYS:
        return _instant_label(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", " ") if key == "from_status" else str(value)


def describe_detail(detail: Any) -> str:
    """An audit entry's detail as one readable line (unknown keys as they are)."""
    if not isinstance(detail, dict):
        return ""
    parts = []
    for key, value in detail.items():
        if value is None or value == "" or key == "time_off_id":
            continue
        label = _DETAIL_LABELS.get(key, str(key).replace("_", " ").capitalize())
        parts.append(f"{label}: {_detail_value(key, value)}")
    return " · ".join(parts)


def _day_start(day: date) -> datetime:
    return utc(datetime.combine(day, time(0), tzinfo=get_settings().clinic_zone))


def _filters(
    actor_query: str, appointment_id: str, date_from: date | None, date_to: date | None
) -> list[ColumnElement[bool]] | None:
    """SQL conditions for the filters, or None when they can match nothing."""
    conditions: list[ColumnElement[bool]] = []
    needle = search_text(actor_query, max_length=QUERY_MAX)
    if needle:
        conditions.append(contains_any(needle, User.name, User.email))
    prefix = str(appointment_id or "").strip().lower()
    if prefix:
        if not _ID_PREFIX.fullmatch(prefix):
            return None
        conditions.append(col(AuditEvent.appointment_id).startswith(prefix, autoescape=True))
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    if date_from:
        conditions.append(col(AuditEvent.at) >= _day_start(date_from))
    if date_to:
        conditions.append(col(AuditEvent.at) < _day_start(date_to + timedelta(days=1)))
    return conditions


def _row(event: AuditEvent, name: str | None, email: str | None, role: str | None) -> AuditRow:
    appointment_id = event.appointment_id or ""
    when = f"{format_local_date(event.at)} · {format_local_time(event.at)}"
    return AuditRow(
        id=event.id or 0,
        at=event.at.isoformat(),
        when_label=when,
        actor_name=name or "System",
        actor_email=email or "",
        actor_role=event.actor_role or role or "",
        action=event.action,
        action_label=ACTION_LABELS.get(event.action, event.action.replace("_", " ").capitalize()),
        appointment_id=appointment_id,
        short_id=appointment_id[:8],
        entity=event.entity or "",
        entity_id=event.entity_id or "",
        reason=event.reason or "",
        details=describe_detail(event.detail),
    )


def list_events(
    session: Session,
    *,
    actor_query: str = "",
    appointment_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> AuditPage:
    """Audit entries matching the filters, newest first.

    ``actor_query`` matches part of the actor's name or email (any case),
    ``appointment_id`` the start of the appointment id, and the dates (clinic dates,
    inclusive, 2000 to 2100) when the entry was written. A page past the end gives the
    last page.
    """
    out_of_range = {
        name: OUT_OF_RANGE_DAY
        for name, day in (("date_from", date_from), ("date_to", date_to))
        if day is not None and not within_clinic_days(day)
    }
    if out_of_range:
        raise ValidationFailed(out_of_range)
    conditions = _filters(actor_query, appointment_id, date_from, date_to)
    if conditions is None:
        return AuditPage(**asdict(paging(0, 1, page_size, max_size=MAX_PAGE_SIZE)), rows=())
    actor = col(User.id) == AuditEvent.actor_user_id
    rows, p = fetch_page(
        session,
        select(AuditEvent, User.name, User.email, User.role)
        .outerjoin(User, actor)
        .where(*conditions)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc()),
        count=select(func.count())
        .select_from(AuditEvent)
        .outerjoin(User, actor)
        .where(*conditions),
        page=page,
        page_size=page_size,
        max_size=MAX_PAGE_SIZE,
    )
    return AuditPage(**asdict(p), rows=tuple(_row(*row) for row in rows))


__all__ = ["ACTION_LABELS", "AuditPage", "AuditRow", "describe_detail", "list_events"]
