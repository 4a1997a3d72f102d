"""The email an appointment's news sends: subject, plain text and HTML, from Jinja2
templates in ``templates/`` (``<kind>.txt`` / ``<kind>.html`` over a shared base).

HTML is autoescaped (a patient's reason is their own text, not markup); the text parts are
not. Links are absolute: an email is read outside the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from healthcareplus.core import routes
from healthcareplus.core.config import get_settings
from healthcareplus.core.formatting import format_local_date, format_local_time

# Where the app is reached from outside, for links in emails (to move into settings).
TEMPLATES = Path(__file__).parent / "templates"
Audience = Literal["patient", "doctor"]

# Lifecycle action -> template (paying and choosing to pay at the clinic both confirm).
KIND_OF = {
    "payment_succeeded": "confirmed",
    "pay_at_clinic": "confirmed",
    "rescheduled": "rescheduled",
    "cancelled": "cancelled",
    "completed": "completed",
    "no_show": "no_show",
}
KINDS = frozenset(KIND_OF.values())

_SUBJECTS: dict[tuple[str, Audience], str] = {
    ("confirmed", "patient"): "Appointment confirmed: {doctor}, {when}",
    ("confirmed", "doctor"): "New appointment: {when}",
    ("rescheduled", "patient"): "Appointment moved: {doctor}, now {when}",
    ("rescheduled", "doctor"): "Appointment moved: now {when}",
    ("cancelled", "patient"): "Appointment cancelled: {doctor}, {when}",
    ("cancelled", "doctor"): "Appointment cancelled: {when}",
    ("completed", "patient"): "Visit record ready: {doctor}, {when}",
    ("completed", "doctor"): "Visit completed: {when}",
    ("no_show", "patient"): "Missed appointment: {doctor}, {when}",
    ("no_show", "doctor"): "No-show: {when}",
}

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,  # a missing value is a bug, not a blank in a patient's email
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Letter:
    """What one email says, to whom (all values already formatted for reading)."""

    event: str  # a lifecycle action in ``KIND_OF``
    audience: Audience
    recipient_name: str
    appointment_id: str
    doctor: str
    hospital: str
    hospital_address: str
    when: str  # "Sat, 28 Nov 2026, 10:30 AM", clinic time
    fee: str  # "₹500"
    transaction_id: str  # "" when not paid online
    visit_reason: str  # the patient's reason for the visit
    cancel_reason: str = ""
    refund: str = ""  # "₹500" when a refund is on its way


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def clinic_when(start_at: datetime) -> str:
    """ "Sat, 28 Nov 2026, 10:30 AM" in the clinic's time zone."""
    return f"{format_local_date(start_at)}, {format_local_time(start_at)}"


def public_url() -> str:
    """Where patients reach the app (``HCP_PUBLIC_URL``), without a trailing slash."""
    return get_settings().public_url.rstrip("/")


def links_for(appointment_id: str, audience: Audience) -> dict[str, str]:
    """Absolute links to manage the booking (patient) or open the visit (doctor)."""
    base = public_url()
    if audience == "doctor":
        return {"visit": base + routes.doctor_visit_url(appointment_id)}
    return {
        "manage": base + routes.appointment_url(appointment_id),
        "reschedule": base + routes.RESCHEDULE.replace("[appointment_id]", appointment_id),
        "book": base + routes.DOCTORS,
    }


def render_email(letter: Letter) -> RenderedEmail:
    """The subject and both bodies of ``letter``; ``KeyError`` for an event with no email."""
    kind = KIND_OF[letter.event]
    subject = _SUBJECTS[(kind, letter.audience)].format(doctor=letter.doctor, when=letter.when)
    context = {
        "letter": letter,
        "kind": kind,
        "subject": subject,
        "links": links_for(letter.appointment_id, letter.audience),
        "public_url": public_url(),
    }
    text = _env.get_template(f"{kind}.txt").render(context)
    html = _env.get_template(f"{kind}.html").render(context)
    return RenderedEmail(subject=subject, text=text, html=html)


@dataclass(frozen=True)
class AccountNote:
    """What an account message says. ``action_path`` is a path in the app (with its query),
    made absolute in the email."""

    event: str  # e.g. "account_blocked"
    subject: str
    paragraphs: tuple[str, ...]
    action_label: str = ""
    action_path: str = ""
    in_app: bool = True  # False when the link is a secret (it must reach only the mailbox)
    about: str = "your HealthCarePlus account"  # the footer's "an automatic message about ..."


def render_account_email(recipient_name: str, note: AccountNote) -> RenderedEmail:
    """Both bodies of an account message (``account.txt`` / ``account.html``)."""
    context = {
        "letter": {"recipient_name": recipient_name},
        "note": note,
        "subject": note.subject,
        "action_url": public_url() + note.action_path if note.action_path else "",
    }
    text = _env.get_template("account.txt").render(context)
    html = _env.get_template("account.html").render(context)
    return RenderedEmail(subject=note.subject, text=text, html=html)


__all__ = [
    "AccountNote",
    "render_account_email",
    "public_url",
    "KINDS",
    "KIND_OF",
    "Letter",
    "RenderedEmail",
    "clinic_when",
    "links_for",
    "render_email",
]
