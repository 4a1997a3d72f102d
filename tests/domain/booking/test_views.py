"""My appointments' tabs (upcoming / past / cancelled) and the payment as the patient
reads it: which appointment lists where, in what order, continued by keyset; and the
payment wording for every kind of visit, as a pure rule and on real bookings."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session

from healthcareplus.core.models import AppointmentStatus, PaymentStatus, Role
from healthcareplus.domain.admin.actions import mark_paid
from healthcareplus.domain.booking.appointments import cancel, get_appointment, list_appointments
from healthcareplus.domain.booking.payment_wording import payment_label
from healthcareplus.domain.booking.views import TABS, AppointmentView
from healthcareplus.domain.payments.checkout import abandon
from healthcareplus.domain.scheduling.lifecycle import PROCESSING, expire_lapsed_holds
from tests.factories import (
    create_appointment,
    create_booking,
    create_doctor,
    create_patient,
    create_user,
    local,
    settle_payment,
)

FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)
BOOKED = local(FRIDAY, "09:00")
NOW = local(MONDAY, "12:00")
PENDING, CONFIRMED = AppointmentStatus.PENDING_PAYMENT, AppointmentStatus.CONFIRMED
COMPLETED, NO_SHOW = AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW
CANCELLED, EXPIRED = AppointmentStatus.CANCELLED, AppointmentStatus.EXPIRED


@pytest.fixture
def doctor(session: Session):
    return create_doctor(session, name="Dr. Meera Rao", fee_paise=80_000)


@pytest.fixture
def patient(session: Session):
    return create_patient(session, name="Asha Patel")


def tabs_of(session: Session, patient_id: int, now: datetime = NOW) -> dict[str, list[str]]:
    return {
        tab: [v.id for v in list_appointments(session, patient_id=patient_id, tab=tab, now=now)]
        for tab in TABS
    }


# --- which tab -------------------------------------------------------------------------------

# (status, payment status, hold) -> the tab, for a visit ahead and for one that is over.
# hold: "live" runs past NOW, "lapsed" ran out before it, None never set.
KINDS = [
    (CONFIRMED, PaymentStatus.SUCCESS, None, "upcoming", "past"),
    (CONFIRMED, PaymentStatus.PENDING, None, "upcoming", "past"),  # Pay at Clinic
    (COMPLETED, PaymentStatus.SUCCESS, None, "past", "past"),
    (NO_SHOW, PaymentStatus.PENDING, None, "past", "past"),
    (PENDING, PaymentStatus.PENDING, "live", "upcoming", "past"),
    (PENDING, PaymentStatus.FAILED, "live", "upcoming", "past"),
    (PENDING, PaymentStatus.PENDING, None, "upcoming", "past"),  # a hold without expiry
    (PENDING, PROCESSING, "lapsed", "upcoming", "past"),  # the bank may still say yes
    (PENDING, PaymentStatus.PENDING, "lapsed", "cancelled", "cancelled"),  # abandoned hold
    (PENDING, PaymentStatus.FAILED, "lapsed", "cancelled", "cancelled"),
    (EXPIRED, PaymentStatus.PENDING, None, "cancelled", "cancelled"),
    (CANCELLED, PaymentStatus.PENDING, None, "cancelled", "cancelled"),  # Pay at Clinic
    (CANCELLED, PaymentStatus.REFUNDED, None, "cancelled", "cancelled"),
]


def test_every_appointment_lists_in_exactly_its_one_tab(session, doctor, patient) -> None:
    expected: dict[str, list[str]] = {tab: [] for tab in TABS}
    for n, (status, paid, hold, ahead_tab, over_tab) in enumerate(KINDS):
        for start, tab in (
            (NOW + timedelta(days=1, minutes=15 * n), ahead_tab),
            (NOW - timedelta(days=1, minutes=15 * n), over_tab),
        ):
            expires = {"live": NOW + timedelta(minutes=5), "lapsed": NOW - timedelta(minutes=1)}
            made = create_appointment(
                session,
                doctor=doctor,
                patient=patient,
                start_at=start,
                status=status,
                payment_status=paid,
                hold_expires_at=expires.get(hold or ""),
            )
            expected[tab].append(made.id)
    found = tabs_of(session, patient.id)
    assert {tab: sorted(ids) for tab, ids in found.items()} == {
        tab: sorted(ids) for tab, ids in expected.items()
    }
    assert len(sum(found.values(), [])) == 2 * len(KINDS)  # each once, none lost


def test_a_visit_under_way_is_upcoming_until_it_ends(session, doctor, patient) -> None:
    started = create_appointment(
        session, doctor=doctor, patient=patient, start_at=NOW - timedelta(minutes=5)
    )
    assert tabs_of(session, patient.id)["upcoming"] == [started.id]
    assert tabs_of(session, patient.id, now=started.end_at)["past"] == [started.id]


def test_cancelled_visits_are_not_past_ones(session, doctor, patient) -> None:
    """A visit cancelled for next week, an expired hold and a visit that is over."""
    next_week = create_booking(
        session,
        doctor=doctor,
        patient=patient,
        start_at=local(MONDAY + timedelta(days=7), "10:00"),
        now=BOOKED,
        method="pay_at_clinic",
    )
    cancel(
        session,
        appointment_id=next_week.id,
        actor_id=patient.id,
        actor_role=Role.PATIENT,
        reason="",
        now=NOW,
    )
    held = create_booking(
        session,
        doctor=doctor,
        patient=patient,
        start_at=local(MONDAY, "11:00"),
        now=BOOKED,
        method=None,
    )
    assert expire_lapsed_holds(session, now=NOW) == 1
    over = create_booking(
        session, doctor=doctor, patient=patient, start_at=local(MONDAY, "10:00"), now=BOOKED
    )
    session.commit()

    assert tabs_of(session, patient.id) == {
        "upcoming": [],
        "past": [over.id],
        "cancelled": [next_week.id, held.id],  # the latest visit first
    }


def test_a_hold_abandoned_before_paying_is_cancelled(session, doctor, patient) -> None:
    held = create_booking(
        session,
        doctor=doctor,
        patient=patient,
        start_at=local(MONDAY, "11:00"),
        now=BOOKED,
        method=None,
    )
    abandon(session, appointment_id=held.id, patient_id=patient.id, now=BOOKED)
    session.commit()
    assert tabs_of(session, patient.id, now=BOOKED)["cancelled"] == [held.id]


def test_the_cancelled_tab_is_latest_first_and_continues_without_repeats(
    session, doctor, patient
) -> None:
    starts = [local(MONDAY + timedelta(days=d), "10:00") for d in (3, 1, 5, 1)]  # a tie
    ids = [
        create_appointment(
            session, doctor=doctor, patient=patient, start_at=start, status=CANCELLED
        ).id
        for start in starts
    ]
    create_appointment(  # someone else's
        session, doctor=doctor, start_at=starts[0], status=CANCELLED
    )
    tied = sorted([ids[1], ids[3]])
    expected = [ids[2], ids[0], *tied]

    whole = list_appointments(session, patient_id=patient.id, tab="cancelled", now=NOW)
    assert [v.id for v in whole] == expected
    seen: list[AppointmentView] = []
    after = None
    while True:
        page = list_appointments(
            session, patient_id=patient.id, tab="cancelled", now=NOW, limit=1, after=after
        )
        if not page:
            break
        seen += page
        after = (page[-1].start_at, page[-1].id)
    assert [v.id for v in seen] == expected


@pytest.mark.parametrize("tab", ["all", "Cancelled", "", None, "upcoming "])
def test_an_unknown_tab_is_refused(session, patient, tab) -> None:
    with pytest.raises(ValueError, match="unknown tab"):
        list_appointments(session, patient_id=patient.id, tab=tab, now=NOW)


# --- the payment as the patient reads it -----------------------------------------------------

CLINIC, UPI = "pay_at_clinic", "upi"


@pytest.mark.parametrize(
    ("time_status", "payment_status", "method", "label"),
    [
        ("cancelled", "Pending", CLINIC, "Not charged"),
        ("expired", "Pending", None, "Not charged"),
        ("expired", "Failed", UPI, "Not charged"),
        ("cancelled", "Failed", UPI, "Not charged"),
        ("missed", "Pending", CLINIC, "Not charged"),
        ("cancelled", "Refunded", UPI, "Refunded"),
        ("cancelled", "Refunded", CLINIC, "Refunded"),
        ("completed", "Refunded", UPI, "Refunded"),
        ("upcoming", "Pending", CLINIC, "Pay at the clinic"),
        ("completed", "Pending", CLINIC, "Due at the clinic"),
        ("upcoming", "Success", CLINIC, "Paid"),
        ("completed", "Success", CLINIC, "Paid"),
        ("upcoming", "Success", UPI, "Paid"),
        ("missed", "Success", UPI, "Paid"),
        ("pending_payment", "Pending", None, "Awaiting payment"),
        ("pending_payment", "Failed", "card", "Payment failed"),
        ("pending_payment", PROCESSING, "card", "Processing"),
        ("cancelled", PROCESSING, "card", "Processing"),
    ],
)
def test_payment_label(time_status, payment_status, method, label) -> None:
    assert (
        payment_label(time_status=time_status, payment_status=payment_status, payment_method=method)
        == label
    )


def view_of(session: Session, appointment_id: str, patient_id: int, now: datetime = NOW):
    session.expire_all()
    return get_appointment(session, appointment_id=appointment_id, patient_id=patient_id, now=now)


def test_the_lists_and_the_detail_carry_the_label(session, doctor, patient) -> None:
    ahead = local(MONDAY + timedelta(days=2), "10:00")
    clinic = create_booking(
        session, doctor=doctor, patient=patient, start_at=ahead, now=BOOKED, method=CLINIC
    )
    assert view_of(session, clinic.id, patient.id).payment_label == "Pay at the clinic"
    assert view_of(session, clinic.id, patient.id).payment_status == "Pending"  # the ledger's
    listed = list_appointments(session, patient_id=patient.id, tab="upcoming", now=NOW)
    assert [(v.id, v.payment_label) for v in listed] == [(clinic.id, "Pay at the clinic")]

    cancel(
        session,
        appointment_id=clinic.id,
        actor_id=patient.id,
        actor_role=Role.PATIENT,
        reason="",
        now=NOW,
    )
    session.commit()
    gone = view_of(session, clinic.id, patient.id)
    assert (gone.time_status, gone.payment_status, gone.payment_label) == (
        "cancelled",
        "Pending",
        "Not charged",
    )
    listed = list_appointments(session, patient_id=patient.id, tab="cancelled", now=NOW)
    assert [v.payment_label for v in listed] == ["Not charged"]

    paid = create_booking(
        session, doctor=doctor, patient=patient, start_at=ahead, now=BOOKED, method=UPI
    )
    assert view_of(session, paid.id, patient.id).payment_label == "Paid"
    cancel(
        session,
        appointment_id=paid.id,
        actor_id=patient.id,
        actor_role=Role.PATIENT,
        reason="",
        now=NOW,
    )
    session.commit()
    assert view_of(session, paid.id, patient.id).payment_label == "Refunded"


def test_an_expired_hold_and_a_completed_clinic_visit(session, doctor, patient) -> None:
    held = create_booking(
        session,
        doctor=doctor,
        patient=patient,
        start_at=local(MONDAY, "11:00"),
        now=BOOKED,
        method=None,
    )
    assert view_of(session, held.id, patient.id, now=BOOKED).payment_label == "Awaiting payment"
    assert view_of(session, held.id, patient.id).payment_label == "Not charged"  # lapsed
    expire_lapsed_holds(session, now=NOW)
    session.commit()
    assert view_of(session, held.id, patient.id).payment_label == "Not charged"

    visit = create_appointment(
        session, doctor=doctor, patient=patient, start_at=local(MONDAY, "10:00"), status=COMPLETED
    )
    settle_payment(session, visit, method=CLINIC, status=PaymentStatus.PENDING)
    assert view_of(session, visit.id, patient.id).payment_label == "Due at the clinic"
    admin = create_user(session, role=Role.ADMIN)
    mark_paid(session, appointment_id=visit.id, admin_id=admin.id, now=NOW)
    session.commit()
    assert view_of(session, visit.id, patient.id).payment_label == "Paid"
