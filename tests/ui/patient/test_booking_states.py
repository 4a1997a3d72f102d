"""The booking wizard, payment and My-appointments states, driven as a browser would and
as a crafted browser could.

Each call goes straight to the handler (a crafted websocket event can name any handler
with any arguments); the page's router path is set the way Reflex sets it. The data is a
real, small clinic: one doctor working every day 08:00-20:00 in 30-minute slots, with a
taken slot, a blocked hour, a day off, and two appointments of patient A (``users.patient``)
that patient B (``users.other_patient``) tries to reach.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import reflex as rx
from reflex.state import BaseState
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.config import get_settings
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Doctor,
    Payment,
    PaymentStatus,
)
from healthcareplus.domain.payments.checkout import STILL_PROCESSING
from healthcareplus.ui.patient import payment_state
from healthcareplus.ui.patient.appointments_state import AppointmentDetailState, AppointmentsState
from healthcareplus.ui.patient.booking_state import BookingState
from healthcareplus.ui.patient.payment_state import PaymentState
from tests.factories import (
    create_appointment,
    create_doctor,
    create_hospital,
    create_patient,
    create_time_off,
    local,
)
from tests.gateways import BlockingGateway, ScriptedGateway
from tests.ui.harness import Client, Users, has_toast, redirects, set_page, toasts

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]

SIGN_IN_PLEASE = "Please sign in to continue."
NO_ACCESS = "You do not have access to that page."
NOT_FOUND = "Appointment not found."
DAY_FULL = "That day has no free slots. Please pick another date."
SLOT_GONE = "That time is not available. Please pick a free slot."
EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))
FEE = 70_000


@dataclass
class Clinic:
    doctor: Doctor
    today: date
    day: date  # tomorrow: bookable, 10:00 taken by another patient, 12:00-13:00 blocked
    off_day: date  # the day after: a whole day of time off, nothing bookable
    a_confirmed: Appointment  # patient A's paid, confirmed appointment in three days
    a_pending: Appointment  # patient A's booking awaiting payment (live hold)

    def start(self, hhmm: str, day: date | None = None) -> str:
        """A slot's ``start`` as the state lists it (aware UTC, ISO format)."""
        return local(day or self.day, hhmm).isoformat()

    @property
    def book_path(self) -> str:
        return f"/book/{self.doctor.id}"


@pytest.fixture
def clinic(session: Session, users: Users) -> Clinic:
    now = utcnow()
    today = clinic_today(now)
    day, off_day, a_day = (
        today + timedelta(days=1),
        today + timedelta(days=2),
        today + timedelta(days=3),
    )
    hospital = create_hospital(session, name="Sunrise Hospital", address="12 Residency Road")
    doctor = create_doctor(
        session, hospital=hospital, name="Dr. Kavya Menon", fee_paise=FEE, schedule=EVERY_DAY
    )
    someone_else = create_patient(session)
    create_appointment(
        session, doctor=doctor, patient=someone_else, start_at=local(day, "10:00"), minutes=30
    )
    create_time_off(
        session, doctor=doctor, start_at=local(day, "12:00"), end_at=local(day, "13:00")
    )
    create_time_off(
        session,
        doctor=doctor,
        start_at=local(off_day, "00:00"),
        end_at=local(off_day + timedelta(days=1), "00:00"),
    )
    a_confirmed = create_appointment(
        session,
        doctor=doctor,
        patient=users.patient,
        start_at=local(a_day, "10:00"),
        minutes=30,
        payment_status=PaymentStatus.SUCCESS,
        reason="Fever for three days",
    )
    a_confirmed.payment_method, a_confirmed.transaction_id = "upi", "HCP-20990101-AAAAAA"
    a_confirmed.paid_at = now - timedelta(hours=1)
    session.add(a_confirmed)
    session.add(
        Payment(
            appointment_id=a_confirmed.id,
            method="upi",
            amount_paise=FEE,
            status=PaymentStatus.SUCCESS,
            transaction_id="HCP-20990101-AAAAAA",
            idempotency_key=f"{a_confirmed.id}:1",
            upi_vpa="asha@okaxis",
        )
    )
    a_pending = create_appointment(
        session,
        doctor=doctor,
        patient=users.patient,
        start_at=local(a_day, "11:00"),
        minutes=30,
        status=AppointmentStatus.PENDING_PAYMENT,
        hold_expires_at=now + timedelta(minutes=10),
        booked_at=now,
        reason="Follow-up",
    )
    session.commit()
    return Clinic(doctor, today, day, off_day, a_confirmed, a_pending)


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> ScriptedGateway:
    """The gateway PaymentState.pay gets: approves one charge, then runs out (and says so)."""
    scripted = ScriptedGateway([True])
    monkeypatch.setattr(payment_state, "gateway_from_settings", lambda: scripted)
    return scripted


