"""The admin's doctor management: add (with login and default timetable), list, edit,
weekly schedule, deactivate and reactivate, and what patients see as a result."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core.errors import Conflict, NotFound, ValidationFailed
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Doctor,
    DoctorSchedule,
    Notification,
    PasswordLink,
    Payment,
    PaymentStatus,
    Role,
    User,
    UserSession,
)
from healthcareplus.domain.accounts import passwords
from healthcareplus.domain.accounts.admins import DUPLICATE_EMAIL
from healthcareplus.domain.accounts.passwords import NO_PASSWORD, verify_password
from healthcareplus.domain.accounts.sessions import create_session, resolve_session
from healthcareplus.domain.admin import doctors as ad
from healthcareplus.domain.admin.doctor_fields import clean_doctor_name
from healthcareplus.domain.admin.doctor_follow_ups import future_appointments
from healthcareplus.domain.admin.doctor_invitations import Invitation
from healthcareplus.domain.admin.doctor_schedule import BlockInput, set_schedule
from healthcareplus.domain.admin.doctor_views import get_doctor, list_doctors
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.catalog import discovery
from healthcareplus.domain.catalog.search import DoctorFilters, search_doctors
from healthcareplus.domain.notifications.email import public_url
from healthcareplus.domain.scheduling import schedules
from healthcareplus.domain.scheduling.availability import day_slots
from tests.factories import (
    create_appointment,
    create_booking,
    create_city,
    create_doctor,
    create_hospital,
    create_patient,
    create_user,
    link_doctor_user,
    local,
)

# Monday 7 January 2030, 06:00 in the clinic: the whole working week lies ahead.
MONDAY = date(2030, 1, 7)
NOW = local(MONDAY, "06:00")


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real bcrypt hashes at the lowest cost (the cost is read from the hash on verify)."""
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN, name="Meera Iyer")


def doctor_form(hospital_id: int, /, **overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "name": "Priya Nair",
        "specialization": "Cardiologist",
        "qualification": "MBBS, MD (Cardiology)",
        "experience_years": "12",
        "fee_rupees": "800",
        "gender": "Female",
        "languages": "English, kannada , Hindi, english",
        "hospital_id": str(hospital_id),
        "email": "Priya.Nair@Example.in",
        "phone": "98450 33333",
        "about": "Interventional cardiologist.",
    }
    form.update(overrides)
    return form


def add(session: Session, admin: User, hospital_id: int, /, **overrides: Any) -> ad.CreatedDoctor:
    return ad.create_doctor(
        session, **doctor_form(hospital_id, **overrides), actor_id=admin.id, now=NOW
    )


def refused(session: Session, admin: User, hospital_id: int, /, **overrides: Any) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        add(session, admin, hospital_id, **overrides)
    session.rollback()
    return caught.value.fields


