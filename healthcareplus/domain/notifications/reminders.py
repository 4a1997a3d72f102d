"""Reminders before a visit (``HCP_REMINDER_HOURS``, 24 and 2 by default), to the patient
on the channels they chose for reminders (``preferences``), and the nudge before an
unpaid hold lapses.

They are written, queued for their time, when a booking is confirmed or moved, and each
carries the start it is about (``about_start_at``): at send time delivery skips any whose
appointment is no longer confirmed at exactly that start, so a cancelled, moved, completed
or missed visit is never reminded of, and a move's new reminders take over.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.config import get_settings
from healthcareplus.core.formatting import format_local_date, format_local_time
from healthcareplus.core.i18n import N_, gettext, translate, use_language
from healthcareplus.core.models import Appointment, Notification, User
from healthcareplus.domain.accounts.languages import language_of
from healthcareplus.domain.notifications.centre import IN_APP
from healthcareplus.domain.notifications.message_rows import insert_messages, message_row
from healthcareplus.domain.notifications.preferences import EMAIL, channels_for
from healthcareplus.domain.notifications.texts import text_body

EVENT = "reminder"
HOLD_NUDGE = "hold_nudge"
# The lifecycle actions after which the appointment is confirmed at a (new) start.
SCHEDULED_BY = frozenset({"payment_succeeded", "pay_at_clinic", "rescheduled"})


def reminder_hours() -> tuple[int, ...]:
    """The configured hours before a visit, largest first (junk entries ignored)."""
    hours = {
        int(part) for part in get_settings().reminder_hours.split(",") if part.strip().isdigit()
    }
    return tuple(sorted((h for h in hours if 0 < h <= 24 * 14), reverse=True))


def _lead(hours: int) -> str:
    if hours % 24 == 0:
        days = hours // 24
        return gettext("tomorrow") if days == 1 else translate(N_("in {days} days"), days=days)
    if hours == 1:
        return gettext("in 1 hour")
    return translate(N_("in {hours} hours"), hours=hours)


def schedule_reminders(
    session: Session, appointment: Appointment, *, doctor: str, hospital: str, now: datetime
) -> list[Notification]:
    """Queue the reminders of the appointment's current start that still lie ahead (in
    the patient's language)."""
    patient = session.get(User, appointment.patient_id)
    with use_language(language_of(patient)):
        return _reminders(session, appointment, patient, doctor=doctor, hospital=hospital, now=now)


def _reminders(
    session: Session,
    appointment: Appointment,
    patient: User | None,
    *,
    doctor: str,
    hospital: str,
    now: datetime,
) -> list[Notification]:
    channels = channels_for(session, patient, "reminders") if patient is not None else []
    when = f"{format_local_date(appointment.start_at)}, {format_local_time(appointment.start_at)}"
    start = appointment.start_at.isoformat()
    written = []
    for hours in reminder_hours():
        due = appointment.start_at - timedelta(hours=hours)
        if due <= now:
            continue
        subject = translate(
            N_("Reminder: {doctor} {lead}, {when}"), doctor=doctor, lead=_lead(hours), when=when
        )
        body = translate(
            N_(
                "Your appointment with {doctor} at {hospital} is on {when}. Please arrive ten "
                "minutes early. To cancel or move it, open My appointments."
            ),
            doctor=doctor,
            hospital=hospital,
            when=when,
        )
        link = routes.appointment_url(appointment.id)
        for channel, address in channels:
            written.append(
                Notification(
                    key=f"{EVENT}:{hours}h:{appointment.id}:{start}:{appointment.patient_id}:{channel}",
                    event=EVENT,
                    user_id=appointment.patient_id,
                    appointment_id=appointment.id,
                    channel=channel,
                    to_address=address,
                    subject=subject[:200],
                    body=body if channel in (IN_APP, EMAIL) else text_body(subject, link),
                    link=link,
                    status="queued",
                    created_at=now,
                    due_at=due,
                    about_start_at=appointment.start_at,
                )
            )
    session.add_all(written)
    return written


def schedule_hold_nudge(session: Session, appointment: Appointment, *, now: datetime) -> None:
    """One nudge, in the app, ``HCP_HOLD_NUDGE_MINUTES`` before an unpaid hold lapses;
    skipped at send time unless the booking is still waiting for payment at that start.

    Written at once with one Core INSERT in the caller's transaction (the booking's hot
    path: no unit of work for a row nothing reads back)."""
    minutes = get_settings().hold_nudge_minutes
    if appointment.hold_expires_at is None or minutes == 0:
        return
    at = format_local_time(appointment.start_at)
    # In the language of the patient booking (the current one).
    subject = translate(N_("Your slot at {time} is held for a few more minutes"), time=at)
    body = gettext("Pay now to confirm it; after that the slot is released for others.")
    due = appointment.hold_expires_at - timedelta(minutes=minutes)
    _insert_nudge(session, appointment, subject, body, due=due, now=now)


ACCEPTED_NUDGE_LEAD = timedelta(hours=2)


def schedule_accepted_request_nudge(
    session: Session, appointment: Appointment, *, now: datetime
) -> None:
    """The doctor accepted a request, which now waits hours for payment: one nudge, in the
    app, two hours before that time runs out (halfway through a shorter wait), in the
    patient's language; skipped at send time once the booking is paid, set for the clinic
    or cancelled."""
    pay_by = appointment.hold_expires_at
    if pay_by is None or get_settings().hold_nudge_minutes == 0 or pay_by <= now:
        return
    due = pay_by - min(ACCEPTED_NUDGE_LEAD, (pay_by - now) / 2)
    with use_language(language_of(session.get(User, appointment.patient_id))):
        subject = translate(
            N_("Pay by {deadline} to keep your visit on {day}"),
            deadline=f"{format_local_date(pay_by)}, {format_local_time(pay_by)}",
            day=format_local_date(appointment.start_at),
        )
        body = gettext(
            "The doctor accepted your request. Pay online or choose Pay at Clinic to confirm "
            "it; after that time the slot is released for others."
        )
    _insert_nudge(session, appointment, subject, body, due=due, now=now)


def _insert_nudge(
    session: Session,
    appointment: Appointment,
    subject: str,
    body: str,
    *,
    due: datetime,
    now: datetime,
) -> None:
    if due <= now:
        return
    row = message_row(
        key=f"{HOLD_NUDGE}:{appointment.id}:{appointment.patient_id}:{IN_APP}",
        event=HOLD_NUDGE,
        user_id=appointment.patient_id,
        appointment_id=appointment.id,
        subject=subject,
        body=body,
        link=routes.payment_url(appointment.id),
        status="queued",
        created_at=now,
        due_at=due,
        about_start_at=appointment.start_at,
    )
    insert_messages(session, [row])


__all__ = [
    "EVENT",
    "HOLD_NUDGE",
    "SCHEDULED_BY",
    "reminder_hours",
    "schedule_accepted_request_nudge",
    "schedule_hold_nudge",
    "schedule_reminders",
]