# --- helpers ---------------------------------------------------------------------------


def db_rows(fresh_session: FreshSession) -> dict[str, list[dict[str, Any]]]:
    """Every appointment, payment and audit row, read through a new session."""
    with fresh_session() as db:
        return {
            table.__name__: [
                row.model_dump() for row in db.exec(select(table).order_by(table.id)).all()
            ]
            for table in (Appointment, Payment, AuditEvent)
        }


def appointment(fresh_session: FreshSession, appointment_id: str) -> Appointment:
    with fresh_session() as db:
        row = db.get(Appointment, appointment_id)
        assert row is not None
        return row


def payment_rows(fresh_session: FreshSession, appointment_id: str) -> list[Payment]:
    with fresh_session() as db:
        query = select(Payment).where(Payment.appointment_id == appointment_id)
        return list(db.exec(query.order_by(Payment.id)).all())


async def values(client: Client, cls: type[BaseState]) -> dict[str, Any]:
    """A copy of the state's own vars (plain values, not Reflex's mutable proxies)."""
    state = await client.state(cls)
    return copy.deepcopy({name: state.get_value(name) for name in cls.base_vars})


def defaults(cls: type[BaseState]) -> dict[str, Any]:
    state = rx.State().get_substate(cls._get_substate_path())
    return copy.deepcopy({name: state.get_value(name) for name in cls.base_vars})


def downloads(events: list) -> list[dict[str, str]]:
    return [e.payload for e in events if e.name == "_download"]


def decoded(data_url: str) -> str:
    header, _, body = data_url.partition(",")
    assert header.startswith("data:") and header.endswith(";base64")
    return base64.b64decode(body).decode()


def login_for(path: str) -> str:
    return "/login?next=" + path.replace("/", "%2F")


async def at_step_three(make_client: MakeClient, users: Users, clinic: Clinic) -> Client:
    """Patient A's tab with tomorrow 09:30 chosen in the booking wizard."""
    client = make_client(users.patient, url=clinic.book_path)
    await client.call(BookingState, "load")
    await client.call(BookingState, "choose_day", iso=clinic.day.isoformat())
    await client.call(BookingState, "choose_slot", start=clinic.start("09:30"))
    assert (await client.state(BookingState)).step == 3
    return client


# --- 1. every handler refuses anonymous visitors, doctors and admins ----------------------

ALL_HANDLERS = {
    BookingState: ("load", "choose_day", "choose_slot", "go_to_step", "confirm"),
    PaymentState: ("load", "choose_method", "pay", "abandon"),
    AppointmentsState: ("load", "tick", "switch_tab", "cancel"),
    AppointmentDetailState: ("load", "cancel", "download_calendar", "download_prescription"),
}
HANDLER_CASES = [(cls, name) for cls, names in ALL_HANDLERS.items() for name in names]


def test_the_cases_cover_every_handler_of_the_four_states() -> None:
    for cls, names in ALL_HANDLERS.items():
        assert set(cls.event_handlers) - {"setvar"} == set(names), cls.__name__


def page_of(cls: type[BaseState], clinic: Clinic) -> str:
    return {
        BookingState: clinic.book_path,
        PaymentState: f"/pay/{clinic.a_pending.id}",
        AppointmentsState: "/appointments",
        AppointmentDetailState: f"/appointments/{clinic.a_confirmed.id}",
    }[cls]


def payload_for(cls: type[BaseState], name: str, clinic: Clinic) -> dict[str, Any]:
    """Arguments that would act if the caller were patient A."""
    return {
        (BookingState, "choose_day"): {"iso": clinic.day.isoformat()},
        (BookingState, "choose_slot"): {"start": clinic.start("09:30")},
        (BookingState, "go_to_step"): {"step": 1},
        (BookingState, "confirm"): {"form_data": {"reason": "Chest pain"}},
        (PaymentState, "choose_method"): {"method": "card"},
        (PaymentState, "pay"): {"form_data": {"upi_vpa": "asha@okicici"}},
        (AppointmentsState, "switch_tab"): {"tab": "past"},
        (AppointmentsState, "cancel"): {"appointment_id": clinic.a_confirmed.id},
    }.get((cls, name), {})