def audit(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


# --- add ---------------------------------------------------------------------------------


def test_add_doctor_creates_profile_login_and_default_schedule(
    session: Session, admin: User
) -> None:
    hospital = create_hospital(session, name="Apollo")
    created = add(session, admin, hospital.id)

    d = created.doctor
    assert d.name == "Dr. Priya Nair"
    assert (d.specialization, d.department) == ("Cardiologist", "Cardiology")
    assert (d.fee_rupees, d.fee_label, d.experience_years) == (800, "₹800", 12)
    assert d.languages == ("English", "Kannada", "Hindi")
    assert (d.hospital_id, d.hospital_name, d.email) == (
        hospital.id,
        "Apollo",
        "priya.nair@example.in",
    )
    assert (d.phone, d.is_active, d.login_email) == (
        "+91 98450 33333",
        True,
        "priya.nair@example.in",
    )

    row = session.get(Doctor, d.id)
    assert row is not None and row.fee_paise == 80_000
    login = session.get(User, row.user_id)
    assert login is not None
    assert (login.role, login.email, login.name) == ("doctor", "priya.nair@example.in", d.name)

    # No password anybody knows: the doctor is emailed a link to choose one.
    assert login.password_hash == NO_PASSWORD and not passwords.has_password(login.password_hash)
    assert not any(verify_password(guess, login.password_hash) for guess in ("", NO_PASSWORD))
    assert created.invitation == Invitation(
        email="priya.nair@example.in", hours=72, expires_at=NOW + timedelta(hours=72)
    )
    [email] = session.exec(select(Notification).where(Notification.user_id == login.id)).all()
    assert (email.event, email.channel, email.to_address, email.status) == (
        "account_invite",
        "email",
        "priya.nair@example.in",
        "queued",
    )
    assert email.subject == "Set your HealthCarePlus password"
    assert "Apollo" in email.body and "works once, for 72 hours" in email.body
    assert email.link == ""  # the secret link is in the email only, not the in-app centre
    [token] = re.findall(r"/set-password\?token=([A-Za-z0-9_-]+)", email.body)
    assert f"Set your password: {public_url()}/set-password?token={token}" in email.body
    assert token in email.body_html
    # The database keeps only the token's hash.
    [link] = session.exec(select(PasswordLink)).all()
    assert (link.user_id, link.purpose, link.used_at) == (login.id, "invite", None)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in str(e.detail) for e in session.exec(select(AuditEvent)).all())

    blocks = session.exec(
        select(DoctorSchedule)
        .where(DoctorSchedule.doctor_id == d.id)
        .order_by(DoctorSchedule.weekday, DoctorSchedule.start_time)
    ).all()
    assert [(b.weekday, b.start_time, b.end_time, b.slot_minutes) for b in blocks] == [
        (day, start, end, 15)
        for day in range(6)
        for start, end in ((time(9), time(13)), (time(14), time(17)))
    ]
    assert [e.entity_id for e in audit(session, "doctor_created")] == [str(d.id)]
    assert audit(session, "doctor_created")[0].actor_user_id == admin.id
    assert audit(session, "doctor_created")[0].detail["invitation_hours"] == 72

    # Patients find and can book the new doctor straight away.
    found = search_doctors(session, filters=DoctorFilters(q="Priya Nair"), now=NOW)
    assert [c.id for c in found.items] == [d.id]
    assert len(day_slots(session, doctor_id=d.id, day=MONDAY, now=NOW)) == 16 + 12


def test_each_doctor_gets_their_own_invitation_link(session: Session, admin: User) -> None:
    hospital = create_hospital(session)
    first = add(session, admin, hospital.id)
    second = add(session, admin, hospital.id, email="second@example.in", name="Dr Ravi Rao")
    assert second.doctor.name == "Dr. Ravi Rao"
    emails = session.exec(select(Notification).order_by(Notification.id)).all()
    assert [e.to_address for e in emails] == [first.login_email, second.login_email]
    tokens = {re.findall(r"token=([A-Za-z0-9_-]+)", e.body)[0] for e in emails}
    assert len(tokens) == 2
    assert ad.pending_invitations(session, [first.doctor.id, second.doctor.id]) == {
        first.doctor.id,
        second.doctor.id,
    }


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("priya nair", "Dr. priya nair"),
        ("Dr. Priya Nair", "Dr. Priya Nair"),
        ("DR.Priya Nair", "Dr. Priya Nair"),
        ("dr  Priya   Nair", "Dr. Priya Nair"),
        ("Drishti Rao", "Dr. Drishti Rao"),
    ],
)
def test_dr_prefix_is_added_once(typed: str, stored: str) -> None:
    assert clean_doctor_name(typed) == stored


def test_duplicate_email_is_refused_against_users_and_doctors(
    session: Session, admin: User
) -> None:
    hospital = create_hospital(session)
    patient = create_patient(session, email="taken@example.in")
    existing = create_doctor(session, hospital=hospital)
    before = len(session.exec(select(User.id)).all())

    assert refused(session, admin, hospital.id, email="TAKEN@example.in") == {
        "email": DUPLICATE_EMAIL
    }
    assert refused(session, admin, hospital.id, email=existing.email.upper()) == {
        "email": DUPLICATE_EMAIL
    }
    assert len(session.exec(select(User.id)).all()) == before
    assert patient.id is not None


