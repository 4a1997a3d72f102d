"""The letters of an appointment's change that the job worker writes after the change
has committed (``pending_news``): the email with its calendar invitation and the texts,
to the patient and the doctor's user on the channels each chose for news
(``preferences``), the webhooks to the subscribed endpoints, and the reminders of a
confirmed or moved visit. The in-app notices were written with the change (``outbox``).

A message's ``key`` names the change, the appointment, the how-manieth time the change
happened to it, the recipient and the channel, as the in-app notices' keys do.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from healthcareplus.core import i18n, routes
from healthcareplus.core.formatting import format_rupees
from healthcareplus.core.models import Notification, User
from healthcareplus.domain.accounts.dependants import member_label
from healthcareplus.domain.accounts.languages import language_of
from healthcareplus.domain.notifications import calendar
from healthcareplus.domain.notifications.email import Audience, Letter, clinic_when, render_email
from healthcareplus.domain.notifications.outbox import (
    BODY_MAX,
    PATIENT_ONLY,
    SUBJECT_MAX,
    Visit,
    visit_of,
)
from healthcareplus.domain.notifications.pending_news import Pending, put_back, take_pending
from healthcareplus.domain.notifications.preferences import EMAIL, channels_for
from healthcareplus.domain.notifications.reminders import SCHEDULED_BY, schedule_reminders
from healthcareplus.domain.notifications.texts import text_body
from healthcareplus.domain.notifications.webhook_outbox import appointment_webhooks

log = logging.getLogger(__name__)

# The calendar invitation each kind of news carries, if any.
INVITATION_METHOD: dict[str, calendar.Method] = {
    "payment_succeeded": calendar.REQUEST,
    "pay_at_clinic": calendar.REQUEST,
    "rescheduled": calendar.REQUEST,
    "cancelled": calendar.CANCEL,
}


def _invitation(
    event: str, visit: Visit, recipient: User, audience: Audience, moves: int, now: datetime
) -> str:
    """The .ics for ``event`` ("" when it carries none). ``moves``: reschedules before
    this change; each reschedule and the cancellation raise the sequence."""
    method = INVITATION_METHOD.get(event)
    if method is None:
        return ""
    appointment = visit.appointment
    invite = calendar.Invitation(
        appointment_id=appointment.id,
        start_at=appointment.start_at,
        end_at=appointment.end_at,
        doctor=visit.doctor,
        hospital=visit.hospital,
        hospital_address=visit.hospital_address,
        attendee_email=recipient.email,
        attendee_name=recipient.name,
        sequence=moves + (1 if event in ("rescheduled", "cancelled") else 0),
        summary="" if audience == "patient" else f"Patient appointment at {visit.hospital}",
    )
    return calendar.invitation_ics(invite, method=method, now=now)


def _letter(
    event: str, visit: Visit, audience: Audience, user: User, reason: str | None, refund: int
) -> Letter:
    appointment = visit.appointment
    return Letter(
        event=event,
        audience=audience,
        recipient_name=user.name,
        appointment_id=appointment.id,
        doctor=visit.doctor,
        hospital=visit.hospital,
        hospital_address=visit.hospital_address,
        when=clinic_when(appointment.start_at),
        fee=format_rupees(appointment.fee_paise),
        transaction_id=appointment.transaction_id or "",
        visit_reason=appointment.reason,
        cancel_reason=reason or "",
        refund=format_rupees(refund) if refund else "",
    )


def _email_and_texts(
    session: Session,
    event: str,
    visit: Visit,
    occurrence: int,
    *,
    moves: int,
    now: datetime,
    reason: str | None,
    refund_paise: int,
) -> list[Notification]:
    """The queued email and texts to the patient and the doctor's user, on the channels
    each has chosen for news (``preferences``)."""
    appointment = visit.appointment
    recipients: list[tuple[Audience, int | None, str]] = [
        ("patient", appointment.patient_id, routes.appointment_url(appointment.id)),
    ]
    if event not in PATIENT_ONLY:
        recipients.append(("doctor", visit.doctor_user_id, routes.doctor_visit_url(appointment.id)))
    written = []
    for audience, user_id, link in recipients:
        user = session.get(User, user_id) if user_id is not None else None
        if user is None or user.id is None:
            continue
        # The patient reads it in their language; doctors' messages stay English.
        language = language_of(user) if audience == "patient" else i18n.ENGLISH
        with i18n.use_language(language):
            letter = _letter(event, visit, audience, user, reason, refund_paise)
            member = appointment.dependant_id if audience == "patient" else None
            rendered = render_email(
                replace(letter, language=language, visit_for=member_label(session, member))
            )
        for channel, address in channels_for(session, user, "updates"):
            email = channel == EMAIL
            written.append(
                Notification(
                    key=f"{event}:{appointment.id}:{occurrence}:{user.id}:{channel}",
                    event=event,
                    user_id=user.id,
                    appointment_id=appointment.id,
                    channel=channel,
                    to_address=address,
                    subject=rendered.subject[:SUBJECT_MAX],
                    body=(rendered.text if email else text_body(rendered.subject, link))[:BODY_MAX],
                    body_html=rendered.html if email else "",
                    attachment=_invitation(event, visit, user, audience, moves, now)
                    if email
                    else "",
                    link=link,
                    status="queued",
                    created_at=now,
                    due_at=now,
                )
            )
    return written


def write_pending_news(
    session: Session, *, now: datetime, limit: int = 100, appointment_id: str | None = None
) -> int:
    """Write the letters of up to ``limit`` pending changes (of one appointment, if given),
    oldest first, in the caller's transaction (which also removes the pending rows);
    returns how many changes.

    Each change is told as it was (the appointment as the change left it, at its time);
    reminders are only those still ahead of ``now``. A change whose letters fail is rolled
    back alone and put back to be tried on a later pass (``pending_news.MAX_ATTEMPTS``);
    the others go on."""
    written = 0
    for pending in take_pending(session, limit=limit, appointment_id=appointment_id):
        try:
            with session.begin_nested():
                session.add_all(_letters(session, pending, now))
        except Exception as exc:  # one change's fault must not hold up everyone's news
            log.exception(
                "the letters of %s on %s failed", pending.event, pending.row["appointment_id"]
            )
            put_back(session, pending, f"{type(exc).__name__}: {exc}")
        else:
            written += 1
    session.flush()
    return written


def _letters(session: Session, pending: Pending, now: datetime) -> list[Notification]:
    appointment = pending.appointment()
    with i18n.use_language(i18n.ENGLISH):
        visit = visit_of(session, appointment)
    letters = _email_and_texts(
        session,
        pending.event,
        visit,
        pending.occurrence,
        moves=pending.moves,
        now=pending.at,
        reason=pending.reason,
        refund_paise=pending.refund_paise,
    )
    letters += appointment_webhooks(
        session, pending.event, appointment, occurrence=pending.occurrence, now=pending.at
    )
    if pending.event in SCHEDULED_BY:
        letters += schedule_reminders(
            session, appointment, doctor=visit.doctor, hospital=visit.hospital, now=now
        )
    return letters


__all__ = ["INVITATION_METHOD", "write_pending_news"]
