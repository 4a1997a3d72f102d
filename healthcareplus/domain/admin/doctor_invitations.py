"""A new doctor's invitation: the login is made without a password and the doctor is
emailed a single-use link to choose one (``accounts.password_links``), so no password is
ever shown on screen, handed over or known to the clinic.

The email is an account message (``notifications.account_news``) that stays out of the
in-app centre: its link is a secret for the mailbox only. Until the doctor sets a
password the invitation is pending, and the admin may send a new one (which ends the
older link). These functions flush; the caller's unit of work commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from healthcareplus.core.audit import audit
from healthcareplus.core.errors import Conflict
from healthcareplus.core.models import Doctor, Hospital, Role, User
from healthcareplus.domain.accounts.actors import acting_admin
from healthcareplus.domain.accounts.password_links import IssuedLink, issue_password_link
from healthcareplus.domain.accounts.passwords import NO_PASSWORD, has_password
from healthcareplus.domain.admin.doctor_views import require_doctor
from healthcareplus.domain.notifications.account_news import AccountNote, account_message

INVITE_EVENT = "account_invite"
INVITE_SUBJECT = "Set your HealthCarePlus password"
NO_LOGIN = "{name} has no sign-in account to invite."
ALREADY_SET = "{name} has already set a password: there is no invitation to resend."
INACTIVE = "{name} is inactive: reactivate the doctor before sending a new invitation."


@dataclass(frozen=True)
class Invitation:
    """An invitation just emailed: to whom, and how long its link works."""

    email: str
    hours: int
    expires_at: datetime


def invitation_note(hospital_name: str, link: IssuedLink) -> AccountNote:
    """What the invited doctor reads (``link.path`` carries the secret token)."""
    where = f"{hospital_name} has" if hospital_name else "Your clinic has"
    return AccountNote(
        event=INVITE_EVENT,
        subject=INVITE_SUBJECT,
        paragraphs=(
            f"{where} set up your doctor account on HealthCarePlus, where you will see "
            "your appointments, your schedule and your patients' visits.",
            f"Choose your password with the link below. It works once, for {link.hours} "
            "hours; if it has expired, ask the clinic to send you a new invitation.",
            "If you were not expecting this email, you can ignore it.",
        ),
        action_label="Set your password",
        action_path=link.path,
        in_app=False,  # the link is a secret: the mailbox only
    )


def invite_login(session: Session, login: User, doctor: Doctor, *, now: datetime) -> Invitation:
    """Issue a new invitation link for the doctor's ``login`` (older ones stop working)
    and queue the email. Its callers check the admin and audit the invitation."""
    link = issue_password_link(session, user_id=login.id or 0, purpose="invite", now=now)
    hospital = session.get(Hospital, doctor.hospital_id)
    account_message(
        session, login, invitation_note(hospital.name if hospital else "", link), now=now
    )
    return Invitation(email=login.email, hours=link.hours, expires_at=link.expires_at)


def resend_invitation(
    session: Session,
    *,
    doctor_id: int,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> Invitation:
    """Email the doctor a new invitation link (the older one stops working), while the
    doctor has not set a password yet; ``Conflict`` once they have, or while the doctor
    is inactive."""
    by = acting_admin(session, actor_id, actor_role, now)
    doctor = require_doctor(session, doctor_id)
    login = session.get(User, doctor.user_id) if doctor.user_id else None
    if login is None:
        raise Conflict(NO_LOGIN.format(name=doctor.name))
    if has_password(login.password_hash):
        raise Conflict(ALREADY_SET.format(name=doctor.name))
    if not (doctor.is_active and login.is_active):
        raise Conflict(INACTIVE.format(name=doctor.name))
    invitation = invite_login(session, login, doctor, now=by.now)
    detail = {"email": login.email, "link_hours": invitation.hours}
    audit(
        session, by, "doctor_invitation_resent", entity="doctor", entity_id=doctor_id, detail=detail
    )
    session.flush()
    return invitation


def pending_invitations(session: Session, doctor_ids: Iterable[int]) -> set[int]:
    """Which of ``doctor_ids`` have a login whose password was never set (the
    invitation is still pending: the admin may resend it)."""
    ids = [i for i in doctor_ids if type(i) is int]
    if not ids:
        return set()
    rows = session.exec(
        select(Doctor.id)
        .join(User, col(User.id) == col(Doctor.user_id))
        .where(col(Doctor.id).in_(ids), col(User.password_hash) == NO_PASSWORD)
    ).all()
    return {i for i in rows if i is not None}


__all__ = [
    "ALREADY_SET",
    "INACTIVE",
    "INVITE_EVENT",
    "INVITE_SUBJECT",
    "NO_LOGIN",
    "Invitation",
    "invitation_note",
    "invite_login",
    "pending_invitations",
    "resend_invitation",
]