def test_every_bad_field_is_reported_together_and_nothing_is_saved(
    session: Session, admin: User
) -> None:
    hospital = create_hospital(session)
    fields = refused(
        session,
        admin,
        hospital.id,
        name="X",
        specialization="Astrologer",
        qualification="",
        experience_years="61",
        fee_rupees="99",
        gender="Robot",
        languages=" , ",
        hospital_id="999999",
        email="not-an-email",
        phone="12345",
        about="x" * 2001,
    )
    assert set(fields) == {
        "name",
        "specialization",
        "qualification",
        "experience_years",
        "fee_rupees",
        "gender",
        "languages",
        "hospital_id",
        "email",
        "phone",
        "about",
    }
    assert fields["fee_rupees"] == "The fee must be between 100 and 10,000"
    assert fields["experience_years"] == "The experience must be between 0 and 60"
    assert session.exec(select(Doctor.id)).all() == []
    assert session.exec(select(User.id).where(User.role == "doctor")).all() == []
    assert audit(session, "doctor_created") == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fee_rupees": "10001"}, "fee_rupees"),
        ({"fee_rupees": "12.5"}, "fee_rupees"),
        ({"fee_rupees": True}, "fee_rupees"),
        ({"experience_years": "-1"}, "experience_years"),
        ({"experience_years": 3.5}, "experience_years"),
        ({"hospital_id": None}, "hospital_id"),
        ({"hospital_id": ["1"]}, "hospital_id"),
        ({"languages": "English, C++"}, "languages"),
        ({"specialization": {"x": 1}}, "specialization"),
    ],
)
def test_crafted_values_are_refused(
    session: Session, admin: User, overrides: dict[str, Any], field: str
) -> None:
    hospital = create_hospital(session)
    assert field in refused(session, admin, hospital.id, **overrides)


def test_bounds_are_inclusive(session: Session, admin: User) -> None:
    hospital = create_hospital(session)
    low = add(session, admin, hospital.id, fee_rupees="100", experience_years="0")
    high = add(
        session, admin, hospital.id, fee_rupees="10,000", experience_years=60, email="b@ex.in"
    )
    assert (low.doctor.fee_rupees, low.doctor.experience_years) == (100, 0)
    assert (high.doctor.fee_rupees, high.doctor.experience_years) == (10_000, 60)


# --- list --------------------------------------------------------------------------------


def test_list_searches_filters_and_pages_in_sql(session: Session) -> None:
    north = create_hospital(session, name="North")
    south = create_hospital(session, name="South")
    create_doctor(session, hospital=north, name="Dr. Asha Kulkarni", specialization="Dermatologist")
    create_doctor(session, hospital=north, name="Dr. Bala Murthy", is_active=False)
    create_doctor(session, hospital=south, name="Dr. Chitra Rao", specialization="Dermatologist")
    for n in range(22):
        create_doctor(session, hospital=south, name=f"Dr. Zed {n:02d}", commit=False)
    session.commit()

    def names(**kwargs: Any) -> list[str]:
        return [r.name for r in list_doctors(session, **kwargs).items]

    assert names(q="derma") == ["Dr. Asha Kulkarni", "Dr. Chitra Rao"]
    assert names(q="derma rao") == ["Dr. Chitra Rao"]
    assert names(q="ASHA") == ["Dr. Asha Kulkarni"]
    assert names(hospital_id=north.id) == ["Dr. Asha Kulkarni", "Dr. Bala Murthy"]
    assert names(status="inactive") == ["Dr. Bala Murthy"]
    assert "Dr. Bala Murthy" not in names(status="active", q="dr.")
    assert names(q="%") == [] and names(q="_") == []

    first = list_doctors(session)
    assert (first.paging.total, first.paging.pages, len(first.items)) == (25, 2, 20)
    assert first.items[0].name == "Dr. Asha Kulkarni" and first.items[1].is_active is False
    last = list_doctors(session, page=99)
    assert (last.paging.page, last.paging.first_item, last.paging.last_item) == (2, 21, 25)
    assert list_doctors(session, page="2").paging.page == 1  # junk page means page 1
    assert list_doctors(session, status="bogus").paging.total == 25


# --- edit --------------------------------------------------------------------------------