async def prime(client: Client, cls: type[BaseState], clinic: Clinic) -> None:
    """Fill the state as patient A's tab would have it, so an unguarded body would act."""
    state = await client.state(cls)
    if cls is BookingState:
        day, start = clinic.day.isoformat(), clinic.start("09:30")
        state.doctor = {"id": str(clinic.doctor.id), "name": "Dr. Kavya Menon"}
        state.days = [{"iso": day, "bookable": "true", "date_label": "Tomorrow", "month": "Nov"}]
        state.slots = [{"start": start, "label": "09:30 AM", "state": "free"}]
        state.day, state.slot, state.step, state.loaded = day, start, 3, True
    elif cls is PaymentState:
        state.appointment = {"id": clinic.a_pending.id, "doctor_id": str(clinic.doctor.id)}
        state.loaded = True
    elif cls is AppointmentsState:
        state.items, state.loaded = [{"id": clinic.a_confirmed.id}], True
    else:
        state.item, state.loaded = {"id": clinic.a_confirmed.id}, True


@pytest.mark.parametrize("primed", [False, True], ids=["fresh", "primed"])
@pytest.mark.parametrize("who", [None, "doctor", "admin"], ids=["anonymous", "doctor", "admin"])
@pytest.mark.parametrize(
    ("cls", "name"), HANDLER_CASES, ids=[f"{c.__name__}.{n}" for c, n in HANDLER_CASES]
)
async def test_every_handler_redirects_a_wrong_caller_and_changes_nothing(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    gateway: ScriptedGateway,
    fresh_session: FreshSession,
    cls: type[BaseState],
    name: str,
    who: str | None,
    primed: bool,
) -> None:
    path = page_of(cls, clinic)
    client = make_client(getattr(users, who) if who else None, url=path)
    if primed:
        await prime(client, cls, clinic)
    state_before, rows_before = await values(client, cls), db_rows(fresh_session)

    events = await client.call(cls, name, **payload_for(cls, name, clinic))

    if cls is BookingState and who is not None:
        # Staff use the wizard too, for a patient they chose (``?for=``) or to move a
        # visit (tests/ui/desk/test_staff_wizard.py): with neither, nothing happens.
        assert redirects(events) == []
        assert db_rows(fresh_session) == rows_before
        assert gateway.calls == []
        return
    target = {None: login_for(path), "doctor": routes.DOCTOR_PORTAL, "admin": "/admin"}[who]
    assert redirects(events) == [target]
    assert has_toast(events, SIGN_IN_PLEASE if who is None else NO_ACCESS)
    assert downloads(events) == []
    assert await values(client, cls) == state_before
    if not primed:
        assert state_before == defaults(cls)
    assert db_rows(fresh_session) == rows_before
    assert gateway.calls == []


# --- 2. the patient's journey through the states -------------------------------------------


