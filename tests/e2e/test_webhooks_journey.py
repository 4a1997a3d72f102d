"""An admin registers a webhook endpoint (a real HTTP receiver in the test process) and
copies its secret; a patient books and pays; the job worker POSTs a signed
``appointment.confirmed`` that verifies with that secret, and the admin sees the
delivery answered 200."""

from __future__ import annotations

import json
import re
import time

from playwright.sync_api import expect
from sqlalchemy import update
from sqlmodel import Session

from healthcareplus.core.db import get_engine
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import WebhookEndpoint
from healthcareplus.domain.notifications.webhook_signing import verify_signature
from tests.e2e.conftest import TIMEOUT_MS, Journey, log_in
from tests.e2e.test_admin_actions_journey import admin_login
from tests.e2e.test_booking_journey import choose_slot, confirm_booking, pay_with_upi
from tests.webhook_receiver import Received, Receiver, running_receiver


def confirmed_for(receiver: Receiver, appointment_id: str) -> Received:
    """The receiver's ``appointment.confirmed`` about the appointment, waiting for it."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        with receiver.lock:
            got = list(receiver.requests)
        for request in got:
            if request.headers.get("HCP-Event") == "appointment.confirmed" and (
                appointment_id.encode() in request.body
            ):
                return request
        time.sleep(0.3)
    raise AssertionError(f"no appointment.confirmed for {appointment_id}")


def test_a_signed_event_reaches_the_clinics_system(
    open_journey, new_patient, e2e_db_url: str
) -> None:
    with running_receiver() as receiver:
        admin: Journey = open_journey(name="admin")
        admin_login(admin)
        admin.goto("/admin/webhooks")
        admin.page.get_by_label("Address (https://)").fill(receiver.url)
        admin.page.get_by_label("Description").fill("Hospital information system")
        admin.page.get_by_role("checkbox", name="appointment.confirmed").click()
        admin.page.get_by_role("button", name="Add endpoint").click()
        secret_box = admin.page.get_by_test_id("webhook-secret")
        expect(secret_box).to_have_value(re.compile(r"^whsec_"))
        secret = secret_box.input_value()
        row = admin.page.get_by_test_id("webhook-row").filter(has_text=receiver.url)
        expect(row).to_contain_text("on")
        admin.shot("endpoint added")
        try:
            patient: Journey = open_journey()
            log_in(patient, new_patient("Farah Khan"))
            choose_slot(patient, 4)
            confirm_booking(patient.page, "Follow-up")
            expect(patient.page).to_have_url(re.compile(r"/pay/[0-9a-f-]{36}$"))
            appointment_id = patient.page.url.rsplit("/", 1)[-1]
            pay_with_upi(patient.page, "farah@okaxis")
            expect(patient.page.get_by_test_id("confirmed-banner")).to_be_visible()

            delivered = confirmed_for(receiver, appointment_id)
            assert verify_signature(
                secret, delivered.headers.get("HCP-Signature"), delivered.body, now=utcnow()
            )
            assert not verify_signature(
                secret, delivered.headers.get("HCP-Signature"), delivered.body + b" ", now=utcnow()
            )
            event = json.loads(delivered.body)
            assert event["type"] == "appointment.confirmed"
            assert event["id"] == delivered.headers.get("HCP-Delivery")
            assert event["data"]["appointment"]["id"] == appointment_id
            assert "Farah" not in delivered.body.decode()  # no patient names leave the clinic

            row.get_by_role("button", name="Deliveries").click()
            attempt = admin.page.get_by_test_id("webhook-attempt-row").first
            expect(attempt).to_contain_text("appointment.confirmed")
            expect(attempt).to_contain_text("200")
            admin.shot("the delivery answered 200")
        finally:
            # Later journeys book too: nothing more for a receiver that is going away.
            with Session(get_engine(e2e_db_url)) as db:
                db.exec(
                    update(WebhookEndpoint)
                    .where(WebhookEndpoint.url == receiver.url)  # type: ignore[arg-type]
                    .values(is_active=False, disabled_at=utcnow())
                )
                db.commit()