def test_edit_profile_fee_and_hospital_is_audited_and_keeps_the_login_in_step(
    session: Session, admin: User
) -> None:
    hospital = create_hospital(session, name="Old")
    other = create_hospital(session, name="New", city=create_city(session, name="Udupi"))
    created = add(session, admin, hospital.id)
    form = doctor_form(other.id, name="Priya Menon", fee_rupees="1200", phone="9845044444")
    form.pop("email")

    detail = ad.update_doctor(
        session, doctor_id=created.doctor.id, **form, actor_id=admin.id, now=NOW
    )

    assert (detail.name, detail.fee_rupees, detail.hospital_id) == (
        "Dr. Priya Menon",
        1200,
        other.id,
    )
    assert (detail.hospital_name, detail.city_name) == ("New", "Udupi")
    login = session.get(User, session.get(Doctor, detail.id).user_id)
    assert (login.name, login.phone) == ("Dr. Priya Menon", "+91 98450 44444")
    [event] = audit(session, "doctor_updated")
    assert event.entity == "doctor" and event.entity_id == str(detail.id)
    assert event.detail["changes"]["fee_paise"] == {"from": 80_000, "to": 120_000}
    assert set(event.detail["changes"]) == {"name", "fee_paise", "hospital_id", "phone"}

    # Saving the same values again changes nothing and records nothing.
    ad.update_doctor(session, doctor_id=detail.id, **form, actor_id=admin.id, now=NOW)
    assert len(audit(session, "doctor_updated")) == 1


def test_edit_refuses_bad_values_and_unknown_doctors(session: Session, admin: User) -> None:
    hospital = create_hospital(session)
    doctor = create_doctor(session, hospital=hospital, fee_paise=50_000)
    form = doctor_form(hospital.id, fee_rupees="50")
    form.pop("email")
    with pytest.raises(ValidationFailed) as caught:
        ad.update_doctor(session, doctor_id=doctor.id, **form, actor_id=admin.id, now=NOW)
    assert set(caught.value.fields) == {"fee_rupees"}
    session.rollback()
    assert session.get(Doctor, doctor.id).fee_paise == 50_000
    with pytest.raises(NotFound):
        ad.update_doctor(session, doctor_id=10**6, **form, actor_id=admin.id, now=NOW)
    with pytest.raises(NotFound):
        get_doctor(session, doctor_id="1")  # type: ignore[arg-type]


# --- schedule ----------------------------------------------------------------------------


def test_replacing_the_schedule_changes_the_bookable_slots(session: Session, admin: User) -> None:
    doctor = create_doctor(session)
    blocks = [
        BlockInput(0, "08:00", "10:00", "20"),
        BlockInput(0, "10:00:00", "11:00", 30),  # touching is not overlapping
        BlockInput(6, "18:00", "23:00", 10),
    ]
    change = set_schedule(session, doctor_id=doctor.id, blocks=blocks, actor_id=admin.id, now=NOW)
    assert change.cancelled == ()
    assert [(b.day_name, b.start, b.end, b.slot_minutes) for b in change.blocks] == [
        ("Monday", "08:00", "10:00", 20),
        ("Monday", "10:00", "11:00", 30),
        ("Sunday", "18:00", "23:00", 10),
    ]
    monday = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=NOW)
    assert [s.label for s in monday] == [
        "08:00 AM", "08:20 AM", "08:40 AM", "09:00 AM", "09:20 AM", "09:40 AM",
        "10:00 AM", "10:30 AM",
    ]  # fmt: skip
    assert day_slots(session, doctor_id=doctor.id, day=MONDAY + timedelta(days=1), now=NOW) == []
    [event] = audit(session, "schedule_updated")
    assert (event.entity, event.entity_id, event.actor_role) == ("doctor", str(doctor.id), "admin")
    assert event.detail["after"] == ["0 08:00-10:00/20", "0 10:00-11:00/30", "6 18:00-23:00/10"]
    assert len(event.detail["before"]) == 5

    # An empty schedule is allowed when nothing is booked: the doctor simply has no slots.
    empty = set_schedule(session, doctor_id=doctor.id, blocks=[], actor_id=admin.id, now=NOW)
    assert empty.blocks == ()


END = "The end time must be after the start time"
HOURS = "Working hours must lie between 06:00 and 23:00"
SHORT = "A block must be at least one 15-minute slot long"
SLOT = "Choose a slot length of 10, 15, 20 or 30 minutes"
CLOCK = "Enter the start and end times as HH:MM"
NO_DAY = {"blocks": "Choose a day of the week for every block."}