async def test_patient_books_pays_lists_downloads_and_cancels(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    gateway: ScriptedGateway,
    fresh_session: FreshSession,
) -> None:
    client = make_client(users.patient, url=clinic.book_path)

    # Step 1: the calendar.
    assert await client.call(BookingState, "load") == []
    booking = await client.state(BookingState)
    assert (booking.loaded, booking.not_found, booking.mode) == (True, False, "book")
    assert booking.doctor["id"] == str(clinic.doctor.id)
    assert booking.doctor["name"] == "Dr. Kavya Menon"
    days = {d["iso"]: d for d in booking.days}
    assert len(days) == 30 and booking.days[0]["iso"] == clinic.today.isoformat()
    assert days[clinic.day.isoformat()]["bookable"] == "true"
    assert days[clinic.off_day.isoformat()]["bookable"] == "false"

    # Step 2: the day's slots, each with its state.
    await client.call(BookingState, "choose_day", iso=clinic.day.isoformat())
    assert (booking.step, booking.day, booking.error) == (2, clinic.day.isoformat(), "")
    slot_states = {s["start"]: s["state"] for s in booking.slots}
    expected_starts = [clinic.start(f"{h:02d}:{m:02d}") for h in range(8, 20) for m in (0, 30)]
    assert list(slot_states) == expected_starts
    assert slot_states[clinic.start("10:00")] == "taken"
    assert slot_states[clinic.start("12:00")] == slot_states[clinic.start("12:30")] == "blocked"
    assert slot_states[clinic.start("09:30")] == "free"

    # Step 3: a free slot.
    await client.call(BookingState, "choose_slot", start=clinic.start("09:30"))
    assert (booking.step, booking.slot, booking.slot_label) == (
        3,
        clinic.start("09:30"),
        "09:30 AM",
    )

    # Confirm: a held booking for this patient, then the payment page.
    before = {a["id"] for a in db_rows(fresh_session)["Appointment"]}
    events = await client.call(BookingState, "confirm", form_data={"reason": "Chest pain"})
    new_ids = {a["id"] for a in db_rows(fresh_session)["Appointment"]} - before
    assert len(new_ids) == 1
    new_id = new_ids.pop()
    assert redirects(events) == [f"/pay/{new_id}"]
    # No toast to outlive the page: the payment page itself says the slot is held.
    assert toasts(events) == []
    held = appointment(fresh_session, new_id)
    assert (held.patient_id, held.doctor_id) == (users.patient.id, clinic.doctor.id)
    assert (held.status, held.payment_status) == ("pending_payment", "Pending")
    assert (held.reason, held.fee_paise) == ("Chest pain", FEE)
    assert held.start_at.isoformat() == clinic.start("09:30")
    assert held.hold_expires_at is not None and held.hold_expires_at > utcnow()

    # The payment page.
    set_page(client.root, f"/pay/{new_id}")
    assert await client.call(PaymentState, "load") == []
    pay_state = await client.state(PaymentState)
    assert (pay_state.loaded, pay_state.not_found) == (True, False)
    assert pay_state.appointment["id"] == new_id
    assert pay_state.appointment["can_pay"] == "true"
    assert pay_state.appointment["hold_deadline"] != ""
    # The first paint shows the time left (the hold is minutes long), not a placeholder.
    minutes, seconds = map(int, pay_state.appointment["hold_left"].split(":"))
    assert 0 < minutes * 60 + seconds <= get_settings().hold_minutes * 60
    terms = pay_state.appointment["refund_terms"]
    assert "₹" in terms and "until your visit at 09:30 AM" in terms and "working days" in terms
    events = await client.call(PaymentState, "pay", form_data={"upi_vpa": "asha@okicici"})
    assert redirects(events) == [f"/appointments/{new_id}?confirmed=1"]
    assert has_toast(events, "Appointment confirmed")
    assert (pay_state.failure, pay_state.errors, pay_state.busy) == ("", {}, False)
    paid = appointment(fresh_session, new_id)
    assert (paid.status, paid.payment_status, paid.payment_method) == (
        "confirmed",
        "Success",
        "upi",
    )
    assert paid.transaction_id and paid.transaction_id.startswith("HCP-")
    [payment] = payment_rows(fresh_session, new_id)
    assert (payment.status, payment.upi_vpa, payment.amount_paise) == (
        "Success",
        "asha@okicici",
        FEE,
    )
    assert [amount for _, amount in gateway.charged] == [FEE]

    # My appointments: upcoming, soonest first.
    set_page(client.root, "/appointments")
    await client.call(AppointmentsState, "load")
    listing = await client.state(AppointmentsState)
    assert listing.tab == "upcoming"
    assert [i["id"] for i in listing.items] == [
        new_id,
        clinic.a_confirmed.id,
        clinic.a_pending.id,
    ]
    assert (listing.items[0]["status"], listing.items[0]["time_status"]) == (
        "confirmed",
        "upcoming",
    )

    # The appointment's page and its calendar file.
    set_page(client.root, f"/appointments/{new_id}?confirmed=1")
    await client.call(AppointmentDetailState, "load")
    detail = await client.state(AppointmentDetailState)
    assert (detail.loaded, detail.not_found, detail.just_confirmed) == (True, False, True)
    assert (detail.item["id"], detail.item["status"]) == (new_id, "confirmed")
    assert detail.item["transaction_id"] == paid.transaction_id
    events = await client.call(AppointmentDetailState, "download_calendar")
    [download] = downloads(events)
    assert download["filename"] == f"appointment-{new_id[:8]}.ics"
    ics = decoded(download["url"])
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.rstrip().endswith("END:VCALENDAR")
    assert "Chest pain" in ics and "Dr. Kavya Menon" in ics

    # Cancelling a paid appointment refunds it.
    events = await client.call(AppointmentDetailState, "cancel")
    assert has_toast(events, "Appointment cancelled. Your payment will be refunded.")
    cancelled = appointment(fresh_session, new_id)
    assert (cancelled.status, cancelled.payment_status) == ("cancelled", "Refunded")
    assert cancelled.cancelled_by_user_id == users.patient.id
    refund = payment_rows(fresh_session, new_id)[-1]
    assert (refund.status, refund.amount_paise, refund.upi_vpa) == ("Refunded", FEE, "asha@okicici")
    assert (detail.item["status"], detail.item["refunded"], detail.just_confirmed) == (
        "cancelled",
        "true",
        False,
    )
    await client.call(AppointmentsState, "switch_tab", tab="cancelled")
    assert [i["id"] for i in listing.items] == [new_id]
    assert listing.items[0]["payment_label"] == "Refunded"
    await client.call(AppointmentsState, "switch_tab", tab="past")
    assert listing.items == []  # a visit called off is not a past one


