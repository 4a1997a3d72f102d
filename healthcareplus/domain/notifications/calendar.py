"""Calendar invitations (iCalendar, RFC 5545 / iTIP) attached to appointment emails.

One appointment is one calendar event for its whole life: the ``UID`` is derived from the
appointment id, and ``SEQUENCE`` counts the changes (each reschedule raises it), so a
calendar updates the event it already has instead of adding another, and a cancellation
(``METHOD:CANCEL``, a higher sequence) removes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Literal

from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from healthcareplus.core.config import get_settings
from healthcareplus.core.formatting import utc

Method = Literal["REQUEST", "CANCEL"]
REQUEST: Method = "REQUEST"
CANCEL: Method = "CANCEL"
UID_DOMAIN = "healthcareplus.in"
PRODID = "-//HealthCarePlus//Appointments//EN"
ALARM_BEFORE = timedelta(hours=1)


@dataclass(frozen=True)
class Invitation:
    """What the calendar event says (times are aware instants; written in UTC)."""

    appointment_id: str
    start_at: datetime
    end_at: datetime
    doctor: str  # "Dr. Meera Iyer"
    hospital: str
    hospital_address: str
    attendee_email: str
    attendee_name: str
    sequence: int  # how many times the appointment was rescheduled (cancel: one more)
    summary: str = ""  # default: "Appointment with Dr. X"


def uid_of(appointment_id: str) -> str:
    return f"{appointment_id}@{UID_DOMAIN}"


def summary_of(doctor: str) -> str:
    """ "Appointment with Dr. Meera Iyer" (the title added when the name lacks it)."""
    name = doctor if doctor.lower().startswith("dr") else f"Dr. {doctor}"
    return f"Appointment with {name}"


def _organizer(hospital: str) -> vCalAddress:
    _, address = parseaddr(get_settings().mail_from)
    organizer = vCalAddress(f"mailto:{address or 'no-reply@' + UID_DOMAIN}")
    organizer.params["cn"] = vText(hospital)
    return organizer


def invitation_ics(invite: Invitation, *, method: Method, now: datetime) -> str:
    """The .ics text: a ``REQUEST`` (with a reminder an hour before) or a ``CANCEL``."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    event = Event()
    event.add("uid", uid_of(invite.appointment_id))
    event.add("sequence", invite.sequence)
    event.add("dtstamp", utc(now))
    event.add("dtstart", utc(invite.start_at))
    event.add("dtend", utc(invite.end_at))
    event.add("summary", invite.summary or summary_of(invite.doctor))
    location = ", ".join(p for p in (invite.hospital, invite.hospital_address) if p)
    event.add("location", location)
    event["organizer"] = _organizer(invite.hospital)
    attendee = vCalAddress(f"mailto:{invite.attendee_email}")
    attendee.params["cn"] = vText(invite.attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee, encode=False)
    if method == CANCEL:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{summary_of(invite.doctor)} in an hour")
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
    calendar.add_component(event)
    return bytes(calendar.to_ical()).decode("utf-8")


def method_of(ics: str) -> str:
    """The iTIP method of an .ics text ("REQUEST", "CANCEL"; "" when it names none)."""
    if not ics:
        return ""
    return str(Calendar.from_ical(ics).get("method", "")).upper()


__all__ = [
    "CANCEL",
    "REQUEST",
    "Invitation",
    "Method",
    "invitation_ics",
    "method_of",
    "summary_of",
    "uid_of",
]