@pytest.mark.parametrize(
    ("block", "fields"),
    [
        (BlockInput(1, "13:00", "12:00", 15), {"day-1": END}),
        (BlockInput(1, "12:00", "12:00", 15), {"day-1": END}),
        (BlockInput(1, "05:30", "09:00", 15), {"day-1": HOURS}),
        (BlockInput(1, "21:00", "23:30", 15), {"day-1": HOURS}),
        (BlockInput(1, "09:00", "09:10", 15), {"day-1": SHORT}),
        (BlockInput(1, "09:00", "12:00", 25), {"day-1": SLOT}),
        (BlockInput(1, "09:00", "12:00", True), {"day-1": SLOT}),
        (BlockInput(1, "09:00", "12:00", ""), {"day-1": SLOT}),
        (BlockInput(1, "9am", "12:00", 15), {"day-1": CLOCK}),
        (BlockInput(1, "24:00", "12:00", 15), {"day-1": CLOCK}),
        (BlockInput(1, None, "12:00", 15), {"day-1": CLOCK}),
        (BlockInput(7, "09:00", "12:00", 15), NO_DAY),
        (BlockInput("1", "09:00", "12:00", 15), NO_DAY),
    ],
)
def test_bad_blocks_are_refused_with_a_message_for_that_day(
    session: Session, admin: User, block: BlockInput, fields: dict[str, str]
) -> None:
    doctor = create_doctor(session)
    good = BlockInput(0, "09:00", "13:00", 15)
    with pytest.raises(ValidationFailed) as caught:
        set_schedule(session, doctor_id=doctor.id, blocks=[good, block], actor_id=admin.id, now=NOW)
    assert caught.value.fields == fields
    session.rollback()
    assert len(schedules.weekly_blocks(session, doctor_id=doctor.id)) == 5  # unchanged
    assert audit(session, "schedule_updated") == []


def test_overlapping_blocks_on_one_day_are_refused(session: Session, admin: User) -> None:
    doctor = create_doctor(session)
    blocks = [
        BlockInput(2, "14:00", "18:00", 15),
        BlockInput(2, "09:00", "14:30", 15),
        BlockInput(3, "09:00", "14:30", 15),
    ]
    with pytest.raises(ValidationFailed) as caught:
        set_schedule(session, doctor_id=doctor.id, blocks=blocks, actor_id=admin.id, now=NOW)
    assert caught.value.fields == {"day-2": "14:00-18:00 overlaps 09:00-14:30"}
    too_many = [BlockInput(4, f"{h:02d}:00", f"{h:02d}:30", 15) for h in range(7, 14)]
    with pytest.raises(ValidationFailed) as caught:
        set_schedule(session, doctor_id=doctor.id, blocks=too_many, actor_id=admin.id, now=NOW)
    assert caught.value.fields == {"day-4": "At most six working blocks a day"}


