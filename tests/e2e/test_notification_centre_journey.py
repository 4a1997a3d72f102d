"""A patient's notification centre: the bell counts unread messages (and new ones, live,
without a reload), the centre lists them, marking one or all read updates the bell at
once, and a message's Open link leads into the app."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.models import Notification, User
from tests.e2e.conftest import Journey, log_in, now

CONFIRMED, MOVED, CANCELLED = (
    "Appointment confirmed",
    "Appointment rescheduled",
    "Appointment cancelled",
)


def notify(db_url: str, email: str, subject: str, link: str = "/appointments") -> None:
    """An in-app message to the user, straight into the app's database (as the outbox
    writes it: sent at once)."""
    at = now()
    with Session(get_engine(db_url)) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        session.add(
            Notification(
                key=f"e2e:{uuid.uuid4().hex}",
                event="appointment_confirmed",
                user_id=user.id or 0,
                channel="in_app",
                subject=subject,
                body=f"{subject}: Dr. Kavya Menon, Apollo Hospitals.",
                link=link,
                status="sent",
                created_at=at,
                due_at=at,
                sent_at=at,
            )
        )
        session.commit()


def bell_shows(page: Page, unread: int) -> None:
    """The bell's badge and accessible name (no badge at all at 0)."""
    count = page.get_by_test_id("nav-bell-count")
    if unread:
        expect(count).to_have_text(str(unread))
        expect(page.get_by_role("link", name=f"Notifications, {unread} unread")).to_be_visible()
    else:
        expect(count).to_have_count(0)
        expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()


def test_bell_and_centre(open_journey, new_patient, e2e_db_url: str) -> None:
    email = new_patient("Meera Pillai")
    notify(e2e_db_url, email, CONFIRMED)
    notify(e2e_db_url, email, MOVED)
    j: Journey = open_journey(name="notification-centre")
    page = j.page
    log_in(j, email)
    j.ready()
    bell_shows(page, 2)
    j.shot("the bell counts two")

    page.get_by_test_id("nav-bell").click()
    expect(page).to_have_url(re.compile(r"/notifications$"))
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    rows = page.get_by_test_id("notification")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(MOVED)  # newest first
    j.mark_page()

    page.get_by_role("button", name=f"Mark read: {MOVED}").click()
    bell_shows(page, 1)
    expect(rows.filter(has_text=MOVED)).to_have_attribute("data-read", "true")
    expect(page.get_by_role("button", name=f"Mark read: {MOVED}")).to_have_count(0)
    j.shot("one marked read")

    # News arriving while the page is open reaches the bell by itself.
    notify(e2e_db_url, email, CANCELLED)
    bell_shows(page, 2)
    j.assert_not_reloaded()
    j.shot("a new message counted live")

    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_text("Marked 2 notifications read.")).to_be_visible()
    bell_shows(page, 0)
    expect(rows).to_have_count(3)
    expect(page.get_by_role("button", name=re.compile(r"^Mark read"))).to_have_count(0)
    expect(page.get_by_role("button", name="Mark all read")).to_be_disabled()
    j.assert_not_reloaded()
    j.shot("all read")

    page.get_by_role("link", name=f"Open: {CONFIRMED}").click()
    expect(page).to_have_url(re.compile(r"/appointments$"))
    expect(page.get_by_role("heading", name="My appointments")).to_be_visible()
    bell_shows(page, 0)
    j.shot("followed the link")


def test_opening_an_unread_message_marks_it_read(
    open_journey, new_patient, e2e_db_url: str
) -> None:
    email = new_patient("Arjun Das")
    notify(e2e_db_url, email, CONFIRMED, link="/account/security")
    j: Journey = open_journey(name="notification-open")
    page = j.page
    log_in(j, email)
    j.goto("/notifications")
    bell_shows(page, 1)

    page.get_by_role("link", name=f"Open: {CONFIRMED}").click()
    expect(page).to_have_url(re.compile(r"/account/security$"))
    bell_shows(page, 0)
    j.goto("/notifications")
    expect(page.get_by_test_id("notification")).to_have_attribute("data-read", "true")
    j.shot("opened and read")


def test_no_bell_for_visitors(open_journey) -> None:
    j: Journey = open_journey(name="notification-visitor")
    j.goto("/doctors")
    expect(j.page.get_by_test_id("nav-login")).to_be_visible()
    expect(j.page.get_by_test_id("nav-bell")).to_have_count(0)
    expect(j.page.locator("[data-live-tick]")).to_have_count(0)
    j.goto("/notifications")
    expect(j.page).to_have_url(re.compile(r"/login\?next=%2Fnotifications$"))
