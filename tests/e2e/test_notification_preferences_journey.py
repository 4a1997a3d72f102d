"""A patient chooses how they are told: news by SMS too, no reminders by email. The
choice survives a reload, and the next booking's news follows it: the worker hands the
SMS to the development text provider (recorded, not claimed as sent), no reminder is
queued for email, and the admin's messages page shows the SMS as recorded."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.models import Notification, User
from tests.e2e.conftest import TIMEOUT_MS, Journey, log_in
from tests.e2e.test_admin_actions_journey import admin_login
from tests.e2e.test_booking_journey import choose_slot, confirm_booking, pay_with_upi


def tick(page: Page, name: str) -> object:
    return page.get_by_role("checkbox", name=name, exact=True)


def wait_for_status(db_url: str, email: str, channel: str, status: str) -> Notification:
    """The patient's confirmation on ``channel`` once the worker has given it ``status``."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        with Session(get_engine(db_url)) as db:
            user = db.exec(select(User).where(User.email == email)).one()
            row = db.exec(
                select(Notification).where(
                    Notification.user_id == user.id,
                    Notification.channel == channel,
                    Notification.event == "payment_succeeded",
                )
            ).first()
            if row is not None and row.status == status:
                return row
        time.sleep(0.3)
    raise AssertionError(f"no {channel} confirmation {status} for {email}")


def test_choices_are_kept_and_followed(open_journey, new_patient, e2e_db_url: str) -> None:
    j: Journey = open_journey()
    email = new_patient("Kiran Shetty")
    log_in(j, email)
    j.goto("/profile")
    card = j.page.get_by_role("form", name="Notifications")
    expect(card).to_be_visible()
    expect(j.page.get_by_test_id("texts-recorded-note")).to_be_visible()
    news_by_sms = tick(j.page, "Confirmations and changes by SMS")
    reminders_by_email = tick(j.page, "Reminders by email")
    expect(reminders_by_email).to_be_checked()
    expect(news_by_sms).not_to_be_checked()
    news_by_sms.check()
    reminders_by_email.uncheck()
    card.get_by_role("button", name="Save notification choices").click()
    expect(card.get_by_role("status")).to_have_text("Your notification choices have been saved.")

    j.page.reload()
    expect(tick(j.page, "Confirmations and changes by SMS")).to_be_checked()
    expect(tick(j.page, "Reminders by email")).not_to_be_checked()
    expect(tick(j.page, "Reminders in the app")).to_be_checked()
    j.shot("choices kept")

    choose_slot(j, 4)
    confirm_booking(j.page, "Back pain")
    expect(j.page).to_have_url(re.compile(r"/pay/[0-9a-f-]{36}$"))
    pay_with_upi(j.page, "kiran@okicici")
    expect(j.page.get_by_test_id("confirmed-banner")).to_be_visible()

    sms = wait_for_status(e2e_db_url, email, "sms", "recorded")
    assert sms.body.startswith("HealthCarePlus: Appointment confirmed")
    assert sms.to_address.startswith("+91")
    with Session(get_engine(e2e_db_url)) as db:
        reminders = db.exec(
            select(Notification.channel).where(
                Notification.appointment_id == sms.appointment_id,
                Notification.event == "reminder",
            )
        ).all()
    assert reminders and "email" not in reminders

    admin = open_journey(name="admin")
    admin_login(admin)
    admin.goto("/admin/messages?status=recorded&channel=sms")
    row = admin.page.get_by_test_id("message-row").filter(has_text="Kiran Shetty")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"<{sms.to_address}>")
    expect(row).to_contain_text("recorded")
    admin.shot("the SMS recorded, not sent")