def test_schedule_edit_stranding_a_booking_is_refused_until_confirmed_with_a_reason(
    session: Session, admin: User
) -> None:
    doctor = create_doctor(session)
    kept = create_booking(session, doctor=doctor, start_at=local(MONDAY, "09:30"), now=NOW)
    paid = create_booking(
        session,
        doctor=doctor,
        start_at=local(MONDAY + timedelta(days=1), "10:00"),
        now=NOW,
        patient=create_patient(session, name="Asha Rao"),
    )
    assert paid.payment_status == PaymentStatus.SUCCESS
    # Tuesday loses its hours; Monday keeps 09:30.
    week = [BlockInput(d, "09:00", "13:00", 15) for d in (0, 2, 3, 4)]

    with pytest.raises(schedules.ScheduleConflict) as refused:
        set_schedule(session, doctor_id=doctor.id, blocks=week, actor_id=admin.id, now=NOW)
    [item] = refused.value.affected
    assert (item.id, item.patient_name, item.date_label, item.time_label, item.paid) == (
        paid.id,
        "Asha Rao",
        "Tue, 08 Jan 2030",
        "10:00 AM",
        True,
    )
    assert len(schedules.weekly_blocks(session, doctor_id=doctor.id)) == 5  # unchanged
    assert audit(session, "schedule_updated") == []

    with pytest.raises(ValidationFailed) as no_reason:
        set_schedule(
            session,
            doctor_id=doctor.id,
            blocks=week,
            actor_id=admin.id,
            cancel_affected=True,
            reason=" ",
            expected_affected=[paid.id],
            now=NOW,
        )
    assert "cancel_reason" in no_reason.value.fields
    assert session.get(Appointment, paid.id).status == "confirmed"

    change = set_schedule(
        session,
        doctor_id=doctor.id,
        blocks=week,
        actor_id=admin.id,
        cancel_affected=True,
        reason="Tuesday clinic closed",
        expected_affected=[paid.id],
        now=NOW,
    )
    assert [a.id for a in change.cancelled] == [paid.id]
    assert [b.weekday for b in change.blocks] == [0, 2, 3, 4]
    session.expire_all()
    cancelled = session.get(Appointment, paid.id)
    assert (cancelled.status, cancelled.payment_status, cancelled.cancel_reason) == (
        "cancelled",
        PaymentStatus.REFUNDED,
        "Tuesday clinic closed",
    )
    assert cancelled.cancelled_by_user_id == admin.id
    refund = session.exec(
        select(Payment).where(
            Payment.appointment_id == paid.id, Payment.status == PaymentStatus.REFUNDED
        )
    ).one()
    assert refund.amount_paise == paid.fee_paise
    assert session.get(Appointment, kept.id).status == "confirmed"
    [event] = audit(session, "schedule_updated")
    assert (event.actor_user_id, event.reason, event.detail["cancelled"]) == (
        admin.id,
        "Tuesday clinic closed",
        [paid.id],
    )


# --- deactivate / reactivate -------------------------------------------------------------


def test_deactivation_hides_the_doctor_refuses_bookings_and_lists_follow_ups(
    session: Session, admin: User
) -> None:
    doctor = create_doctor(session, name="Dr. Kavya Menon")
    tomorrow = MONDAY + timedelta(days=1)
    asha = create_patient(session, name="Asha Rao")
    confirmed = create_appointment(
        session, doctor=doctor, patient=asha, start_at=local(tomorrow, "10:00")
    )
    held = create_appointment(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "11:00"),
        status=AppointmentStatus.PENDING_PAYMENT,
        hold_expires_at=NOW + timedelta(minutes=5),
    )
    for status, hold in (
        (AppointmentStatus.CANCELLED, None),
        (AppointmentStatus.PENDING_PAYMENT, NOW - timedelta(minutes=1)),  # hold ran out
    ):
        create_appointment(
            session,
            doctor=doctor,
            start_at=local(tomorrow, "11:00"),
            status=status,
            hold_expires_at=hold,
        )
    create_appointment(session, doctor=doctor, start_at=local(MONDAY - timedelta(days=7), "10:00"))

    result = ad.set_active(
        session, doctor_id=doctor.id, active=False, reason="On leave", actor_id=admin.id, now=NOW
    )

    assert result.doctor.is_active is False
    assert result.follow_up_total == 2
    assert [f.appointment_id for f in result.follow_ups] == [held.id, confirmed.id]
    first = result.follow_ups[1]
    assert (first.patient_name, first.patient_phone, first.status) == (
        "Asha Rao",
        "98450 11111",
        "confirmed",
    )
    assert (first.date_label, first.time_label) == ("Tue, 08 Jan 2030", "10:00 AM")
    assert search_doctors(session, filters=DoctorFilters(q="Kavya"), now=NOW).total == 0
    with pytest.raises(NotFound):
        discovery.get_doctor_profile(session, doctor_id=doctor.id, now=NOW)
    with pytest.raises(NotFound):
        booking.book(
            session,
            patient_id=asha.id,
            doctor_id=doctor.id,
            start_at=local(tomorrow, "12:00"),
            reason="Fever",
            now=NOW,
        )
    [event] = audit(session, "doctor_deactivated")
    assert (event.reason, event.detail, event.entity_id) == (
        "On leave",
        {"future_appointments": 2},
        str(doctor.id),
    )
    with pytest.raises(Conflict, match="already inactive"):
        ad.set_active(session, doctor_id=doctor.id, active=False, actor_id=admin.id, now=NOW)

    back = ad.set_active(session, doctor_id=doctor.id, active=True, actor_id=admin.id, now=NOW)
    assert (back.doctor.is_active, back.follow_ups, back.follow_up_total) == (True, (), 0)
    assert [
        c.id for c in search_doctors(session, filters=DoctorFilters(q="Kavya"), now=NOW).items
    ] == [doctor.id]
    booked = booking.book(
        session,
        patient_id=asha.id,
        doctor_id=doctor.id,
        start_at=local(tomorrow, "12:00"),
        reason="Fever",
        now=NOW,
    )
    assert booked.status == "pending_payment"
    assert len(audit(session, "doctor_reactivated")) == 1


