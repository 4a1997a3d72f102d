"""The front desk's states: register a walk-in and find them, book for them through the
booking wizard, confirm with a counter payment and print the receipt, cancel; wrong
callers and crafted arguments change nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, Doctor, Hospital, Payment, User
from healthcareplus.ui.desk.patient_state import DeskPatientState
from healthcareplus.ui.desk.patients_state import DeskPatientsState
from healthcareplus.ui.desk.receipt_state import DeskReceiptState
from healthcareplus.ui.patient.booking_state import BookingState
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from tests.factories import create_desk_user, create_doctor, create_hospital, local
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))
HANDLERS: dict[type, dict[str, dict[str, Any]]] = {
    DeskPatientsState: {
        "load": {},
        "search": {"form_data": {"q": "Ramesh"}},
        "register": {"form_data": {"name": "Ramesh Kumar", "phone": "9845012345"}},
    },
    DeskPatientState: {
        "load": {},
        "choose_hospital": {"hospital_id": "1"},
        "book": {"form_data": {"doctor_id": "1"}},
        "confirm": {"form_data": {"appointment_id": "x", "payment": "cash"}},
        "take_payment": {"form_data": {"appointment_id": "x", "payment": "cash"}},
        "open_cancel": {"appointment_id": "x"},
        "close_cancel": {"is_open": False},
        "cancel": {"form_data": {"reason": "x"}},
        "invite": {"form_data": {"email": "a@example.in"}},
    },
    DeskReceiptState: {"load": {}},
}
CASES = [(cls, name) for cls, names in HANDLERS.items() for name in names]
CRAFTED = [None, 7, "", "x" * 5000, ["a"], {"a": 1}, {"appointment_id": ["x"], "payment": 3}]


@dataclass
class Desk:
    hospital: Hospital
    doctor: Doctor
    far_doctor: Doctor  # at a hospital this desk does not serve
    user: User


@pytest.fixture
def desk(session: Session) -> Desk:
    hospital = create_hospital(session, name="Sunrise Clinic")
    far = create_hospital(session, name="Lakeside Hospital")
    doctor = create_doctor(session, hospital=hospital, name="Dr. Meera Pillai", schedule=EVERY_DAY)
    far_doctor = create_doctor(session, hospital=far, schedule=EVERY_DAY)
    user = create_desk_user(session, hospitals=[hospital], name="Farah Desk")
    return Desk(hospital, doctor, far_doctor, user)


def url_of(cls: type) -> str:
    return {
        DeskPatientsState: routes.DESK,
        DeskPatientState: routes.desk_patient_url(1),
        DeskReceiptState: routes.desk_receipt_url("x"),
    }[cls]


async def values(client: Client, cls: type) -> dict[str, Any]:
    state = await client.state(cls)
    return copy.deepcopy({n: state.get_value(n) for n in cls.base_vars})


def table_sizes(session: Session) -> tuple[int, int, int]:
    session.expire_all()
    return (
        len(session.exec(select(User)).all()),
        len(session.exec(select(Appointment)).all()),
        len(session.exec(select(Payment)).all()),
    )


@pytest.mark.parametrize("who", [None, "patient", "doctor"])
@pytest.mark.parametrize(("cls", "name"), CASES, ids=[f"{c.__name__}.{n}" for c, n in CASES])
async def test_wrong_callers_are_sent_away(
    make_client: MakeClient,
    users: Users,
    desk: Desk,
    session: Session,
    cls: type,
    name: str,
    who: str | None,
) -> None:
    client = make_client(getattr(users, who) if who else None, url=url_of(cls))
    before, sizes = await values(client, cls), table_sizes(session)
    events = await client.call(cls, name, **HANDLERS[cls][name])
    (target,) = redirects(events)
    assert target == HOME_FOR_ROLE[who] if who else target.startswith(routes.LOGIN)
    assert await values(client, cls) == before
    assert table_sizes(session) == sizes


@pytest.mark.parametrize("crafted", CRAFTED, ids=range(len(CRAFTED)))
@pytest.mark.parametrize(("cls", "name"), CASES, ids=[f"{c.__name__}.{n}" for c, n in CASES])
async def test_crafted_arguments_never_raise(
    make_client: MakeClient, desk: Desk, session: Session, cls: type, name: str, crafted: object
) -> None:
    client = make_client(desk.user, url=url_of(cls))
    sizes = table_sizes(session)
    arguments = {key: crafted for key in HANDLERS[cls][name]}
    await client.call(cls, name, **arguments)
    if not (cls is DeskPatientsState and name == "register"):
        assert table_sizes(session) == sizes


async def _register(make_client: MakeClient, desk: Desk) -> tuple[Client, int]:
    client = make_client(desk.user, url=routes.DESK)
    await client.call(DeskPatientsState, "load")
    form = {"name": "Ramesh Kumar", "phone": "98450 12345", "email": "", "date_of_birth": ""}
    events = await client.call(DeskPatientsState, "register", form_data=form)
    assert has_toast(events, "Patient registered.")
    (target,) = redirects(events)
    return client, int(target.rsplit("/", 1)[-1])


async def test_walk_in_is_registered_found_booked_paid_and_receipted(
    make_client: MakeClient, desk: Desk, session: Session
) -> None:
    client, patient_id = await _register(make_client, desk)
    await client.call(DeskPatientsState, "search", form_data={"q": "9845012345"})
    found = (await client.state(DeskPatientsState)).matches
    assert [(m["id"], m["can_sign_in"]) for m in found] == [(str(patient_id), "false")]

    page = make_client(desk.user, url=routes.desk_patient_url(patient_id))
    await page.call(DeskPatientState, "load")
    state = await page.state(DeskPatientState)
    assert state.patient["name"] == "Ramesh Kumar" and state.visits == []
    assert [d["id"] for d in state.doctors] == [str(desk.doctor.id)]
    events = await page.call(DeskPatientState, "book", form_data={"doctor_id": str(desk.doctor.id)})
    assert redirects(events) == [f"{routes.book_url(desk.doctor.id)}?for={patient_id}"]

    # The same wizard, for the patient: the slot is held, then the desk confirms it.
    wizard = make_client(desk.user, url=f"{routes.book_url(desk.doctor.id)}?for={patient_id}")
    await wizard.call(BookingState, "load")
    booking = await wizard.state(BookingState)
    assert booking.booked_for == "Ramesh Kumar" and not booking.not_found
    day = clinic_today(utcnow()) + timedelta(days=2)
    start = local(day, "10:00").isoformat()
    await wizard.call(BookingState, "choose_day", iso=day.isoformat())
    await wizard.call(BookingState, "choose_slot", start=start)
    events = await wizard.call(BookingState, "confirm", form_data={"reason": "Fever"})
    assert redirects(events) == [routes.desk_patient_url(patient_id)]
    held = session.exec(select(Appointment).where(Appointment.patient_id == patient_id)).one()
    assert (held.status, held.awaiting_doctor) == ("pending_payment", False)

    await page.call(DeskPatientState, "load")
    (row,) = (await page.state(DeskPatientState)).visits
    assert row["can_confirm"] == "true"
    events = await page.call(
        DeskPatientState, "confirm", form_data={"appointment_id": held.id, "payment": "upi"}
    )
    assert has_toast(events, "Visit confirmed. Fee received: the receipt is ready.")
    (row,) = (await page.state(DeskPatientState)).visits
    assert (row["payment"], row["has_receipt"]) == ("Paid · UPI", "true")

    slip = make_client(desk.user, url=routes.desk_receipt_url(held.id))
    await slip.call(DeskReceiptState, "load")
    receipt = (await slip.state(DeskReceiptState)).receipt
    assert (receipt["method"], receipt["patient"], receipt["amount"]) == (
        "UPI",
        "Ramesh Kumar",
        held and receipt["amount"],
    )
    assert receipt["number"].startswith("HCP-")


async def test_cancel_needs_a_listed_visit_and_a_reason(
    make_client: MakeClient, desk: Desk, session: Session
) -> None:
    client, patient_id = await _register(make_client, desk)
    page = make_client(desk.user, url=routes.desk_patient_url(patient_id))
    await page.call(DeskPatientState, "load")
    await page.call(DeskPatientState, "open_cancel", appointment_id="not-listed")
    assert (await page.state(DeskPatientState)).cancelling == ""
    events = await page.call(DeskPatientState, "cancel", form_data={"reason": "x"})
    assert has_toast(events, "That visit is not in the list. Refresh the page.")


async def test_desk_cannot_book_at_another_hospital_through_the_wizard(
    make_client: MakeClient, desk: Desk, session: Session
) -> None:
    _, patient_id = await _register(make_client, desk)
    url = f"{routes.book_url(desk.far_doctor.id)}?for={patient_id}"
    wizard = make_client(desk.user, url=url)
    await wizard.call(BookingState, "load")
    state = await wizard.state(BookingState)
    day = clinic_today(utcnow()) + timedelta(days=2)
    state.day, state.slot = day.isoformat(), local(day, "10:00").isoformat()
    state.doctor, state.step = {"id": str(desk.far_doctor.id)}, 3
    events = await wizard.call(BookingState, "confirm", form_data={"reason": "Fever"})
    assert redirects(events) == []
    assert (
        session.exec(select(Appointment).where(col(Appointment.patient_id) == patient_id)).all()
        == []
    )


async def test_a_patient_cannot_book_for_someone_else_with_for(
    make_client: MakeClient, users: Users, desk: Desk, session: Session
) -> None:
    url = f"{routes.book_url(desk.doctor.id)}?for={users.other_patient.id}"
    wizard = make_client(users.patient, url=url)
    await wizard.call(BookingState, "load")
    assert (await wizard.state(BookingState)).booked_for == ""
    day = clinic_today(utcnow()) + timedelta(days=2)
    await wizard.call(BookingState, "choose_day", iso=day.isoformat())
    await wizard.call(BookingState, "choose_slot", start=local(day, "10:00").isoformat())
    await wizard.call(BookingState, "confirm", form_data={"reason": "Fever"})
    made = session.exec(select(Appointment)).one()
    assert made.patient_id == users.patient.id


async def test_doctor_moves_his_patients_visit_through_the_wizard(
    make_client: MakeClient, users: Users, desk: Desk, session: Session
) -> None:
    from tests.factories import create_appointment, link_doctor_user

    doctor_user = link_doctor_user(session, desk.doctor)
    day = clinic_today(utcnow()) + timedelta(days=3)
    visit = create_appointment(
        session, doctor=desk.doctor, patient=users.patient, start_at=local(day, "10:00")
    )
    wizard = make_client(doctor_user, url=routes.reschedule_url(visit.id))
    await wizard.call(BookingState, "load")
    assert (await wizard.state(BookingState)).mode == "reschedule"
    await wizard.call(BookingState, "choose_day", iso=day.isoformat())
    await wizard.call(BookingState, "choose_slot", start=local(day, "11:00").isoformat())
    events = await wizard.call(BookingState, "confirm", form_data={"reason": ""})
    assert redirects(events) == [routes.doctor_visit_url(visit.id)]
    session.expire_all()
    moved = session.get(Appointment, visit.id)
    assert moved is not None and moved.start_at == local(day, "11:00")
    # Another doctor's patient's visit cannot be opened.
    other = make_client(users.doctor, url=routes.reschedule_url(visit.id))
    await other.call(BookingState, "load")
    assert (await other.state(BookingState)).not_found
