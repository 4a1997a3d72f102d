"""The email an appointment's news sends: subject, plain text and HTML, from Jinja2
templates in ``templates/`` (``<kind>.txt`` / ``<kind>.html`` over a shared base).

HTML is autoescaped (a patient's reason is their own text, not markup); the text parts are
not. Links are absolute: an email is read outside the app.

A letter is written in its reader's language (``Letter.language``, "en" or "hi"): the
templates' texts are English msgids marked ``_("...")`` (``{name}`` placeholders filled
from keyword arguments, escaped in HTML unless ``bold``), translated through
``core.i18n``, and the subject, dates and amounts follow the same language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from healthcareplus.core import i18n, routes
from healthcareplus.core.config import get_settings
from healthcareplus.core.formatting import format_local_date, format_local_time
from healthcareplus.core.i18n import N_

# Where the app is reached from outside, for links in emails (to move into settings).
TEMPLATES = Path(__file__).parent / "templates"
Audience = Literal["patient", "doctor"]
# How long banks usually take to show a refund (said in cancellations and refund news).
REFUND_WAIT = N_("5–7 working days")

# Lifecycle action -> template (paying and choosing to pay at the clinic both confirm).
KIND_OF = {
    "payment_succeeded": "confirmed",
    "pay_at_clinic": "confirmed",
    "rescheduled": "rescheduled",
    "cancelled": "cancelled",
    "completed": "completed",
    "no_show": "no_show",
    "request_made": "request",
    "request_accepted": "request",
    "request_declined": "request",
    "request_lapsed": "request",
}
KINDS = frozenset(KIND_OF.values())

_SUBJECTS: dict[tuple[str, Audience], str] = {
    ("confirmed", "patient"): N_("Appointment confirmed: {doctor}, {when}"),
    ("confirmed", "doctor"): N_("New appointment: {when}"),
    ("rescheduled", "patient"): N_("Appointment moved: {doctor}, now {when}"),
    ("rescheduled", "doctor"): N_("Appointment moved: now {when}"),
    ("cancelled", "patient"): N_("Appointment cancelled: {doctor}, {when}"),
    ("cancelled", "doctor"): N_("Appointment cancelled: {when}"),
    ("completed", "patient"): N_("Visit record ready: {doctor}, {when}"),
    ("completed", "doctor"): N_("Visit completed: {when}"),
    ("no_show", "patient"): N_("Missed appointment: {doctor}, {when}"),
    ("no_show", "doctor"): N_("No-show: {when}"),
    # Requests to a doctor who confirms bookings himself: a subject per event.
    ("request_made", "patient"): N_("Request sent: {doctor}, {when}"),
    ("request_made", "doctor"): N_("Booking request: {when}"),
    ("request_accepted", "patient"): N_("Request accepted: {doctor}, {when}"),
    ("request_accepted", "doctor"): N_("Accepted: {when}"),
    ("request_declined", "patient"): N_("Request declined: {doctor}, {when}"),
    ("request_declined", "doctor"): N_("Declined: {when}"),
    ("request_lapsed", "patient"): N_("Request not answered: {doctor}, {when}"),
    ("request_lapsed", "doctor"): N_("Request lapsed: {when}"),
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
    visit_for: str = ""  # "Riya Patel (Child)": the family member the visit is for
    language: str = i18n.DEFAULT_LANGUAGE  # the reader's: "en" or "hi"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def _text_words(language: str) -> dict[str, object]:
    """The templates' ``_`` and ``bold`` for a plain-text part in ``language``."""

    def translate(msgid: str, **values: object) -> str:
        return i18n.translate(msgid, language, **values)

    return {"_": translate, "bold": str}


def _html_words(language: str) -> dict[str, object]:
    """The templates' ``_`` and ``bold`` for an HTML part: the translation is escaped and
    so is every value filled in, except what ``bold`` wrapped."""

    def translate(msgid: str, **values: object) -> Markup:
        return Markup(escape(i18n.gettext(msgid, language))).format(**values)

    def bold(value: object) -> Markup:
        return Markup("<strong>{}</strong>").format(value)

    return {"_": translate, "bold": bold}


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
    language = i18n.language_or_default(letter.language)
    subject = i18n.translate(
        _SUBJECTS.get((letter.event, letter.audience)) or _SUBJECTS[(kind, letter.audience)],
        language,
        doctor=letter.doctor,
        when=letter.when,
    )
    context = {
        "letter": letter,
        "kind": kind,
        "subject": subject,
        "links": links_for(letter.appointment_id, letter.audience),
        "public_url": public_url(),
        "lang": "hi-IN" if language == i18n.HINDI else "en-IN",
    }
    text = _env.get_template(f"{kind}.txt").render(context | _text_words(language))
    html = _env.get_template(f"{kind}.html").render(context | _html_words(language))
    return RenderedEmail(subject=subject, text=text, html=html)


@dataclass(frozen=True)
class AccountNote:
    """What an account message says. ``action_path`` is a path in the app (with its query),
    made absolute in the email. The texts are English msgids (marked with ``N_``) whose
    ``{name}`` placeholders ``values`` fill: ``localized`` writes them in the reader's
    language (format the values themselves, dates and amounts, in that language too)."""

    event: str  # e.g. "account_blocked"
    subject: str
    paragraphs: tuple[str, ...]
    action_label: str = ""
    action_path: str = ""
    in_app: bool = True  # False when the link is a secret (it must reach only the mailbox)
    about: str = N_("your HealthCarePlus account")  # the footer's "an automatic message about"
    values: Mapping[str, object] = field(default_factory=dict)

    def localized(self, language: str) -> AccountNote:
        """The note in ``language``, its placeholders filled (an English note without
        values reads exactly as written)."""

        def text(msgid: str) -> str:
            return i18n.translate(msgid, language, **self.values) if msgid else ""

        return replace(
            self,
            subject=text(self.subject),
            paragraphs=tuple(text(p) for p in self.paragraphs),
            action_label=text(self.action_label),
            about=text(self.about),
            values={},
        )


def render_account_email(
    recipient_name: str, note: AccountNote, language: str = i18n.DEFAULT_LANGUAGE
) -> RenderedEmail:
    """Both bodies of an account message (``account.txt`` / ``account.html``) in
    ``language`` (``note`` already ``localized`` to it)."""
    context = {
        "letter": {"recipient_name": recipient_name},
        "note": note,
        "subject": note.subject,
        "action_url": public_url() + note.action_path if note.action_path else "",
    }
    language = i18n.language_or_default(language)
    words = {"lang": "hi-IN" if language == i18n.HINDI else "en-IN"}
    text = _env.get_template("account.txt").render(context | words | _text_words(language))
    html = _env.get_template("account.html").render(context | words | _html_words(language))
    return RenderedEmail(subject=note.subject, text=text, html=html)


__all__ = [
    "AccountNote",
    "render_account_email",
    "public_url",
    "KINDS",
    "KIND_OF",
    "REFUND_WAIT",
    "Letter",
    "RenderedEmail",
    "clinic_when",
    "links_for",
    "render_email",
]
