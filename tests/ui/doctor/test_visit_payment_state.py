"""The doctor records a Pay-at-Clinic fee on the visit page: the button's flag follows the
rule, shows on the visit just completed, and a crafted call (another doctor's visit, a
malformed id, a fee that is not a pending clinic fee) changes nothing.

Dr. Dev Iyer (``users.doctor``) has a Pay-at-Clinic visit of patient A that started half
an hour ago and a visit paid by UPI; Dr. Rao (another doctor with his own login) has a
Pay-at-Clinic visit of patient A too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Appointment, AppointmentTally, AuditEvent, Payment, User
from healthcareplus.domain.payments.clinic_payment import NOT_AWAITING, NOT_CLINIC
from healthcareplus.domain.scheduling import tallies
from healthcareplus.ui.doctor.visit_state import DoctorVisitState
from healthcareplus.ui.patient.appointments_state import AppointmentDetailState
from tests.factories import create_appointment, create_doctor, link_doctor_user, settle_payment
from tests.ui.harness import Client, Users, has_toast, set_page, toasts

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))
NOT_FOUND = "Appointment not found."


@dataclass
class Desk:
    clinic_visit: str  # Dr. Iyer's, Pay at Clinic, started 30 minutes ago
    upi_visit: str  # Dr. Iyer's, paid by UPI, started an hour ago
    theirs: str  # Dr. Rao's, Pay at Clinic, started 30 minutes ago
    other_doctor: User  # Dr. Rao's login


@pytest.fixture
def desk(session: Session, users: Users) -> Desk:
    started = utcnow().replace(second=0, microsecond=0) - timedelta(minutes=30)
    doctor = create_doctor(session, name="Dr. Dev Iyer", schedule=EVERY_DAY, fee_paise=70_000)
    doctor.user_id = users.doctor.id
    session.add(doctor)
    other = create_doctor(session, name="Dr. Rao", schedule=EVERY_DAY)
    other_user = link_doctor_user(session, other)

    def visit(who: Any, start: Any, method: str, status: str = "Pending") -> str:
        made = create_appointment(
            session, doctor=who, patient=users.patient, start_at=start, minutes=30
        )
        settle_payment(session, made, method=method, status=status)
        return made.id

    made = Desk(
        clinic_visit=visit(doctor, started, "pay_at_clinic"),
        upi_visit=visit(doctor, started - timedelta(minutes=30), "upi", "Success"),
        theirs=visit(other, started, "pay_at_clinic"),
        other_doctor=other_user,
    )
    session.commit()
    return made


def db_rows(fresh_session: FreshSession) -> dict[str, list[dict[str, Any]]]:
    with fresh_session() as db:
        return {
            t.__name__: [r.model_dump() for r in db.exec(select(t).order_by(t.id)).all()]
            for t in (Appointment, Payment, AuditEvent, AppointmentTally)
        }


def stored(fresh_session: FreshSession, appointment_id: str) -> Appointment:
    with fresh_session() as db:
        found = db.get(Appointment, appointment_id)
        assert found is not None
        return found


async def open_visit(client: Client, appointment_id: str) -> Any:
    set_page(client.root, routes.doctor_visit_url(appointment_id))
    await client.call(DoctorVisitState, "load")
    return await client.state(DoctorVisitState)


async def test_complete_then_record_the_fee_on_the_same_page(
    make_client: MakeClient, users: Users, desk: Desk, fresh_session: FreshSession
) -> None:
    client = make_client(users.doctor)
    visit = await open_visit(client, desk.clinic_visit)
    assert (visit.visit["can_complete"], visit.visit["can_record_payment"]) == ("true", "true")

    await client.call(DoctorVisitState, "complete")
    assert (visit.visit["status"], visit.visit["can_record_payment"]) == ("completed", "true")

    events = await client.call(DoctorVisitState, "record_payment")

    row = stored(fresh_session, desk.clinic_visit)
    assert (row.status, row.payment_status) == ("completed", "Success")
    assert has_toast(events, f"Payment recorded: ₹700 paid at the clinic ({row.transaction_id}).")
    assert (visit.visit["payment_status"], visit.visit["can_record_payment"]) == (
        "Success",
        "false",
    )
    with fresh_session() as db:
        assert tallies.check(db).ok
        event = db.exec(select(AuditEvent).where(AuditEvent.action == "marked_paid")).one()
        assert (event.actor_user_id, event.actor_role) == (users.doctor.id, "doctor")

    # Once more (a double tap, a second tab): refused, nothing changes.
    rows_before = db_rows(fresh_session)
    events = await client.call(DoctorVisitState, "record_payment")
    assert has_toast(events, NOT_AWAITING)
    assert db_rows(fresh_session) == rows_before

    # The patient reads it as paid.
    patient = make_client(users.patient, url=f"/appointments/{desk.clinic_visit}")
    await patient.call(AppointmentDetailState, "load")
    assert (await patient.state(AppointmentDetailState)).item["payment_label"] == "Paid"


async def test_a_fee_paid_online_offers_nothing_and_a_crafted_call_is_refused(
    make_client: MakeClient, users: Users, desk: Desk, fresh_session: FreshSession
) -> None:
    rows_before = db_rows(fresh_session)
    client = make_client(users.doctor)
    visit = await open_visit(client, desk.upi_visit)
    assert visit.visit["can_record_payment"] == "false"
    events = await client.call(DoctorVisitState, "record_payment")
    assert has_toast(events, NOT_CLINIC)
    assert db_rows(fresh_session) == rows_before


@pytest.mark.parametrize(
    "crafted", ["theirs", "x" * 300, "", "'; DROP TABLE appointments; --", "../admin"]
)
async def test_another_doctors_visit_or_a_crafted_id_changes_nothing(
    make_client: MakeClient, users: Users, desk: Desk, fresh_session: FreshSession, crafted: str
) -> None:
    rows_before = db_rows(fresh_session)
    client = make_client(users.doctor)
    visit = await open_visit(client, desk.clinic_visit)
    visit.visit = {"appointment_id": desk.theirs if crafted == "theirs" else crafted}

    events = await client.call(DoctorVisitState, "record_payment")

    assert has_toast(events, NOT_FOUND)
    assert (visit.not_found, visit.visit, visit.patient) == (True, {}, {})
    assert db_rows(fresh_session) == rows_before


async def test_the_other_doctor_cannot_record_this_doctors_fee(
    make_client: MakeClient, users: Users, desk: Desk, fresh_session: FreshSession
) -> None:
    rows_before = db_rows(fresh_session)
    rao = make_client(desk.other_doctor)
    visit = await open_visit(rao, desk.clinic_visit)
    assert (visit.not_found, visit.visit) == (True, {})
    visit.visit = {"appointment_id": desk.clinic_visit, "can_record_payment": "true"}  # crafted

    events = await rao.call(DoctorVisitState, "record_payment")

    assert has_toast(events, NOT_FOUND)
    assert not any("Payment recorded" in js for js in toasts(events))
    assert stored(fresh_session, desk.clinic_visit).payment_status == "Pending"
    assert db_rows(fresh_session) == rows_before
    # His own visit is his to record.
    own = await open_visit(rao, desk.theirs)
    assert own.visit["can_record_payment"] == "true"
