"""A patient books, pays (UPI; card declined then retried; Pay at Clinic), reschedules and
cancels; two browsers race for one slot; the booking journey also passes at phone size."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, PHONE, Journey, log_in


def choose_slot(j: Journey, doctor_id: int, slot_index: int = 0) -> str:
    """Open the wizard, pick the first bookable date and a free time; returns the time."""
    j.goto(f"/book/{doctor_id}")
    page = j.page
    page.get_by_test_id("day").and_(page.locator(":enabled")).first.click()
    free = page.locator("[data-testid=slot][data-state=free]")
    expect(free.first).to_be_visible()
    j.shot("pick a time")
    slot = free.nth(slot_index)
    label = slot.inner_text().strip()
    slot.click()
    return label


def confirm_booking(page: Page, reason: str = "Chest pain while climbing stairs") -> None:
    page.get_by_label("Reason for visit").fill(reason)
    page.get_by_role("button", name="Confirm and pay").click()


def pay_with_upi(page: Page, vpa: str) -> None:
    page.get_by_role("button", name="UPI", exact=True).click()
    page.get_by_label("UPI ID").fill(vpa)
    page.get_by_role("button", name=re.compile(r"^Pay ₹")).click()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_book_and_pay_by_upi(open_journey, new_patient, viewport) -> None:
    j: Journey = open_journey(viewport)
    log_in(j, new_patient())
    j.goto("/doctor/3")
    j.page.get_by_test_id("book-button").click()
    expect(j.page).to_have_url(re.compile(r"/book/3$"))
    time_label = choose_slot(j, 3)
    confirm_booking(j.page)
    expect(j.page).to_have_url(re.compile(r"/pay/[0-9a-f-]{36}$"))
    expect(j.page.get_by_test_id("hold-countdown")).to_have_text(re.compile(r"^(09|10):\d\d$"))
    j.shot("payment page")
    pay_with_upi(j.page, "riya@okicici")
    expect(j.page.get_by_test_id("confirmed-banner")).to_be_visible()
    expect(j.page.get_by_test_id("payment-summary")).to_contain_text(re.compile(r"HCP-\d{8}-"))
    j.shot("confirmed")
    with j.page.expect_download() as download:
        j.page.get_by_role("button", name="Add to calendar").click()
    assert download.value.suggested_filename.endswith(".ics")
    assert "BEGIN:VEVENT" in Path(download.value.path()).read_text()

    j.goto("/appointments")
    card = j.page.get_by_test_id("appointment-card").first
    expect(card).to_contain_text(time_label)
    expect(card).to_contain_text("UPI")
    expect(card.get_by_test_id("time-status")).to_have_text("Upcoming")
    j.shot("my appointments")


def test_card_declined_then_paid_on_retry(open_journey, new_patient) -> None:
    j: Journey = open_journey()
    log_in(j, new_patient())
    choose_slot(j, 4)
    confirm_booking(j.page, "Follow-up on blood pressure")
    page = j.page
    page.get_by_role("button", name="Card", exact=True).click()
    page.get_by_label("Card number").fill("4000 0000 0000 0002")
    page.get_by_label("Expiry (MM/YY)").fill("12/30")
    page.get_by_label("CVV").fill("123")
    page.get_by_label("Name on card").fill("Riya Menon")
    page.get_by_role("button", name=re.compile(r"^Pay ₹")).click()
    expect(page.get_by_test_id("payment-failure")).to_contain_text("declined")
    j.shot("card declined")

    page.get_by_label("Card number").fill("4111 1111 1111 1111")
    page.get_by_role("button", name=re.compile(r"^Try again: pay ₹")).click()
    expect(page.get_by_test_id("confirmed-banner")).to_be_visible()
    expect(page.get_by_test_id("payment-summary")).to_contain_text("Card")
    j.shot("paid on retry")


def test_pay_at_clinic_then_reschedule_then_cancel(open_journey, new_patient) -> None:
    j: Journey = open_journey()
    log_in(j, new_patient())
    choose_slot(j, 5)
    confirm_booking(j.page, "Knee pain after running")
    page = j.page
    page.get_by_role("button", name="Pay at Clinic").click()
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_test_id("confirmed-banner")).to_be_visible()
    expect(page.get_by_test_id("payment-summary")).to_contain_text("Pending")
    j.shot("pay at clinic confirmed")

    page.get_by_role("link", name="Reschedule").click()
    expect(page).to_have_url(re.compile(r"/reschedule/"))
    page.get_by_test_id("day").and_(page.locator(":enabled")).first.click()
    new_slot = page.locator("[data-testid=slot][data-state=free]").nth(2)
    new_label = new_slot.inner_text().strip()
    new_slot.click()
    page.get_by_role("button", name="Confirm new time").click()
    expect(page).to_have_url(re.compile(r"/appointments/[0-9a-f-]{36}$"))
    expect(page.get_by_text(new_label).first).to_be_visible()
    j.shot("rescheduled")

    page.get_by_role("button", name="Cancel appointment").click()
    page.get_by_role("button", name="Yes, cancel").click()
    expect(page.get_by_test_id("time-status")).to_have_text("Cancelled")
    j.shot("cancelled")


def test_cancel_paid_appointment_shows_refund(open_journey, new_patient) -> None:
    j: Journey = open_journey()
    log_in(j, new_patient())
    choose_slot(j, 6)
    confirm_booking(j.page, "Skin rash")
    pay_with_upi(j.page, "riya@oksbi")
    expect(j.page.get_by_test_id("confirmed-banner")).to_be_visible()
    j.goto("/appointments")
    card = j.page.get_by_test_id("appointment-card").first
    card.get_by_role("button", name="Cancel appointment").click()
    expect(j.page.get_by_role("alertdialog")).to_contain_text("will be refunded")
    j.page.get_by_role("button", name="Yes, cancel").click()
    j.page.get_by_role("tab", name="Past").click()
    past = j.page.get_by_test_id("appointment-card").first
    expect(past.get_by_test_id("time-status")).to_have_text("Cancelled")
    expect(past.get_by_test_id("payment-summary")).to_contain_text("Refunded")
    j.shot("refunded")


def test_two_browsers_race_for_one_slot(open_journey, new_patient) -> None:
    journeys = [open_journey(name=f"race-{i}") for i in range(2)]
    for j in journeys:
        log_in(j, new_patient())
        choose_slot(j, 7)
        j.page.get_by_label("Reason for visit").fill("Headache for three days")
    for j in journeys:
        j.page.get_by_role("button", name="Confirm and pay").click()
    outcomes = []
    for j in journeys:
        winner = re.compile(r"/pay/[0-9a-f-]{36}$")
        loser = j.page.get_by_role("alert").filter(has_text="just booked by someone else")
        expect(loser.or_(j.page.get_by_test_id("hold-countdown"))).to_be_visible()
        outcomes.append("won" if winner.search(j.page.url) else "lost")
        j.shot(outcomes[-1])
    assert sorted(outcomes) == ["lost", "won"]
    lost = journeys[outcomes.index("lost")]
    expect(lost.page.locator("[data-testid=slot]").first).to_be_visible()
