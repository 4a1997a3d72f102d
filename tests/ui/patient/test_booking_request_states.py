"""A booking with a doctor who confirms bookings himself, as the patient's tabs see it:
the wizard ends on the appointment (not the payment page) with a "request sent" toast,
the appointment and My appointments say it waits for the doctor and offer no Pay button,
and the payment page shows the waiting message instead of its form."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment
from healthcareplus.domain.booking import requests
from healthcareplus.domain.payments.checkout import AWAITING_DOCTOR
from healthcareplus.ui.patient.appointments_state import AppointmentDetailState, AppointmentsState
from healthcareplus.ui.patient.booking_state import BookingState
from healthcareplus.ui.patient.payment_state import PaymentState
from tests.factories import create_doctor, link_doctor_user, local
from tests.ui.harness import Client, Users, redirects, set_page, toasts

MakeClient = Callable[..., Client]
EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))


async def test_a_request_waits_for_the_doctor_on_every_page(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    doctor = create_doctor(session, name="Dr. Kavya Menon", schedule=EVERY_DAY)
    doctor.confirms_bookings = True
    session.add(doctor)
    session.commit()
    doctor_user = link_doctor_user(session, doctor)
    day = clinic_today(utcnow()) + timedelta(days=2)
    client = make_client(users.patient, url=f"/book/{doctor.id}")
    await client.call(BookingState, "load")
    await client.call(BookingState, "choose_day", iso=day.isoformat())
    await client.call(BookingState, "choose_slot", start=local(day, "09:30").isoformat())

    events = await client.call(BookingState, "confirm", form_data={"reason": "Chest pain"})

    made = session.exec(select(Appointment).where(Appointment.doctor_id == doctor.id)).one()
    assert made.awaiting_doctor is True
    assert redirects(events) == [routes.appointment_url(made.id)]
    assert any(json.dumps("Request sent to Dr. Kavya Menon.")[:-1] in js for js in toasts(events))

    set_page(client.root, routes.appointment_url(made.id))
    await client.call(AppointmentDetailState, "load")
    item = (await client.state(AppointmentDetailState)).item
    assert (item["awaiting_doctor"], item["can_pay"]) == ("true", "false")
    assert item["answer_by"] and item["payment_label"] == "Waiting for the doctor"

    set_page(client.root, routes.APPOINTMENTS)
    await client.call(AppointmentsState, "load")
    listed = (await client.state(AppointmentsState)).items
    assert [(r["id"], r["awaiting_doctor"], r["can_pay"]) for r in listed] == [
        (made.id, "true", "false")
    ]

    set_page(client.root, f"/pay/{made.id}")
    assert await client.call(PaymentState, "load") == []  # stays: the page says it waits
    pay = await client.state(PaymentState)
    assert pay.appointment["awaiting_doctor"] == "true"
    await client.call(PaymentState, "choose_method", method="pay_at_clinic")
    await client.call(PaymentState, "pay", form_data={})
    assert pay.failure == AWAITING_DOCTOR
    session.expire_all()
    assert session.get(Appointment, made.id).awaiting_doctor is True  # type: ignore[union-attr]

    # Accepted, it is paid as usual.
    requests.accept_request(session, actor_id=doctor_user.id, appointment_id=made.id, now=utcnow())
    session.commit()
    assert await client.call(PaymentState, "load") == []
    assert (pay.appointment["awaiting_doctor"], pay.appointment["can_pay"]) == ("false", "true")
