"""Everything the clinic holds about a patient, as one JSON document they can download
(India's Digital Personal Data Protection Act, 2023: the right to access): the account and
medical profile, family members, appointments, payments, treatment records with their
prescriptions, reviews, waitlist entries, notification settings and the messages sent to them.

Times are ISO 8601 in clinic time; money is rupees as text ("500.00") beside the paise.
Read-only: the download itself is audited where the file is served.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from healthcareplus.core.formatting import to_local
from healthcareplus.core.models import (
    Appointment,
    Dependant,
    Doctor,
    Hospital,
    Notification,
    NotificationPreference,
    Payment,
    PrescriptionItem,
    Review,
    Role,
    Treatment,
    User,
    WaitlistEntry,
)
from healthcareplus.domain.accounts.actors import acting_user

FORMAT_VERSION = 1
NOT_A_PATIENT = "Only a patient can download their own data."


def _when(value: datetime | None) -> str | None:
    return to_local(value).isoformat() if value else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _rupees(paise: int) -> str:
    return f"{paise // 100}.{paise % 100:02d}"


def _account(user: User) -> dict[str, Any]:
    return {
        "name": user.name,
        "email": user.email,
        "phone": user.phone,
        "date_of_birth": _day(user.date_of_birth),
        "gender": user.gender,
        "blood_group": user.blood_group,
        "allergies": user.allergies,
        "medical_history": user.medical_history,
        "address": user.address,
        "emergency_contact": {
            "name": user.emergency_contact_name,
            "phone": user.emergency_contact_phone,
        },
        "created_at": _when(user.created_at),
    }


def _family(session: Session, user_id: int) -> list[dict[str, Any]]:
    rows = session.exec(
        select(Dependant).where(col(Dependant.holder_id) == user_id).order_by(col(Dependant.id))
    ).all()
    return [
        {
            "id": d.id,
            "name": d.name,
            "relation": d.relation,
            "date_of_birth": _day(d.date_of_birth),
            "gender": d.gender,
            "blood_group": d.blood_group,
            "allergies": d.allergies,
            "medical_history": d.medical_history,
            "archived": d.archived_at is not None,
        }
        for d in rows
    ]


def _appointments(session: Session, user_id: int) -> list[dict[str, Any]]:
    rows = session.exec(
        select(Appointment, Doctor.name, Hospital.name)
        .join(Doctor, col(Doctor.id) == Appointment.doctor_id)
        .join(Hospital, col(Hospital.id) == Appointment.hospital_id)
        .where(col(Appointment.patient_id) == user_id)
        .order_by(col(Appointment.start_at))
    ).all()
    return [
        {
            "id": a.id,
            "doctor": doctor,
            "hospital": hospital,
            "for_family_member_id": a.dependant_id,
            "starts_at": _when(a.start_at),
            "ends_at": _when(a.end_at),
            "reason": a.reason,
            "status": a.status,
            "payment_status": a.payment_status,
            "payment_method": a.payment_method,
            "fee": _rupees(a.fee_paise),
            "fee_paise": a.fee_paise,
            "booked_at": _when(a.booked_at),
            "cancelled_at": _when(a.cancelled_at),
            "cancel_reason": a.cancel_reason,
        }
        for a, doctor, hospital in rows
    ]


def _payments(session: Session, appointment_ids: list[str]) -> list[dict[str, Any]]:
    rows = session.exec(
        select(Payment)
        .where(col(Payment.appointment_id).in_(appointment_ids))
        .order_by(col(Payment.created_at), col(Payment.id))
    ).all()
    return [
        {
            "appointment_id": p.appointment_id,
            "method": p.method,
            "amount": _rupees(p.amount_paise),
            "amount_paise": p.amount_paise,
            "status": p.status,
            "transaction_id": p.transaction_id,
            "card": f"{p.card_brand} ending {p.card_last4}" if p.card_last4 else None,
            "upi_id": p.upi_vpa,
            "bank": p.bank,
            "wallet": p.wallet,
            "at": _when(p.created_at),
        }
        for p in rows
    ]


def _records(session: Session, user_id: int) -> list[dict[str, Any]]:
    treatments = session.exec(
        select(Treatment, Doctor.name)
        .join(Doctor, col(Doctor.id) == Treatment.doctor_id)
        .where(col(Treatment.patient_id) == user_id)
        .order_by(col(Treatment.created_at))
    ).all()
    ids = [t.id for t, _ in treatments]
    items: dict[int, list[dict[str, str]]] = {}
    for item in session.exec(
        select(PrescriptionItem)
        .where(col(PrescriptionItem.treatment_id).in_(ids))
        .order_by(col(PrescriptionItem.treatment_id), col(PrescriptionItem.position))
    ).all():
        line = {k: getattr(item, k) for k in ("medicine", "dose", "frequency", "duration")}
        items.setdefault(item.treatment_id, []).append(line)
    return [
        {
            "appointment_id": t.appointment_id,
            "doctor": doctor,
            "visit_type": t.visit_type,
            "diagnosis": t.diagnosis,
            "notes": t.notes,
            "prescription": items.get(t.id or 0, []),
            "written_at": _when(t.created_at),
            "updated_at": _when(t.updated_at),
        }
        for t, doctor in treatments
    ]


def _reviews(session: Session, user_id: int) -> list[dict[str, Any]]:
    rows = session.exec(
        select(Review, Doctor.name)
        .join(Doctor, col(Doctor.id) == Review.doctor_id)
        .where(col(Review.patient_id) == user_id)
        .order_by(col(Review.created_at))
    ).all()
    return [
        {
            "doctor": doctor,
            "rating": r.rating,
            "review": r.body,
            "written_at": _when(r.created_at),
            "doctor_reply": r.reply,
            "hidden_by_the_clinic": r.hidden_at is not None,
        }
        for r, doctor in rows
    ]


def _waitlist(session: Session, user_id: int) -> list[dict[str, Any]]:
    rows = session.exec(
        select(WaitlistEntry, Doctor.name)
        .join(Doctor, col(Doctor.id) == WaitlistEntry.doctor_id)
        .where(col(WaitlistEntry.patient_id) == user_id)
        .order_by(col(WaitlistEntry.joined_at))
    ).all()
    return [
        {
            "doctor": doctor,
            "from": _day(e.from_day),
            "to": _day(e.to_day),
            "status": e.status,
            "joined_at": _when(e.joined_at),
        }
        for e, doctor in rows
    ]


def _messages(session: Session, user_id: int) -> dict[str, Any]:
    preference = session.get(NotificationPreference, user_id)
    sent = session.exec(
        select(Notification)
        .where(col(Notification.user_id) == user_id)
        .order_by(col(Notification.created_at), col(Notification.id))
    ).all()
    return {
        "preferences": (
            preference.model_dump(exclude={"user_id", "updated_at"}) if preference else None
        ),
        "messages": [
            {
                "channel": n.channel,
                "to": n.to_address,
                "subject": n.subject,
                "status": n.status,
                "created_at": _when(n.created_at),
            }
            for n in sent
        ],
    }


def personal_data(session: Session, *, actor_id: object, now: datetime) -> dict[str, Any]:
    """The signed-in patient's data, as a JSON-ready dict; ``Forbidden`` for anyone else."""
    user = acting_user(session, actor_id, Role.PATIENT, refusal=NOT_A_PATIENT)
    user_id = user.id or 0
    appointments = _appointments(session, user_id)
    notifications = _messages(session, user_id)
    return {
        "format": "HealthCarePlus personal data",
        "format_version": FORMAT_VERSION,
        "exported_at": _when(now),
        "account": _account(user),
        "family_members": _family(session, user_id),
        "appointments": appointments,
        "payments": _payments(session, [a["id"] for a in appointments]),
        "treatment_records": _records(session, user_id),
        "reviews": _reviews(session, user_id),
        "waitlist": _waitlist(session, user_id),
        "notification_preferences": notifications["preferences"],
        "messages": notifications["messages"],
    }


__all__ = ["FORMAT_VERSION", "NOT_A_PATIENT", "personal_data"]