@pytest.mark.parametrize("form", [{"reason": ""}, {"reason": "   \n "}, {}, "Chest pain", None])
async def test_confirm_without_a_reason_sets_reason_error_and_books_nothing(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    fresh_session: FreshSession,
    form: Any,
) -> None:
    client = await at_step_three(make_client, users, clinic)
    rows_before = db_rows(fresh_session)

    events = await client.call(BookingState, "confirm", form_data=form)

    assert events == []
    booking = await client.state(BookingState)
    assert booking.reason_error == "Please tell us the reason for your visit."
    assert (booking.step, booking.slot, booking.busy) == (3, clinic.start("09:30"), False)
    assert db_rows(fresh_session) == rows_before


async def test_a_declined_payment_shows_the_failure_and_keeps_the_booking_pending(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    fresh_session: FreshSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scripted = ScriptedGateway([False, True], failure_reason="Insufficient balance")
    monkeypatch.setattr(payment_state, "gateway_from_settings", lambda: scripted)
    pending_id = clinic.a_pending.id
    client = make_client(users.patient, url=f"/pay/{pending_id}")
    await client.call(PaymentState, "load")

    events = await client.call(PaymentState, "pay", form_data={"upi_vpa": "asha@okicici"})

    assert redirects(events) == []
    state = await client.state(PaymentState)
    assert (state.failure, state.busy) == ("Insufficient balance", False)
    assert (state.appointment["payment_status"], state.appointment["can_pay"]) == (
        "Failed",
        "true",
    )
    row = appointment(fresh_session, pending_id)
    assert (row.status, row.payment_status, row.transaction_id) == (
        "pending_payment",
        "Failed",
        None,
    )
    assert [p.status for p in payment_rows(fresh_session, pending_id)] == ["Failed"]

    # The retry (a new attempt) goes through.
    events = await client.call(PaymentState, "pay", form_data={"upi_vpa": "asha@okicici"})
    assert redirects(events) == [f"/appointments/{pending_id}?confirmed=1"]
    assert appointment(fresh_session, pending_id).status == "confirmed"
    assert [p.status for p in payment_rows(fresh_session, pending_id)] == ["Failed", "Success"]
    assert len(scripted.charged) == 2


async def test_a_payment_the_bank_has_not_answered_yet_is_shown_as_processing(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    fresh_session: FreshSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slow = BlockingGateway()
    monkeypatch.setattr(payment_state, "gateway_from_settings", lambda: slow)
    monkeypatch.setenv("HCP_GATEWAY_TIMEOUT_SECONDS", "0.2")
    get_settings.cache_clear()
    pending_id = clinic.a_pending.id
    client = make_client(users.patient, url=f"/pay/{pending_id}")
    await client.call(PaymentState, "load")
    try:
        events = await client.call(PaymentState, "pay", form_data={"upi_vpa": "asha@okicici"})
    finally:
        slow.release()
    assert redirects(events) == [f"/appointments/{pending_id}"]
    assert has_toast(events, STILL_PROCESSING)
    assert (await client.state(PaymentState)).failure == ""  # not reported as a failure
    row = appointment(fresh_session, pending_id)
    assert (row.status, row.payment_status) == ("pending_payment", "Processing")
    # a second submit while the bank is still deciding charges nothing new
    await client.call(PaymentState, "pay", form_data={"upi_vpa": "asha@okicici"})
    state = await client.state(PaymentState)
    assert state.failure == "A payment for this booking is already in progress."
    assert [p.status for p in payment_rows(fresh_session, pending_id)] == ["Processing"]


async def test_patient_reschedules_their_confirmed_appointment(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    moved_id = clinic.a_confirmed.id
    client = make_client(users.patient, url=f"/reschedule/{moved_id}")

    await client.call(BookingState, "load")
    booking = await client.state(BookingState)
    assert (booking.mode, booking.appointment_id, booking.not_found) == (
        "reschedule",
        moved_id,
        False,
    )
    assert (booking.reason, booking.error, len(booking.days)) == ("Fever for three days", "", 30)
    await client.call(BookingState, "choose_day", iso=clinic.day.isoformat())
    await client.call(BookingState, "choose_slot", start=clinic.start("15:00"))
    events = await client.call(BookingState, "confirm", form_data={"reason": "ignored"})

    assert redirects(events) == [f"/appointments/{moved_id}"]
    row = appointment(fresh_session, moved_id)
    assert row.start_at.isoformat() == clinic.start("15:00")
    assert (row.status, row.payment_status, row.patient_id) == (
        "confirmed",
        "Success",
        users.patient.id,
    )


# --- 3. patient B cannot reach patient A's appointments -------------------------------------


async def test_other_patient_cannot_see_or_pay_a_booking_through_the_payment_page(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    gateway: ScriptedGateway,
    fresh_session: FreshSession,
) -> None:
    rows_before = db_rows(fresh_session)
    a_path = f"/pay/{clinic.a_pending.id}"
    intruder = make_client(users.other_patient, url=a_path)

    assert await intruder.call(PaymentState, "load") == []
    state = await intruder.state(PaymentState)
    assert (state.not_found, state.loaded, state.appointment) == (True, True, {})

    # A crafted state pointing at A's booking (as if the tab had loaded it).
    state.appointment = {"id": clinic.a_pending.id, "doctor_id": str(clinic.doctor.id)}
    events = await intruder.call(PaymentState, "pay", form_data={"upi_vpa": "asha@okicici"})
    assert redirects(events) == []
    assert (state.failure, state.busy, state.appointment) == (NOT_FOUND, False, {})
    assert state.not_found is True
    events = await intruder.call(PaymentState, "abandon")
    assert redirects(events) == []

    assert db_rows(fresh_session) == rows_before
    assert payment_rows(fresh_session, clinic.a_pending.id) == []
    assert gateway.calls == []

    # The owner, in the same situation, sees and may pay the booking.
    owner = make_client(users.patient, url=a_path)
    await owner.call(PaymentState, "load")
    assert (await owner.state(PaymentState)).appointment["id"] == clinic.a_pending.id


async def test_other_patient_cannot_abandon_a_booking_by_crafted_state(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    rows_before = db_rows(fresh_session)
    intruder = make_client(users.other_patient, url=f"/pay/{clinic.a_pending.id}")
    state = await intruder.state(PaymentState)
    state.appointment = {"id": clinic.a_pending.id, "doctor_id": str(clinic.doctor.id)}

    events = await intruder.call(PaymentState, "abandon")

    assert (redirects(events), state.failure) == ([], NOT_FOUND)
    assert db_rows(fresh_session) == rows_before


@pytest.mark.parametrize(
    "crafted_id",
    [
        lambda a: a,
        lambda a: a + "x" * 10_000,  # cut to 36 characters: still A's id, still not B's
        lambda a: a.upper(),
        lambda a: f"{a}' OR '1'='1",
    ],
    ids=["exact", "padded", "upper", "sql"],
)
async def test_other_patient_cannot_cancel_from_the_list_by_sending_an_id(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    fresh_session: FreshSession,
    crafted_id: Callable[[str], str],
) -> None:
    rows_before = db_rows(fresh_session)
    intruder = make_client(users.other_patient, url="/appointments")
    await intruder.call(AppointmentsState, "load")

    events = await intruder.call(
        AppointmentsState, "cancel", appointment_id=crafted_id(clinic.a_confirmed.id)
    )

    assert has_toast(events, NOT_FOUND)
    assert not any("Appointment cancelled" in js for js in toasts(events))
    assert (await intruder.state(AppointmentsState)).items == []
    assert db_rows(fresh_session) == rows_before

    # The owner's own list cancels the same appointment (and refunds it).
    owner = make_client(users.patient, url="/appointments")
    await owner.call(AppointmentsState, "load")
    events = await owner.call(AppointmentsState, "cancel", appointment_id=clinic.a_confirmed.id)
    assert has_toast(events, "Appointment cancelled. Your payment will be refunded.")
    row = appointment(fresh_session, clinic.a_confirmed.id)
    assert (row.status, row.payment_status) == ("cancelled", "Refunded")
    owner_items = (await owner.state(AppointmentsState)).items
    assert [i["id"] for i in owner_items] == [clinic.a_pending.id]


async def test_other_patient_gets_not_found_for_a_detail_page_and_its_actions(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    rows_before = db_rows(fresh_session)
    a_id = clinic.a_confirmed.id
    intruder = make_client(users.other_patient, url=f"/appointments/{a_id}?confirmed=1")

    await intruder.call(AppointmentDetailState, "load")
    detail = await intruder.state(AppointmentDetailState)
    assert (detail.not_found, detail.loaded, detail.item) == (True, True, {})

    # With nothing loaded the actions do nothing ...
    assert await intruder.call(AppointmentDetailState, "cancel") == []
    assert redirects(await intruder.call(AppointmentDetailState, "download_calendar")) == [
        "/appointments"
    ]
    # ... and with a crafted item they still reach nothing of A's.
    detail.item = {"id": a_id}
    events = await intruder.call(AppointmentDetailState, "download_calendar")
    assert (downloads(events), redirects(events)) == ([], ["/appointments"])
    events = await intruder.call(AppointmentDetailState, "cancel")
    assert has_toast(events, NOT_FOUND)
    assert (detail.item, detail.not_found) == ({}, True)
    assert db_rows(fresh_session) == rows_before


async def test_other_patient_cannot_reschedule_an_appointment_by_its_path_or_crafted_state(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    rows_before = db_rows(fresh_session)
    a_id = clinic.a_confirmed.id
    intruder = make_client(users.other_patient, url=f"/reschedule/{a_id}")

    await intruder.call(BookingState, "load")
    booking = await intruder.state(BookingState)
    assert (booking.not_found, booking.loaded) == (True, True)
    assert (booking.days, booking.doctor, booking.reason) == ([], {}, "")
    # No calendar, so no day, slot or confirmation can follow.
    await intruder.call(BookingState, "choose_day", iso=clinic.day.isoformat())
    assert (booking.step, booking.day, booking.error) == (1, "", DAY_FULL)
    assert await intruder.call(BookingState, "confirm", form_data={"reason": "Moved"}) == []

    # A crafted wizard aimed at A's appointment: the service refuses it.
    booking.mode, booking.appointment_id = "reschedule", a_id
    booking.doctor, booking.slot, booking.step = (
        {"id": str(clinic.doctor.id)},
        clinic.start("09:00"),
        3,
    )
    events = await intruder.call(BookingState, "confirm", form_data={"reason": "Moved"})
    assert (redirects(events), booking.error, booking.busy) == ([], NOT_FOUND, False)
    assert db_rows(fresh_session) == rows_before


async def test_bookings_are_made_for_the_caller_whatever_the_form_claims(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = await at_step_three(make_client, users, clinic)
    form = {
        "reason": "Chest pain",
        "patient_id": str(users.other_patient.id),
        "doctor_id": "999",
        "fee_paise": "1",
        "status": "confirmed",
    }

    events = await client.call(BookingState, "confirm", form_data=form)

    [target] = redirects(events)
    row = appointment(fresh_session, target.rsplit("/", 1)[-1])
    assert (row.patient_id, row.doctor_id, row.fee_paise) == (
        users.patient.id,
        clinic.doctor.id,
        FEE,
    )
    assert (row.status, row.payment_status) == ("pending_payment", "Pending")


# --- 4. crafted arguments are refused without effect -----------------------------------------


def crafted(value: Any, clinic: Clinic) -> Any:
    """Resolve the named placeholders of a parametrized crafted argument."""
    named = {
        "<tomorrow>": clinic.day.isoformat(),
        "<day off>": clinic.off_day.isoformat(),
        "<taken>": clinic.start("10:00"),
        "<blocked>": clinic.start("12:30"),
        "<free, another day>": clinic.start("09:30", clinic.day + timedelta(days=3)),
        "<free>": clinic.start("09:30"),
    }
    if isinstance(value, str):
        return named.get(value, value)
    if isinstance(value, list):
        return [crafted(v, clinic) for v in value]
    if isinstance(value, dict):
        return {k: crafted(v, clinic) for k, v in value.items()}
    return value


@pytest.mark.parametrize(
    "iso",
    [
        "<day off>",
        "1999-01-01",
        "2999-12-31",
        "garbage",
        "",
        20260101,
        None,
        True,
        ["<tomorrow>"],
        {"iso": "<tomorrow>", "bookable": "true"},
    ],
)
async def test_choose_day_refuses_unknown_or_unbookable_days(
    make_client: MakeClient, users: Users, clinic: Clinic, iso: Any
) -> None:
    iso = crafted(iso, clinic)
    client = await at_step_three(make_client, users, clinic)
    before = await values(client, BookingState)

    assert await client.call(BookingState, "choose_day", iso=iso) == []

    after = await values(client, BookingState)
    assert after.pop("error") == DAY_FULL
    before.pop("error")
    assert after == before  # day, slots, chosen slot and step untouched


@pytest.mark.parametrize(
    "start",
    [
        "<taken>",
        "<blocked>",
        "<free, another day>",
        "2020-01-01T03:30:00+00:00",
        "09:30 AM",
        "",
        None,
        0,
        ["<free>"],
        {"start": "<free>", "state": "free"},
    ],
)
async def test_choose_slot_refuses_taken_unknown_or_malformed_starts(
    make_client: MakeClient, users: Users, clinic: Clinic, start: Any
) -> None:
    start = crafted(start, clinic)
    client = make_client(users.patient, url=clinic.book_path)
    await client.call(BookingState, "load")
    await client.call(BookingState, "choose_day", iso=clinic.day.isoformat())
    before = await values(client, BookingState)

    assert await client.call(BookingState, "choose_slot", start=start) == []

    after = await values(client, BookingState)
    assert after.pop("error") == SLOT_GONE
    before.pop("error")
    assert after == before
    assert (after["step"], after["slot"]) == (2, "")


@pytest.mark.parametrize("step", [99, -1, 0, 3, "two", 1.5, None, [1]])
async def test_go_to_step_refuses_steps_not_yet_reached_or_not_integers(
    make_client: MakeClient, users: Users, clinic: Clinic, step: Any
) -> None:
    client = make_client(users.patient, url=clinic.book_path)
    await client.call(BookingState, "load")
    await client.call(BookingState, "choose_day", iso=clinic.day.isoformat())
    before = await values(client, BookingState)

    await client.call(BookingState, "go_to_step", step=step)

    after = await values(client, BookingState)
    assert after == before
    assert type(after["step"]) is int and after["step"] == 2
    # The real "back" button still works.
    await client.call(BookingState, "go_to_step", step=1)
    assert (await client.state(BookingState)).step == 1


async def test_confirm_before_a_slot_is_chosen_books_nothing(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    rows_before = db_rows(fresh_session)
    client = make_client(users.patient, url=clinic.book_path)
    form = {"reason": "Chest pain", "slot": clinic.start("09:30"), "start": clinic.start("09:30")}

    for setup in (None, "load", "choose_day"):
        if setup == "load":
            await client.call(BookingState, "load")
        elif setup == "choose_day":
            await client.call(BookingState, "choose_day", iso=clinic.day.isoformat())
        before = await values(client, BookingState)
        assert await client.call(BookingState, "confirm", form_data=form) == []
        assert await values(client, BookingState) == before
    assert db_rows(fresh_session) == rows_before


async def test_pay_before_load_or_with_a_crafted_form_charges_nothing(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    gateway: ScriptedGateway,
    fresh_session: FreshSession,
) -> None:
    rows_before = db_rows(fresh_session)
    client = make_client(users.patient, url=f"/pay/{clinic.a_pending.id}")

    assert await client.call(PaymentState, "pay", form_data={"upi_vpa": "asha@okicici"}) == []
    await client.call(PaymentState, "load")
    for form in ("upi_vpa=asha@okicici", None, ["asha@okicici"], {"upi_vpa": "not a vpa"}):
        assert await client.call(PaymentState, "pay", form_data=form) == []
        assert set((await client.state(PaymentState)).errors) == {"upi_vpa"}
    assert db_rows(fresh_session) == rows_before
    assert gateway.calls == []

    # Extra fields cannot change the amount or the payer.
    form = {
        "upi_vpa": "asha@okicici",
        "amount_paise": "1",
        "patient_id": str(users.other_patient.id),
    }
    await client.call(PaymentState, "pay", form_data=form)
    assert [amount for _, amount in gateway.charged] == [FEE]
    row = appointment(fresh_session, clinic.a_pending.id)
    assert (row.status, row.patient_id) == ("confirmed", users.patient.id)


@pytest.mark.parametrize("method", ["bitcoin", "", "UPI ", None, ["card"], {"m": "card"}, 1])
async def test_choose_method_refuses_unknown_methods(
    make_client: MakeClient, users: Users, clinic: Clinic, method: Any
) -> None:
    client = make_client(users.patient, url=f"/pay/{clinic.a_pending.id}")
    await client.call(PaymentState, "load")
    before = await values(client, PaymentState)

    await client.call(PaymentState, "choose_method", method=method)

    assert await values(client, PaymentState) == before
    await client.call(PaymentState, "choose_method", method="card")
    assert (await client.state(PaymentState)).method == "card"


@pytest.mark.parametrize(
    "tab", ["admin", "all", "", None, ["past"], {"tab": "past"}, 1, "Cancelled", ["cancelled"]]
)
async def test_switch_tab_refuses_unknown_tabs(
    make_client: MakeClient, users: Users, clinic: Clinic, tab: Any
) -> None:
    client = make_client(users.patient, url="/appointments")
    await client.call(AppointmentsState, "load")
    before = await values(client, AppointmentsState)
    assert [i["id"] for i in before["items"]] == [clinic.a_confirmed.id, clinic.a_pending.id]

    await client.call(AppointmentsState, "switch_tab", tab=tab)

    assert await values(client, AppointmentsState) == before


@pytest.mark.parametrize(
    "crafted", ["x" * 10_240, "", None, 12345, ["id"], {"id": "x"}, "../../admin"]
)
async def test_cancel_with_a_crafted_id_is_refused_without_effect(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    fresh_session: FreshSession,
    crafted: Any,
) -> None:
    rows_before = db_rows(fresh_session)
    client = make_client(users.patient, url="/appointments")
    await client.call(AppointmentsState, "load")
    before = await values(client, AppointmentsState)

    events = await client.call(AppointmentsState, "cancel", appointment_id=crafted)

    assert has_toast(events, NOT_FOUND)
    assert await values(client, AppointmentsState) == before
    assert db_rows(fresh_session) == rows_before
