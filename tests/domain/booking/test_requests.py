"""Bookings a doctor confirms himself ("confirm bookings myself"): a patient's booking is a
request that holds its slot but cannot be paid until the doctor accepts it; declined, its
slot is free again; unanswered, it lapses in the expiry sweep and the patient is told."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor
from healthcareplus.core.errors import Conflict, Forbidden, NotFound, SlotUnavailable
from healthcareplus.core.models import (
    Appointment,
    AuditEvent,
    Doctor,
    Notification,
    Role,
    User,
)
from healthcareplus.domain.booking import requests
from healthcareplus.domain.booking.appointments import REQUEST_MADE, book
from healthcareplus.domain.booking.views import get_appointment
from healthcareplus.domain.notifications.centre import IN_APP
from healthcareplus.domain.notifications.delivery import InAppSender, deliver_due
from healthcareplus.domain.notifications.email import Letter, clinic_when, render_email
from healthcareplus.domain.notifications.reminders import HOLD_NUDGE
from healthcareplus.domain.payments.checkout import AWAITING_DOCTOR, pay
from healthcareplus.domain.scheduling import lifecycle
from healthcareplus.domain.scheduling.availability import day_slots
from tests.factories import (
    create_doctor,
    create_patient,
    create_user,
    link_doctor_user,
    local,
)
from tests.gateways import ScriptedGateway

FRIDAY, MONDAY = date(2026, 11, 20), date(2026, 11, 23)
NOW = local(FRIDAY, "09:00")  # every slot of MONDAY is bookable, more than a day ahead
SLOT = local(MONDAY, "10:00")
OTHER_SLOT = local(MONDAY, "10:30")
UPI = {"upi_vpa": "asha@okaxis"}
REQUEST_EVENTS = ("request_made", "request_accepted", "request_declined", "request_lapsed")


@pytest.fixture
def doctor(session: Session) -> Doctor:
    doctor = create_doctor(session, name="Dr. Meera Rao", fee_paise=80_000)
    doctor.confirms_bookings = True
    session.add(doctor)
    session.commit()
    return doctor


@pytest.fixture
def doctor_user(session: Session, doctor: Doctor) -> User:
    return link_doctor_user(session, doctor)


@pytest.fixture
def patient(session: Session) -> User:
    return create_patient(session, name="Asha Patel")


def ask(session: Session, patient: User, doctor: Doctor, start=SLOT, *, now=NOW) -> Appointment:
    return book(
        session, patient_id=patient.id, doctor_id=doctor.id, start_at=start, reason="Fever", now=now
    )


def fresh(session: Session, appointment_id: str) -> Appointment:
    session.expire_all()
    row = session.get(Appointment, appointment_id)
    assert row is not None
    return row


def actions(session: Session, appointment_id: str) -> list[str]:
    rows = session.exec(
        select(AuditEvent.action)
        .where(AuditEvent.appointment_id == appointment_id)
        .order_by(col(AuditEvent.id))
    )
    return list(rows)


def in_app(session: Session, appointment_id: str, event: str) -> dict[int, str]:
    """user id -> subject of the in-app messages ``event`` sent about the appointment."""
    rows = session.exec(
        select(Notification).where(
            Notification.appointment_id == appointment_id,
            Notification.event == event,
            Notification.channel == IN_APP,
        )
    )
    return {row.user_id: row.subject for row in rows}


def slot_state(session: Session, doctor: Doctor, start=SLOT, *, now=NOW) -> str:
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=now)
    return next(s.state for s in slots if s.start_at == start)


def pay_online(session: Session, appointment: Appointment, patient: User, *, now=NOW):
    return pay(
        session,
        appointment_id=appointment.id,
        patient_id=patient.id,
        method="upi",
        form=UPI,
        gateway=ScriptedGateway([True]),
        now=now,
    )


def pay_at_clinic(session: Session, appointment: Appointment, patient: User, *, now=NOW):
    return pay(
        session,
        appointment_id=appointment.id,
        patient_id=patient.id,
        method="pay_at_clinic",
        form={},
        gateway=ScriptedGateway([]),
        now=now,
    )


# --- a request ---------------------------------------------------------------------------


def test_a_patients_booking_is_a_request_that_holds_the_slot(session, doctor, doctor_user, patient):
    request = ask(session, patient, doctor)

    row = fresh(session, request.id)
    assert row.status == lifecycle.PENDING and row.awaiting_doctor is True
    assert row.hold_expires_at == NOW + timedelta(hours=24)
    assert actions(session, row.id) == ["booked"]
    assert slot_state(session, doctor) == "taken"
    with pytest.raises(SlotUnavailable):
        ask(session, create_patient(session), doctor)
    # Both are told: the patient that it waits, the doctor that it asks for his answer.
    news = in_app(session, row.id, REQUEST_MADE)
    assert set(news) == {patient.id, doctor_user.id}
    assert news[patient.id].startswith("Request sent: Dr. Meera Rao")
    assert news[doctor_user.id].startswith("Booking request:")


def test_the_answer_is_due_by_the_visit_when_it_is_sooner(session, doctor, patient):
    now = local(MONDAY, "08:00")
    request = ask(session, patient, doctor, now=now)
    assert fresh(session, request.id).hold_expires_at == SLOT


def test_the_answer_window_follows_the_setting(session, doctor, patient, monkeypatch):
    from healthcareplus.core.config import get_settings

    monkeypatch.setenv("HCP_REQUEST_ANSWER_HOURS", "6")
    get_settings.cache_clear()
    try:
        request = ask(session, patient, doctor)
    finally:
        get_settings.cache_clear()
    assert fresh(session, request.id).hold_expires_at == NOW + timedelta(hours=6)


def test_a_request_cannot_be_paid_while_it_waits(session, doctor, patient):
    request = ask(session, patient, doctor)
    for attempt in (pay_online, pay_at_clinic):
        with pytest.raises(Conflict) as refused:
            attempt(session, request, patient, now=NOW + timedelta(minutes=1))
        assert str(refused.value) == AWAITING_DOCTOR
    row = fresh(session, request.id)
    assert (row.status, row.payment_status, row.awaiting_doctor) == (
        lifecycle.PENDING,
        "Pending",
        True,
    )
    view = get_appointment(session, appointment_id=row.id, patient_id=patient.id, now=NOW)
    assert view.awaiting_doctor is True and view.can_pay is False
    assert view.answer_by == "Sat, 21 Nov 2026 · 09:00 AM"
    assert view.payment_label == "Waiting for the doctor"


def test_the_doctors_open_requests(session, doctor, doctor_user, patient):
    request = ask(session, patient, doctor)
    ask(session, create_patient(session, name="Ravi Kumar"), doctor, OTHER_SLOT)

    rows = requests.open_requests(session, actor_id=doctor_user.id, now=NOW)

    assert [r.patient for r in rows] == ["Asha Patel", "Ravi Kumar"]
    first = rows[0]
    assert first.appointment_id == request.id and first.booked_by == ""
    assert first.when == "Mon, 23 Nov 2026 · 10:00 AM"
    assert first.answer_by == "Sat, 21 Nov 2026 · 09:00 AM"
    assert first.reason == "Fever"
    # Past his deadline a request is no longer open.
    later = NOW + timedelta(hours=24)
    assert requests.open_requests(session, actor_id=doctor_user.id, now=later) == []


# --- accept ------------------------------------------------------------------------------


def test_accepted_the_patient_may_pay_at_the_clinic(session, doctor, doctor_user, patient):
    request = ask(session, patient, doctor)
    answer = NOW + timedelta(hours=2)

    requests.accept_request(session, actor_id=doctor_user.id, appointment_id=request.id, now=answer)

    row = fresh(session, request.id)
    assert (row.status, row.awaiting_doctor) == (lifecycle.PENDING, False)
    assert row.hold_expires_at == answer + timedelta(hours=24)
    assert actions(session, row.id) == ["booked", "request_accepted"]
    news = in_app(session, row.id, "request_accepted")
    assert list(news) == [patient.id]  # not the doctor: it is his own answer
    view = get_appointment(session, appointment_id=row.id, patient_id=patient.id, now=answer)
    assert view.can_pay is True and view.awaiting_doctor is False and view.answer_by == ""
    assert requests.open_requests(session, actor_id=doctor_user.id, now=answer) == []

    outcome = pay_at_clinic(session, row, patient, now=answer + timedelta(minutes=5))

    assert outcome.success
    assert fresh(session, request.id).status == lifecycle.CONFIRMED


def test_accepted_the_patient_may_pay_online(session, doctor, doctor_user, patient):
    request = ask(session, patient, doctor)
    requests.accept_request(session, actor_id=doctor_user.id, appointment_id=request.id, now=NOW)
    assert pay_online(session, fresh(session, request.id), patient).success
    assert fresh(session, request.id).status == lifecycle.CONFIRMED


def test_an_accepted_request_unpaid_in_time_expires(session, doctor, doctor_user, patient):
    request = ask(session, patient, doctor)
    requests.accept_request(session, actor_id=doctor_user.id, appointment_id=request.id, now=NOW)
    late = NOW + timedelta(hours=24, seconds=1)
    assert lifecycle.expire_lapsed_holds(session, now=late) == 1
    assert actions(session, request.id)[-1] == "expired"  # an ordinary lapsed hold
    with pytest.raises(Conflict) as refused:
        pay_at_clinic(session, fresh(session, request.id), patient, now=late)
    assert "run out" in str(refused.value)


def test_accepting_after_the_deadline_is_refused(session, doctor, doctor_user, patient):
    request = ask(session, patient, doctor)
    late = NOW + timedelta(hours=24, seconds=1)
    with pytest.raises(Conflict) as refused:
        requests.accept_request(
            session, actor_id=doctor_user.id, appointment_id=request.id, now=late
        )
    assert "did not answer this request in time" in str(refused.value)
    assert fresh(session, request.id).awaiting_doctor is True


# --- decline -----------------------------------------------------------------------------


def test_declined_it_is_cancelled_and_its_slot_free(session, doctor, doctor_user, patient):
    request = ask(session, patient, doctor)
    answer = NOW + timedelta(hours=1)

    requests.decline_request(
        session,
        actor_id=doctor_user.id,
        appointment_id=request.id,
        reason="  On leave   that day ",
        now=answer,
    )

    row = fresh(session, request.id)
    assert (row.status, row.awaiting_doctor) == (lifecycle.CANCELLED, False)
    assert row.cancel_reason == "On leave that day"
    assert (row.cancelled_at, row.cancelled_by_user_id) == (answer, doctor_user.id)
    assert actions(session, row.id) == ["booked", "request_declined"]
    reason = session.exec(
        select(AuditEvent.reason).where(
            AuditEvent.appointment_id == row.id, AuditEvent.action == "request_declined"
        )
    ).one()
    assert reason == "On leave that day"
    news = in_app(session, row.id, "request_declined")
    assert list(news) == [patient.id]  # the doctor is not told of his own answer
    body = session.exec(
        select(Notification.body).where(
            Notification.appointment_id == row.id,
            Notification.event == "request_declined",
            Notification.channel == IN_APP,
        )
    ).one()
    assert "Reason: On leave that day." in body
    assert slot_state(session, doctor, now=answer) == "free"
    other = ask(session, create_patient(session), doctor, now=answer)
    assert fresh(session, other.id).status == lifecycle.PENDING


def test_declined_without_a_reason(session, doctor, doctor_user, patient):
    request = ask(session, patient, doctor)
    requests.decline_request(
        session, actor_id=doctor_user.id, appointment_id=request.id, reason=None, now=NOW
    )
    assert fresh(session, request.id).cancel_reason == "Declined by the doctor"


@pytest.mark.parametrize("reason", ["x" * 2000, ["x"], 42])
def test_a_crafted_reason_is_refused_or_ignored(session, doctor, doctor_user, patient, reason):
    from healthcareplus.core.errors import ValidationFailed

    request = ask(session, patient, doctor)
    decline = {"actor_id": doctor_user.id, "appointment_id": request.id, "now": NOW}
    if isinstance(reason, str):
        with pytest.raises(ValidationFailed):
            requests.decline_request(session, reason=reason, **decline)
        assert fresh(session, request.id).status == lifecycle.PENDING
    else:
        requests.decline_request(session, reason=reason, **decline)
        assert fresh(session, request.id).cancel_reason == "Declined by the doctor"


# --- lapse -------------------------------------------------------------------------------


def test_unanswered_it_lapses_and_the_patient_is_told(session, doctor, doctor_user, patient):
    request = ask(session, patient, doctor)
    deadline = NOW + timedelta(hours=24)

    assert lifecycle.expire_lapsed_holds(session, now=deadline - timedelta(seconds=1)) == 0
    assert lifecycle.expire_lapsed_holds(session, now=deadline + timedelta(seconds=1)) == 1

    row = fresh(session, request.id)
    assert row.status == lifecycle.EXPIRED
    assert actions(session, row.id) == ["booked", "request_lapsed"]
    news = in_app(session, row.id, "request_lapsed")
    assert news[patient.id].startswith("Request not answered: Dr. Meera Rao")
    assert doctor_user.id in news
    with pytest.raises(Conflict) as refused:
        pay_at_clinic(session, row, patient, now=deadline + timedelta(seconds=2))
    assert (
        str(refused.value) == "The doctor did not answer this request in time. Please book again."
    )


# --- who may answer ----------------------------------------------------------------------


def test_another_doctor_cannot_answer(session, doctor, patient):
    request = ask(session, patient, doctor)
    other = link_doctor_user(session, create_doctor(session, name="Dr. Other"))
    for answer in (requests.accept_request, requests.decline_request):
        extra = {"reason": "No"} if answer is requests.decline_request else {}
        with pytest.raises(NotFound):
            answer(session, actor_id=other.id, appointment_id=request.id, now=NOW, **extra)
    assert requests.open_requests(session, actor_id=other.id, now=NOW) == []
    assert fresh(session, request.id).awaiting_doctor is True


def test_patients_admins_and_strangers_are_refused(session, doctor, patient):
    request = ask(session, patient, doctor)
    admin = create_user(session, role=Role.ADMIN)
    for actor_id in (patient.id, admin.id, None, "1", 10**9):
        with pytest.raises(Forbidden):
            requests.accept_request(session, actor_id=actor_id, appointment_id=request.id, now=NOW)
        with pytest.raises(Forbidden):
            requests.decline_request(
                session, actor_id=actor_id, appointment_id=request.id, reason="", now=NOW
            )
        with pytest.raises(Forbidden):
            requests.open_requests(session, actor_id=actor_id, now=NOW)
        with pytest.raises(Forbidden):
            requests.set_confirms_bookings(session, actor_id=actor_id, on=False, now=NOW)
    assert fresh(session, request.id).awaiting_doctor is True


def test_a_doctor_without_an_active_profile_is_refused(session, doctor, doctor_user):
    doctor.is_active = False
    session.add(doctor)
    session.commit()
    with pytest.raises(Forbidden):
        requests.open_requests(session, actor_id=doctor_user.id, now=NOW)


def test_a_booking_that_is_not_a_request_cannot_be_answered(session, doctor_user, patient):
    doctor = session.exec(select(Doctor).where(Doctor.user_id == doctor_user.id)).one()
    doctor.confirms_bookings = False
    session.add(doctor)
    session.commit()
    booking = ask(session, patient, doctor)
    assert fresh(session, booking.id).awaiting_doctor is False
    with pytest.raises(Conflict) as refused:
        requests.accept_request(
            session, actor_id=doctor_user.id, appointment_id=booking.id, now=NOW
        )
    assert "not a request" in str(refused.value)
    with pytest.raises(Conflict) as refused:
        requests.decline_request(
            session, actor_id=doctor_user.id, appointment_id=booking.id, reason="", now=NOW
        )
    assert "not a request" in str(refused.value)
    for crafted in ("", "../x", "0" * 36, None, 7):
        with pytest.raises(NotFound):
            requests.accept_request(
                session, actor_id=doctor_user.id, appointment_id=crafted, now=NOW
            )


def test_an_answered_request_cannot_be_answered_again(session, doctor, doctor_user, patient):
    request = ask(session, patient, doctor)
    requests.accept_request(session, actor_id=doctor_user.id, appointment_id=request.id, now=NOW)
    with pytest.raises(Conflict):
        requests.accept_request(
            session, actor_id=doctor_user.id, appointment_id=request.id, now=NOW
        )
    with pytest.raises(Conflict):
        requests.decline_request(
            session, actor_id=doctor_user.id, appointment_id=request.id, reason="", now=NOW
        )


# --- bookings that are not requests ------------------------------------------------------


def test_the_clinics_own_bookings_and_waitlist_offers_are_not_requests(session, doctor, patient):
    admin = create_user(session, role=Role.ADMIN)
    by_admin = book(
        session,
        patient_id=patient.id,
        doctor_id=doctor.id,
        start_at=SLOT,
        reason="Fever",
        now=NOW,
        by=Actor(admin.id, "admin", NOW),
    )
    offer = book(
        session,
        patient_id=create_patient(session).id,
        doctor_id=doctor.id,
        start_at=OTHER_SLOT,
        reason="Fever",
        now=NOW,
        hold_minutes=15,
    )
    for booking, minutes in ((by_admin, 10), (offer, 15)):
        row = fresh(session, booking.id)
        assert row.awaiting_doctor is False
        assert row.hold_expires_at == NOW + timedelta(minutes=minutes)
        assert in_app(session, row.id, REQUEST_MADE) == {}
    assert pay_at_clinic(session, fresh(session, by_admin.id), patient).success


# --- the setting -------------------------------------------------------------------------


def test_the_doctor_turns_the_setting_on_and_off(session, doctor, doctor_user, patient):
    def audited() -> list[dict]:
        rows = session.exec(
            select(AuditEvent).where(AuditEvent.action == requests.SETTING_CHANGED)
        ).all()
        return [dict(row.detail or {}) for row in rows]

    assert requests.confirms_bookings(session, actor_id=doctor_user.id) is True
    pending = ask(session, patient, doctor)

    assert (
        requests.set_confirms_bookings(session, actor_id=doctor_user.id, on=False, now=NOW) is False
    )
    assert requests.confirms_bookings(session, actor_id=doctor_user.id) is False
    assert (
        requests.set_confirms_bookings(session, actor_id=doctor_user.id, on=False, now=NOW) is False
    )
    assert audited() == [{"on": False}]  # an unchanged setting writes nothing
    # Requests already made still wait; new bookings are not requests.
    assert fresh(session, pending.id).awaiting_doctor is True
    later = ask(session, create_patient(session), doctor, OTHER_SLOT)
    assert fresh(session, later.id).awaiting_doctor is False

    assert requests.set_confirms_bookings(session, actor_id=doctor_user.id, on=True, now=NOW)
    assert audited() == [{"on": False}, {"on": True}]
    # Only ``True`` turns it on: a crafted value turns it off.
    assert (
        requests.set_confirms_bookings(session, actor_id=doctor_user.id, on="yes", now=NOW) is False
    )


# --- the emails --------------------------------------------------------------------------

LETTER = Letter(
    event="request_made",
    audience="patient",
    recipient_name="Asha Rao",
    appointment_id="0b5c7e1e-7a0e-4b7a-9a55-1c2d3e4f5a6b",
    doctor="Dr. Meera Iyer",
    hospital="Apollo Greams Road",
    hospital_address="21 Greams Lane, Chennai",
    when=clinic_when(SLOT),
    fee="₹800",
    transaction_id="",
    visit_reason="Fever and headache",
)
OPENING = {
    "request_made": "is waiting for Dr. Meera Iyer to accept it",
    "request_accepted": "Dr. Meera Iyer accepted your request",
    "request_declined": "Dr. Meera Iyer cannot see you at this time",
    "request_lapsed": "Dr. Meera Iyer did not answer your request in time",
}


@pytest.mark.parametrize("event", REQUEST_EVENTS)
def test_each_request_email_renders_in_english(event: str) -> None:
    email = render_email(replace(LETTER, event=event, cancel_reason="On leave"))
    assert "Mon, 23 Nov 2026, 10:00 AM" in email.subject
    for body in (email.text, email.html):
        assert "Dear Asha Rao," in body and "{{" not in body
    assert OPENING[event] in email.text
    assert "Reason:    On leave" in email.text
    doctor = render_email(replace(LETTER, event=event, audience="doctor"))
    assert "Reason for the visit: Fever and headache" in doctor.text
    assert "/doctor-portal/visits/" in doctor.text


@pytest.mark.parametrize("event", REQUEST_EVENTS)
def test_each_request_email_renders_in_hindi(event: str) -> None:
    english = render_email(replace(LETTER, event=event))
    hindi = render_email(replace(LETTER, event=event, language="hi"))
    assert hindi.subject != english.subject and "Dr. Meera Iyer" in hindi.subject
    for body in (hindi.text, hindi.html):
        assert "प्रिय Asha Rao," in body and "Dear" not in body
        assert OPENING[event] not in body
    assert '<html lang="hi-IN">' in hindi.html


def test_a_reason_is_escaped_in_the_html(session) -> None:
    email = render_email(
        replace(LETTER, event="request_declined", cancel_reason="<b>Away</b>", language="hi")
    )
    assert "<b>Away" not in email.html and "&lt;b&gt;Away&lt;/b&gt;" in email.html


# --- the nudge to pay an accepted request ------------------------------------------------


def pay_nudges(session: Session, appointment_id: str) -> list[Notification]:
    session.expire_all()
    rows = session.exec(
        select(Notification).where(
            Notification.appointment_id == appointment_id, Notification.event == HOLD_NUDGE
        )
    )
    return list(rows)


def test_a_request_waiting_for_the_doctor_is_not_nudged_to_pay(session, doctor, patient):
    assert pay_nudges(session, ask(session, patient, doctor).id) == []


def test_accepted_the_patient_is_nudged_two_hours_before_the_time_to_pay_runs_out(
    session, doctor, doctor_user, patient
):
    request = ask(session, patient, doctor)
    requests.accept_request(session, actor_id=doctor_user.id, appointment_id=request.id, now=NOW)

    (nudge,) = pay_nudges(session, request.id)
    pay_by = NOW + timedelta(hours=24)
    assert (nudge.user_id, nudge.channel, nudge.status) == (patient.id, IN_APP, "queued")
    assert nudge.due_at == pay_by - timedelta(hours=2)
    assert nudge.about_start_at == SLOT
    assert nudge.link == f"/pay/{request.id}"
    assert nudge.subject == (
        "Pay by Sat, 21 Nov 2026, 09:00 AM to keep your visit on Mon, 23 Nov 2026"
    )
    assert "Pay at Clinic" in nudge.body


def test_with_less_time_to_pay_the_nudge_comes_halfway(session, doctor, doctor_user, patient):
    request = ask(session, patient, doctor, now=SLOT - timedelta(hours=5))
    answer = SLOT - timedelta(hours=3)  # the visit, three hours on, ends the time to pay
    requests.accept_request(session, actor_id=doctor_user.id, appointment_id=request.id, now=answer)
    (nudge,) = pay_nudges(session, request.id)
    assert nudge.due_at == SLOT - timedelta(hours=1, minutes=30)


def test_the_nudge_reaches_a_hindi_patient_in_hindi(session, doctor, doctor_user, patient):
    patient.language = "hi"
    session.add(patient)
    session.commit()
    request = ask(session, patient, doctor)
    requests.accept_request(session, actor_id=doctor_user.id, appointment_id=request.id, now=NOW)
    (nudge,) = pay_nudges(session, request.id)
    assert nudge.subject.isascii() is False and "Pay by" not in nudge.subject


@pytest.mark.parametrize("settle", ["online", "at the clinic", "not at all"])
def test_the_nudge_goes_only_to_a_request_still_unpaid(
    db_url, session, doctor, doctor_user, patient, settle
):
    request = ask(session, patient, doctor)
    requests.accept_request(session, actor_id=doctor_user.id, appointment_id=request.id, now=NOW)
    if settle == "online":
        assert pay_online(session, fresh(session, request.id), patient).success
    elif settle == "at the clinic":
        assert pay_at_clinic(session, fresh(session, request.id), patient).success
    session.commit()
    (nudge,) = pay_nudges(session, request.id)

    deliver_due(now=nudge.due_at, senders={IN_APP: InAppSender()}, url=db_url)

    expected = "sent" if settle == "not at all" else "skipped"
    assert [n.status for n in pay_nudges(session, request.id)] == [expected]
