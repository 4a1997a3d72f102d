"""An appointment as an iCalendar file (RFC 5545) for "Add to calendar"."""

from __future__ import annotations

from datetime import UTC, datetime

from healthcareplus.domain.booking.views import AppointmentView

PRODID = "-//HealthCarePlus//Appointments//EN"
UID_DOMAIN = "healthcareplus.in"
_MAX_OCTETS = 75


def ics_escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def ics_instant(value: datetime) -> str:
    """An instant in UTC form: "20261123T040000Z"."""
    if value.tzinfo is None:
        raise ValueError("naive datetime; pass an aware instant")
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> list[str]:
    """Split a content line into chunks of at most 75 octets (continuations start with a
    space), never inside a UTF-8 character."""
    chunks: list[str] = []
    current, size, limit = "", 0, _MAX_OCTETS
    for ch in line:
        width = len(ch.encode())
        if size + width > limit:
            chunks.append(current)
            current, size, limit = " ", 1, _MAX_OCTETS
        current += ch
        size += width
    chunks.append(current)
    return chunks


def _summary_name(doctor_name: str) -> str:
    name = doctor_name.strip()
    return name if name.lower().startswith(("dr.", "dr ")) else f"Dr. {name}"


def calendar_ics(view: AppointmentView, *, now: datetime | None = None) -> str:
    """A VCALENDAR with one VEVENT for the appointment, lines ending in CRLF."""
    stamp = now or datetime.now(UTC)
    location = ", ".join(p for p in (view.hospital_name, view.hospital_address) if p)
    description = [f"Reason: {view.reason}"]
    if view.transaction_id:
        description.append(f"Transaction ID: {view.transaction_id}")
    description.append(f"Fee: {view.fee_label}")
    if view.status == "cancelled":
        status = "CANCELLED"
    elif view.status == "pending_payment":
        status = "TENTATIVE"
    else:
        status = "CONFIRMED"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{view.id}@{UID_DOMAIN}",
        f"DTSTAMP:{ics_instant(stamp)}",
        f"DTSTART:{ics_instant(view.start_at)}",
        f"DTEND:{ics_instant(view.end_at)}",
        f"SUMMARY:{ics_escape('Appointment with ' + _summary_name(view.doctor_name))}",
        f"LOCATION:{ics_escape(location)}",
        f"DESCRIPTION:{ics_escape(chr(10).join(description))}",
        f"STATUS:{status}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(chunk + "\r\n" for line in lines for chunk in _fold(line))


def calendar_filename(view: AppointmentView) -> str:
    return f"appointment-{view.id[:8]}.ics"


__all__ = ["calendar_filename", "calendar_ics", "ics_escape", "ics_instant"]
