"""The outbox: the messages an appointment's change sends, begun in the caller's
transaction (the lifecycle's), so a change and its news commit or vanish together.

Each change tells the patient and, when the doctor has an account, the doctor. The
in-app notices are written with the change; so is one pending row, from which the job
worker writes the rest after the change has committed (``news_letters``): the email with
a calendar invitation when the visit is booked, moved or cancelled and the texts, on the
channels each chose (``preferences``), the webhooks and the reminders; ``delivery``
sends them. A message's ``key`` names the change, the appointment, how many times that
change has happened to it, the recipient and the channel: writing the same news twice
fails on the key instead of telling anyone twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlmodel import Session

from healthcareplus.core import i18n, routes
from healthcareplus.core.db import table_of
from healthcareplus.core.formatting import format_local_date, format_local_time, format_rupees
from healthcareplus.core.i18n import N_, gettext, translate
from healthcareplus.core.models import Appointment, Doctor, Hospital, Notification, User
from healthcareplus.domain.accounts.languages import language_of
from healthcareplus.domain.notifications.centre import IN_APP
from healthcareplus.domain.notifications.email import REFUND_WAIT
from healthcareplus.domain.notifications.message_rows import insert_messages, message_row
from healthcareplus.domain.notifications.pending_news import queue_news

SUBJECT_MAX, BODY_MAX = 200, 2000


@dataclass(frozen=True)
class Visit:
    """What a message says about the appointment."""

    appointment: Appointment
    doctor: str
    doctor_user_id: int | None
    hospital: str
    hospital_address: str
    when: str  # "Sat, 28 Nov 2026 · 10:30 AM", clinic time


@dataclass(frozen=True)
class News:
    """One change as the patient and the doctor read it."""

    patient_subject: str
    patient_body: str
    doctor_subject: str
    doctor_body: str


# The news is written in the current language (``core.i18n``): the patient's own for
# the patient's copy, English for the doctor's (``appointment_news`` composes it twice).
def _say(msgid: str, visit: Visit, **values: object) -> str:
    return translate(msgid, None, doctor=visit.doctor, hospital=visit.hospital,
                     when=visit.when, **values)  # fmt: skip


def _cancelled(visit: Visit, reason: str | None, refund_paise: int) -> News:
    why = " " + translate(N_("Reason: {reason}."), None, reason=reason) if reason else ""
    refund = (
        " "
        + translate(
            N_("{amount} is being refunded to the way you paid; banks usually take {wait}."),
            None,
            amount=format_rupees(refund_paise),
            wait=gettext(REFUND_WAIT),
        )
        if refund_paise
        else ""
    )
    return News(
        _say(N_("Appointment cancelled: {doctor}, {when}"), visit),
        _say(N_("Your appointment with {doctor} at {hospital} on {when} has been cancelled."),
             visit) + f"{why}{refund}",
        _say(N_("Cancelled: {when}"), visit),
        _say(N_("The appointment on {when} at {hospital} has been cancelled."), visit) + why,
    )  # fmt: skip


def _confirmed(visit: Visit, reason: str | None, refund_paise: int) -> News:
    paid = visit.appointment
    fee = format_rupees(paid.fee_paise)
    payment = " " + (
        translate(N_("Paid {fee} (transaction {transaction})."), None, fee=fee,
                  transaction=paid.transaction_id)
        if paid.transaction_id
        else translate(N_("Fee {fee}, to be paid at the clinic."), None, fee=fee)
    )  # fmt: skip
    return News(
        _say(N_("Appointment confirmed: {doctor}, {when}"), visit),
        _say(N_("Your appointment with {doctor} at {hospital} on {when} is confirmed."), visit)
        + payment,
        _say(N_("New appointment: {when}"), visit),
        _say(N_("A patient booked {when} at {hospital}. Reason: {reason}."), visit,
             reason=paid.reason),
    )  # fmt: skip


def _rescheduled(visit: Visit, reason: str | None, refund_paise: int) -> News:
    return News(
        _say(N_("Appointment moved: {doctor}, now {when}"), visit),
        _say(N_("Your appointment with {doctor} at {hospital} is now on {when}."), visit),
        _say(N_("Moved: now {when}"), visit),
        _say(N_("A patient moved their appointment to {when} at {hospital}."), visit),
    )


def _completed(visit: Visit, reason: str | None, refund_paise: int) -> News:
    return News(
        _say(N_("Visit record ready: {doctor}, {when}"), visit),
        _say(N_("{doctor} completed your visit on {when}. The treatment record and "
                "prescription are in My appointments."), visit),
        _say(N_("Completed: {when}"), visit),
        _say(N_("The visit on {when} is marked completed."), visit),
    )  # fmt: skip


def _no_show(visit: Visit, reason: str | None, refund_paise: int) -> News:
    return News(
        _say(N_("Missed appointment: {doctor}, {when}"), visit),
        _say(N_("You were marked as not attending your appointment with {doctor} on {when}. "
                "Book again whenever you are ready."), visit),
        _say(N_("No-show: {when}"), visit),
        _say(N_("The patient of {when} is marked as a no-show."), visit),
    )  # fmt: skip


def _request_made(visit: Visit, reason: str | None, refund_paise: int) -> News:
    return News(
        _say(N_("Request sent: {doctor}, {when}"), visit),
        _say(N_("Your request for {when} at {hospital} is waiting for {doctor} to accept it. "
                "We will tell you the answer; the time is kept for you meanwhile."), visit),
        _say(N_("Booking request: {when}"), visit),
        _say(N_("A patient asks for {when} at {hospital}. Reason: {reason}. Accept or decline "
                "it in your portal."), visit, reason=visit.appointment.reason),
    )  # fmt: skip


def _request_accepted(visit: Visit, reason: str | None, refund_paise: int) -> News:
    return News(
        _say(N_("Request accepted: {doctor}, {when}"), visit),
        _say(N_("{doctor} accepted your request for {when} at {hospital}. Pay online or "
                "choose Pay at Clinic to confirm it."), visit),
        _say(N_("Accepted: {when}"), visit),
        _say(N_("You accepted the request for {when}."), visit),
    )  # fmt: skip


def _request_declined(visit: Visit, reason: str | None, refund_paise: int) -> News:
    why = " " + translate(N_("Reason: {reason}."), None, reason=reason) if reason else ""
    return News(
        _say(N_("Request declined: {doctor}, {when}"), visit),
        _say(N_("{doctor} cannot see you on {when}. Please choose another time."), visit) + why,
        _say(N_("Declined: {when}"), visit),
        _say(N_("You declined the request for {when}."), visit) + why,
    )  # fmt: skip


def _request_lapsed(visit: Visit, reason: str | None, refund_paise: int) -> News:
    return News(
        _say(N_("Request not answered: {doctor}, {when}"), visit),
        _say(N_("{doctor} did not answer your request for {when} in time, so the time is "
                "free again. Please choose another time."), visit),
        _say(N_("Request lapsed: {when}"), visit),
        _say(N_("The request for {when} lapsed without an answer."), visit),
    )  # fmt: skip


# Lifecycle actions that send news, and what they say. Holds that lapse or are given up
# before payment tell nobody: nothing was confirmed.
NEWS: dict[str, Callable[[Visit, str | None, int], News]] = {
    "payment_succeeded": _confirmed,
    "pay_at_clinic": _confirmed,
    "rescheduled": _rescheduled,
    "cancelled": _cancelled,
    "completed": _completed,
    "no_show": _no_show,
    "request_made": _request_made,
    "request_accepted": _request_accepted,
    "request_declined": _request_declined,
    "request_lapsed": _request_lapsed,
}
# News of the doctor's own answer: only the patient needs telling.
PATIENT_ONLY = frozenset({"request_accepted", "request_declined"})


def visit_of(session: Session, appointment: Appointment) -> Visit:
    doctor = session.get(Doctor, appointment.doctor_id)
    hospital = session.get(Hospital, appointment.hospital_id)
    when = f"{format_local_date(appointment.start_at)} · {format_local_time(appointment.start_at)}"
    return Visit(
        appointment=appointment,
        doctor=doctor.name if doctor else gettext("your doctor"),
        doctor_user_id=doctor.user_id if doctor else None,
        hospital=hospital.name if hospital else gettext("the clinic"),
        hospital_address=hospital.address if hospital else "",
        when=when,
    )


# How many times an event has happened to the appointment before (the patient is told every
# time), and how many times it was moved: the patient's in-app notices say.
_N = table_of(Notification)
_COUNTS = select(
    func.count().filter(_N.c.event == bindparam("event")),
    func.count().filter(_N.c.event == "rescheduled"),
).where(
    _N.c.appointment_id == bindparam("appointment_id"),
    _N.c.user_id == bindparam("patient_id"),
    _N.c.channel == IN_APP,
)


def _counts(session: Session, event: str, appointment: Appointment) -> tuple[int, int]:
    params = {
        "event": event,
        "appointment_id": appointment.id,
        "patient_id": appointment.patient_id,
    }
    before, moves = session.execute(_COUNTS, params).one()
    return int(before), int(moves)


def appointment_news(
    session: Session,
    event: str,
    appointment: Appointment,
    *,
    now: datetime,
    reason: str | None = None,
    refund_paise: int = 0,
) -> None:
    """Tell of ``event`` (a lifecycle action) on the appointment as it now is, in the
    change's transaction: the in-app notices to the patient and the doctor (sent at once),
    and the pending row from which the job worker writes the email and texts each chose,
    the webhooks and the reminders (``news_letters``). Nothing for an event that tells
    nobody. Three statements: the count, the notices' INSERT and the pending row's."""
    compose = NEWS.get(event)
    if compose is None:
        return
    with i18n.use_language(i18n.ENGLISH):
        visit = visit_of(session, appointment)
        news = compose(visit, reason, refund_paise)
    with i18n.use_language(language_of(session.get(User, appointment.patient_id))):
        patient_news = compose(visit_of(session, appointment), reason, refund_paise)
    before, moves = _counts(session, event, appointment)
    occurrence = before + 1
    letters = [
        (appointment.patient_id, patient_news.patient_subject, patient_news.patient_body,
         routes.appointment_url(appointment.id)),
    ]  # fmt: skip
    if visit.doctor_user_id is not None and event not in PATIENT_ONLY:
        letters.append(
            (visit.doctor_user_id, news.doctor_subject, news.doctor_body,
             routes.doctor_visit_url(appointment.id))
        )  # fmt: skip
    notices = [
        message_row(
            key=f"{event}:{appointment.id}:{occurrence}:{user_id}:{IN_APP}",
            event=event,
            user_id=user_id,
            appointment_id=appointment.id,
            subject=subject[:SUBJECT_MAX],
            body=body[:BODY_MAX],
            link=link,
            status="sent",  # in the app the moment it commits
            created_at=now,
            due_at=now,
            sent_at=now,
        )
        for user_id, subject, body, link in letters
    ]
    insert_messages(session, notices)
    queue_news(
        session,
        event,
        appointment,
        occurrence=occurrence,
        moves=moves,
        reason=reason,
        refund_paise=refund_paise,
        now=now,
    )


__all__ = [
    "NEWS",
    "PATIENT_ONLY",
    "SUBJECT_MAX",
    "BODY_MAX",
    "Visit",
    "appointment_news",
    "visit_of",
]
