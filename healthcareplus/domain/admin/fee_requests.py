"""Doctors' fee change requests as the admins see them: the pending ones (oldest first)
and the decision. Approving sets the doctor's fee for bookings made from then on
(appointments already booked keep theirs); declining needs a note for the doctor. The
decision is a compare-and-set on the pending request, so a doctor withdrawing it at the
same moment, or a second admin, cannot both win. The doctor is told either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from healthcareplus.core.audit import audit
from healthcareplus.core.errors import Conflict, NotFound
from healthcareplus.core.formatting import format_rupees
from healthcareplus.core.models import (
    Doctor,
    FeeChangeRequest,
    FeeRequestStatus,
    Hospital,
    Role,
    User,
)
from healthcareplus.core.validation import reason_text
from healthcareplus.domain.accounts.actors import acting_admin
from healthcareplus.domain.admin.actions import require_admin
from healthcareplus.domain.notifications.account_news import account_message
from healthcareplus.domain.notifications.email import AccountNote

NOT_FOUND = "That fee change request was not found."
ALREADY_DECIDED = "That request has already been decided or withdrawn."
MAX_LISTED = 200


@dataclass(frozen=True)
class PendingFeeRequest:
    id: int
    doctor_id: int
    doctor: str
    hospital: str
    current_fee_paise: int
    requested_fee_paise: int
    reason: str
    requested_at: datetime


def pending_count(session: Session) -> int:
    query = select(func.count()).where(col(FeeChangeRequest.status) == FeeRequestStatus.PENDING)
    return int(session.exec(query).one())


def pending_fee_requests(session: Session, *, actor_id: object) -> list[PendingFeeRequest]:
    """The requests waiting for a decision, oldest first (at most ``MAX_LISTED``)."""
    require_admin(session, actor_id)
    rows = session.exec(
        select(FeeChangeRequest, Doctor.name, Hospital.name)
        .join(Doctor, col(Doctor.id) == FeeChangeRequest.doctor_id)
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .where(col(FeeChangeRequest.status) == FeeRequestStatus.PENDING)
        .order_by(col(FeeChangeRequest.requested_at), col(FeeChangeRequest.id))
        .limit(MAX_LISTED)
    ).all()
    return [
        PendingFeeRequest(
            id=request.id or 0,
            doctor_id=request.doctor_id,
            doctor=doctor,
            hospital=hospital,
            current_fee_paise=request.current_fee_paise,
            requested_fee_paise=request.requested_fee_paise,
            reason=request.reason,
            requested_at=request.requested_at,
        )
        for request, doctor, hospital in rows
    ]


def _decision_note(approved: bool, request: FeeChangeRequest, note: str) -> AccountNote:
    fee = format_rupees(request.requested_fee_paise)
    if approved:
        paragraphs: tuple[str, ...] = (
            f"Your consultation fee is now {fee}, as you asked. Bookings made from now on "
            "use it; visits already booked keep their fee.",
        )
    else:
        paragraphs = (f"The clinic declined your request to change your fee to {fee}.",)
    if note:
        paragraphs += (f"Note from the clinic: {note}",)
    verb = "approved" if approved else "declined"
    return AccountNote(
        event=f"fee_change_{verb}",
        subject=f"Your fee change request was {verb}",
        paragraphs=paragraphs,
        action_label="Open your profile",
        action_path="/doctor-portal/profile",
    )


def decide_fee_request(
    session: Session,
    *,
    actor_id: object,
    request_id: object,
    approve: bool,
    note: object = "",
    now: datetime,
) -> None:
    """Approve (the doctor's fee changes now) or decline (a note is required) a pending
    request; audited, and the doctor is told by email and in the app."""
    by = acting_admin(session, actor_id, Role.ADMIN, now)
    if not isinstance(request_id, int) or isinstance(request_id, bool):
        raise NotFound(NOT_FOUND)
    request = session.get(FeeChangeRequest, request_id)
    if request is None:
        raise NotFound(NOT_FOUND)
    if approve:
        text = note.strip()[:500] if isinstance(note, str) else ""
    else:
        text = reason_text(note, missing="Please tell the doctor why the request is declined.")
    status = FeeRequestStatus.APPROVED if approve else FeeRequestStatus.DECLINED
    decided = session.exec(
        update(FeeChangeRequest)
        .where(
            col(FeeChangeRequest.id) == request_id,
            col(FeeChangeRequest.status) == FeeRequestStatus.PENDING,
        )
        .values(status=status, decided_at=by.now, decided_by_user_id=by.id, decision_note=text)
        .execution_options(synchronize_session=False)
    )
    if decided.rowcount != 1:
        raise Conflict(ALREADY_DECIDED)
    session.refresh(request)
    doctor = session.get(Doctor, request.doctor_id)
    if doctor is None:
        raise NotFound(NOT_FOUND)
    detail = {"from_paise": doctor.fee_paise, "to_paise": request.requested_fee_paise}
    if approve:
        doctor.fee_paise = request.requested_fee_paise
        session.add(doctor)
    action = "fee_change_approved" if approve else "fee_change_declined"
    audit(session, by, action, entity="doctor", entity_id=doctor.id, reason=text, detail=detail)
    login = session.get(User, doctor.user_id) if doctor.user_id else None
    if login is not None:
        note_ = _decision_note(approve, request, text)
        account_message(session, login, note_, now=by.now, ref=str(request.id))
    session.flush()


__all__ = [
    "ALREADY_DECIDED",
    "PendingFeeRequest",
    "decide_fee_request",
    "pending_count",
    "pending_fee_requests",
]
