"""A patient erasing their account (India's Digital Personal Data Protection Act, 2023:
the right to erasure), while the clinic keeps the rows its books and the law need.

Asked by the patient themselves, with their password, and only once no visit is still to
come (those are cancelled first, which refunds them). In one transaction:

- the account is anonymised in place ("Former patient", an address at ``.invalid`` no
  mail can reach, no phone, no password, no medical profile) and deactivated, and every
  session, API login and password link ends;
- family members with visits are anonymised the same way (their birth date kept only to
  the year, which the clinic's age statistics need); those without are deleted;
- appointments and payments stay, for the clinic's accounts: only what the patient wrote
  (the visit's reason, their own cancellation note) and payment identifiers (UPI id, card
  digits) are cleared;
- treatment records stay, linked to nobody identifiable: medical records are kept for the
  period the law requires;
- reviews keep their star rating (the doctor's average does not move) without their text;
- the patient leaves every waitlist;
- messages, notification settings and sign-in attempts are deleted, and the audit trail's
  details about the account (the values of past edits) are emptied, its entries kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.errors import Conflict, ValidationFailed
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import (
    Appointment,
    AuditEvent,
    Dependant,
    LoginAttempt,
    Notification,
    NotificationPreference,
    PasswordLink,
    Payment,
    PendingNews,
    Review,
    Role,
    User,
    WaitlistEntry,
)
from healthcareplus.core.waitlist_models import EntryStatus
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.accounts.passwords import NO_PASSWORD, verify_password
from healthcareplus.domain.accounts.sessions import revoke_all_sessions
from healthcareplus.domain.scheduling.lifecycle import holds_slot_clause

NOT_A_PATIENT = "Only a patient can erase their own account."
WRONG_PASSWORD = "That is not your password."
CONFIRM = "Tick the box to confirm that you understand this cannot be undone."
UPCOMING = (
    "You have {count} upcoming visit(s). Cancel them first (paid visits are refunded), "
    "then erase your account."
)
FORMER_PATIENT = "Former patient"
FORMER_FAMILY_MEMBER = "Former family member"
ERASED = "(erased)"


@dataclass(frozen=True)
class Erasure:
    """What was done, as counts (also the audit entry's detail)."""

    appointments_kept: int
    family_members_deleted: int
    family_members_anonymised: int
    messages_deleted: int


def _upcoming(session: Session, user_id: int, now: datetime) -> int:
    query = select(func.count(col(Appointment.id))).where(
        col(Appointment.patient_id) == user_id,
        col(Appointment.start_at) > now,
        holds_slot_clause(now),
    )
    return int(session.exec(query).one())


def _anonymise_family(session: Session, user_id: int, now: datetime) -> tuple[int, int]:
    """(deleted, anonymised) family members of the account."""
    members = session.exec(select(Dependant).where(col(Dependant.holder_id) == user_id)).all()
    booked = set(
        session.exec(
            select(Appointment.dependant_id)
            .where(col(Appointment.dependant_id).in_([m.id for m in members]))
            .distinct()
        ).all()
    )
    deleted = anonymised = 0
    for member in members:
        if member.id not in booked:
            session.delete(member)
            deleted += 1
            continue
        member.name, member.relation = FORMER_FAMILY_MEMBER, "other"
        member.date_of_birth = date(member.date_of_birth.year, 1, 1)
        member.gender = member.blood_group = None
        member.allergies = member.medical_history = ""
        member.archived_at, member.updated_at = member.archived_at or now, now
        session.add(member)
        anonymised += 1
    return deleted, anonymised


def _anonymise_account(user: User, now: datetime) -> None:
    user.name, user.email, user.phone = FORMER_PATIENT, f"erased-{user.id}@erased.invalid", ""
    user.password_hash, user.must_change_password = NO_PASSWORD, False
    user.date_of_birth = None
    user.gender = user.blood_group = None
    user.allergies = user.medical_history = ""
    user.address = user.emergency_contact_name = user.emergency_contact_phone = ""
    user.is_active, user.updated_at = False, now


def erase_own_account(
    session: Session, *, actor_id: object, password: object, confirmed: object, now: datetime
) -> Erasure:
    """Erase the signed-in patient's account (see the module's docstring); ``Conflict``
    while visits are still to come, ``ValidationFailed`` for a wrong password or no
    confirmation. Flushes; the caller's unit of work commits."""
    user = acting_user(session, actor_id, Role.PATIENT, refusal=NOT_A_PATIENT)
    now = utc(now)
    failed = {}
    if not isinstance(password, str) or not verify_password(password, user.password_hash):
        failed["password"] = WRONG_PASSWORD
    if confirmed is not True:
        failed["confirm"] = CONFIRM
    if failed:
        raise ValidationFailed(failed)
    user_id, email = user.id or 0, user.email
    if upcoming := _upcoming(session, user_id, now):
        raise Conflict(UPCOMING.format(count=upcoming))

    mine = col(Appointment.patient_id) == user_id
    appointment_ids = select(Appointment.id).where(mine)
    kept = int(session.exec(select(func.count(col(Appointment.id))).where(mine)).one())
    session.exec(update(Appointment).where(mine).values(reason=ERASED))
    session.exec(
        update(Appointment)
        .where(mine, col(Appointment.cancelled_by_user_id) == user_id)
        .values(cancel_reason=None)
    )
    session.exec(
        update(Payment)
        .where(col(Payment.appointment_id).in_(appointment_ids))
        .values(upi_vpa=None, card_last4=None, card_brand=None)
    )
    session.exec(update(Review).where(col(Review.patient_id) == user_id).values(body=""))
    session.exec(  # off every waitlist (an open offer is a held visit: refused above)
        update(WaitlistEntry)
        .where(col(WaitlistEntry.patient_id) == user_id, col(WaitlistEntry.status) == "active")
        .values(status=EntryStatus.LEFT.value, ended_at=now)
    )
    deleted, anonymised = _anonymise_family(session, user_id, now)
    messages = session.exec(delete(Notification).where(col(Notification.user_id) == user_id))
    # Letters not yet written would carry the visit's reason and go to the old address.
    session.exec(delete(PendingNews).where(col(PendingNews.appointment_id).in_(appointment_ids)))
    session.exec(
        delete(NotificationPreference).where(col(NotificationPreference.user_id) == user_id)
    )
    session.exec(delete(LoginAttempt).where(col(LoginAttempt.email) == email))
    session.exec(delete(PasswordLink).where(col(PasswordLink.user_id) == user_id))
    session.exec(
        update(AuditEvent)
        .where(
            col(AuditEvent.entity).in_(("user", "patient")),
            col(AuditEvent.entity_id) == str(user_id),
        )
        .values(detail={})
    )
    session.exec(  # the family members' entries (their names) are the account's too
        update(AuditEvent)
        .where(
            col(AuditEvent.entity) == "dependant",
            col(AuditEvent.actor_user_id) == user_id,
        )
        .values(detail={})
    )
    revoke_all_sessions(session, user_id=user_id, now=now, reason="account_erased")
    _anonymise_account(user, now)
    session.add(user)
    done = Erasure(
        appointments_kept=kept,
        family_members_deleted=deleted,
        family_members_anonymised=anonymised,
        messages_deleted=messages.rowcount,
    )
    by = Actor(user_id, Role.PATIENT.value, now)
    audit(session, by, "account_erased", entity="user", entity_id=user_id, detail=done.__dict__)
    session.flush()
    return done


__all__ = ["Erasure", "erase_own_account"]
