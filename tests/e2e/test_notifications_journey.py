"""A patient books and pays: the job worker emails the confirmation (a real SMTP server in
the test process receives it, with a calendar invitation) and the bell shows it; the
patient cancels: the cancellation arrives with the invitation withdrawn."""

from __future__ import annotations

import re
from email.message import Message

from icalendar import Calendar
from playwright.sync_api import expect
from sqlmodel import Session, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.models import Appointment, Notification
from healthcareplus.domain.notifications.delivery import InAppSender, Sender, deliver_due
from healthcareplus.domain.notifications.smtp import SmtpSender
from tests.e2e.conftest import Inbox, Journey, log_in
from tests.e2e.test_booking_journey import choose_slot, confirm_booking, pay_with_upi


def senders_from_settings_for(inbox: Inbox) -> dict[str, Sender]:
    """The senders the worker has: in the app, and email to the test's SMTP server."""
    return {
        "in_app": InAppSender(),
        "email": SmtpSender(f"smtp://127.0.0.1:{inbox.port}", "care@healthcareplus.in"),
    }


def invitation(message: Message) -> Calendar:
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Calendar.from_ical(payload)


def bodies(message: Message) -> dict[str, str]:
    found = {}
    for part in message.walk():
        if part.get_content_type() in ("text/plain", "text/html"):
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found[part.get_content_type()] = payload.decode(part.get_content_charset() or "utf-8")
    return found


def test_confirmation_and_cancellation_arrive_by_email_and_in_the_bell(
    open_journey, new_patient, smtp_inbox: Inbox, e2e_db_url: str
) -> None:
    j: Journey = open_journey()
    email = new_patient("Nisha Kapoor")
    log_in(j, email)
    choose_slot(j, 4)
    confirm_booking(j.page, "Migraine")
    expect(j.page).to_have_url(re.compile(r"/pay/[0-9a-f-]{36}$"))
    appointment_id = j.page.url.rsplit("/", 1)[-1]
    pay_with_upi(j.page, "nisha@okhdfc")
    expect(j.page.get_by_test_id("confirmed-banner")).to_be_visible()

    confirmed = smtp_inbox.wait_for(email, "Appointment confirmed")
    text = bodies(confirmed)
    assert "₹" in text["text/plain"] and "HCP-" in text["text/plain"]
    assert "<html" in text["text/html"].lower()
    request = invitation(confirmed)
    assert request["METHOD"] == "REQUEST"
    (event,) = request.walk("VEVENT")
    uid = str(event["UID"])

    expect(j.page.get_by_test_id("nav-bell-count")).to_have_text(re.compile(r"^[1-9]"))
    j.page.get_by_test_id("nav-bell").click()
    expect(j.page).to_have_url(re.compile(r"/notifications$"))
    expect(j.page.get_by_text(re.compile("^Appointment confirmed")).first).to_be_visible()
    j.shot("confirmation in the bell")

    j.goto("/appointments")
    card = j.page.get_by_test_id("appointment-card").first
    card.get_by_role("button", name="Cancel appointment").click()
    j.page.get_by_role("button", name="Yes, cancel").click()
    j.page.get_by_role("tab", name="Cancelled").click()
    expect(j.page.get_by_test_id("appointment-card").first).to_contain_text("Cancelled")

    cancelled = smtp_inbox.wait_for(email, "Appointment cancelled")
    assert "refunded" in bodies(cancelled)["text/plain"]
    withdrawn = invitation(cancelled)
    assert withdrawn["METHOD"] == "CANCEL"
    (event,) = withdrawn.walk("VEVENT")
    assert str(event["UID"]) == uid
    j.shot("cancellation emailed")

    # The worker's sweep (every 30 s) passes the refund to the gateway; once it has
    # acknowledged it, the patient is told the refund was processed.
    processed = smtp_inbox.wait_for(email, "Refund processed", timeout_s=90)
    assert "to your UPI ID nisha@okhdfc" in bodies(processed)["text/plain"]

    # Even when their time comes, the visit's reminders are never sent: delivering as at
    # the visit's start (with the worker's own senders) skips every one of them.
    with Session(get_engine(e2e_db_url)) as db:
        start = db.get(Appointment, appointment_id).start_at  # type: ignore[union-attr]
    deliver_due(now=start, senders=senders_from_settings_for(smtp_inbox), url=e2e_db_url)
    with Session(get_engine(e2e_db_url)) as db:
        statuses = db.exec(
            select(Notification.status).where(
                Notification.appointment_id == appointment_id, Notification.event == "reminder"
            )
        ).all()
    assert statuses and set(statuses) == {"skipped"}
    assert [m["Subject"] for m in smtp_inbox.to(email)] == [
        confirmed["Subject"],
        cancelled["Subject"],
        processed["Subject"],
    ]