def test_deactivating_a_doctor_signs_their_login_out_everywhere(
    session: Session, admin: User
) -> None:
    doctor = create_doctor(session, name="Dr. Kavya Menon")
    login = link_doctor_user(session, doctor)
    other = link_doctor_user(session, create_doctor(session))
    tokens = [create_session(session, user_id=login.id, role=Role.DOCTOR, now=NOW) for _ in "ab"]
    theirs = create_session(session, user_id=other.id, role=Role.DOCTOR, now=NOW)
    session.commit()

    ad.set_active(session, doctor_id=doctor.id, active=False, actor_id=admin.id, now=NOW)
    session.commit()

    assert [resolve_session(session, token=t, now=NOW) for t in tokens] == [None, None]
    assert resolve_session(session, token=theirs, now=NOW) is not None
    session.refresh(login)
    assert login.is_active is False  # the login follows: no signing in again
    reasons = session.exec(
        select(UserSession.revoked_reason).where(UserSession.user_id == login.id)
    ).all()
    assert reasons == ["doctor_deactivated", "doctor_deactivated"]
    [event] = audit(session, "doctor_deactivated")
    assert event.detail == {"future_appointments": 0, "sessions_ended": 2}

    ad.set_active(session, doctor_id=doctor.id, active=True, actor_id=admin.id, now=NOW)
    session.commit()
    session.refresh(login)
    assert login.is_active is True
    assert [resolve_session(session, token=t, now=NOW) for t in tokens] == [None, None]
    fresh = create_session(session, user_id=login.id, role=Role.DOCTOR, now=NOW)
    assert resolve_session(session, token=fresh, now=NOW) is not None


def test_set_active_refuses_crafted_values(session: Session, admin: User) -> None:
    doctor = create_doctor(session)
    with pytest.raises(ValidationFailed):
        ad.set_active(session, doctor_id=doctor.id, active="false", actor_id=admin.id, now=NOW)  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed):
        ad.set_active(
            session, doctor_id=doctor.id, active=False, reason="x" * 501, actor_id=admin.id, now=NOW
        )
    with pytest.raises(NotFound):
        ad.set_active(session, doctor_id=-1, active=False, actor_id=admin.id, now=NOW)
    assert session.get(Doctor, doctor.id).is_active is True


def test_future_appointments_use_now(session: Session) -> None:
    doctor = create_doctor(session)
    create_appointment(session, doctor=doctor, start_at=datetime(2030, 1, 8, 5, 0, tzinfo=UTC))
    items, total = future_appointments(session, doctor_id=doctor.id, now=NOW)
    assert total == 1 and len(items) == 1
    later = datetime(2030, 1, 9, tzinfo=UTC)
    assert future_appointments(session, doctor_id=doctor.id, now=later) == ((), 0)


def test_add_list_and_deactivate_on_postgres(pg_url: str) -> None:
    from healthcareplus.core.db import get_engine

    with Session(get_engine(pg_url), expire_on_commit=False) as session:
        admin = create_user(session, role=Role.ADMIN)
        hospital = create_hospital(session)
        created = add(session, admin, hospital.id)
        session.commit()  # the test plays the unit of work that commits
        with pytest.raises(ValidationFailed):
            add(session, admin, hospital.id, email="PRIYA.NAIR@example.in")
        session.rollback()
        [row] = list_doctors(session, q="cardio", status="active").items
        assert row.id == created.doctor.id
        create_appointment(
            session,
            doctor=session.get(Doctor, row.id),
            start_at=local(MONDAY + timedelta(days=1), "09:00"),
        )
        result = ad.set_active(session, doctor_id=row.id, active=False, actor_id=admin.id, now=NOW)
        assert result.follow_up_total == 1
        assert list_doctors(session, status="inactive").paging.total == 1
