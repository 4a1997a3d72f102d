"""A patient books, pays (UPI; card declined then retried; Pay at Clinic), reschedules and
cancels; two browsers race for one slot; the booking journey also passes at phone size.

Every booking is on a day at least two days ahead (``choose_slot``), so the same free
slots exist at 09:00, at 17:10 and at 23:50 clinic time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    Chosen,
    Journey,
    choose_day,
    choose_slot,
    choose_time,
    log_in,
)

__all__ = ["choose_slot", "confirm_booking", "pay_with_upi"]  # shared with other journeys


def confirm_booking(page: Page, reason: str = "Chest pain while climbing stairs") -> None:
    page.get_by_label("Reason for visit").fill(reason)
    page.get_by_role("button", name="Confirm and pay").click()


def on_payment_page(page: Page, chosen: Chosen) -> None:
    """The held booking's payment page, loaded: the countdown runs from the full hold and
    its first paint is the time left; the refund terms are spelt out; no toast covers it."""
    expect(page).to_have_url(re.compile(r"/pay/[0-9a-f-]{36}$"))
    countdown = page.get_by_test_id("hold-countdown")
    expect(countdown).to_have_text(re.compile(r"^(09|10):\d\d$"))
    assert countdown.evaluate("el => el.textContent") != "--:--"
    expect(page.get_by_text(f"{chosen.day} at {chosen.time}", exact=True)).to_be_visible()
    terms = page.get_by_test_id("refund-terms")
    expect(terms).to_contain_text(f"until your visit at {chosen.time}")
    expect(page.locator("[data-sonner-toast]")).to_have_count(0)


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
    chosen = choose_slot(j, 3)
    confirm_booking(j.page)
    on_payment_page(j.page, chosen)
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
    expect(card).to_contain_text(chosen.when)
    expect(card).to_contain_text("UPI")
    expect(card.get_by_test_id("time-status")).to_have_text("Upcoming")
    j.shot("my appointments")


def test_card_declined_then_paid_on_retry(open_journey, new_patient) -> None:
    j: Journey = open_journey()
    log_in(j, new_patient())
    chosen = choose_slot(j, 4)
    confirm_booking(j.page, "Follow-up on blood pressure")
    page = j.page
    on_payment_page(page, chosen)
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
    booked = choose_slot(j, 5)
    confirm_booking(j.page, "Knee pain after running")
    page = j.page
    on_payment_page(page, booked)
    page.get_by_role("button", name="Pay at Clinic").click()
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_test_id("confirmed-banner")).to_be_visible()
    expect(page.get_by_test_id("payment-summary")).to_contain_text("Pay at the clinic")
    j.shot("pay at clinic confirmed")

    page.get_by_role("link", name="Reschedule").click()
    expect(page).to_have_url(re.compile(r"/reschedule/"))
    expect(page.get_by_role("heading", name=re.compile(r"^Reschedule with "))).to_be_visible()
    # Another day (so the move shows in the date too), with a third free time on it.
    day = choose_day(page, min_free=3, avoid=(booked.day,))
    moved: Chosen = choose_time(page, day, 2)
    page.get_by_role("button", name="Confirm new time").click()
    expect(page).to_have_url(re.compile(r"/appointments/[0-9a-f-]{36}$"))
    expect(page.get_by_text(moved.when).first).to_be_visible()
    expect(page.get_by_text(booked.when)).to_have_count(0)
    j.shot("rescheduled")

    page.get_by_role("button", name="Cancel appointment").click()
    page.get_by_role("button", name="Yes, cancel").click()
    expect(page.get_by_test_id("time-status")).to_have_text("Cancelled")
    expect(page.get_by_test_id("payment-summary")).to_contain_text("Not charged")
    j.shot("cancelled")


def test_cancel_paid_appointment_shows_refund(open_journey, new_patient) -> None:
    j: Journey = open_journey()
    log_in(j, new_patient())
    chosen = choose_slot(j, 6)
    confirm_booking(j.page, "Skin rash")
    on_payment_page(j.page, chosen)
    pay_with_upi(j.page, "riya@oksbi")
    expect(j.page.get_by_test_id("confirmed-banner")).to_be_visible()
    j.goto("/appointments")
    card = j.page.get_by_test_id("appointment-card").first
    card.get_by_role("button", name="Cancel appointment").click()
    expect(j.page.get_by_role("alertdialog")).to_contain_text("will be refunded")
    j.page.get_by_role("button", name="Yes, cancel").click()
    j.page.get_by_role("tab", name="Cancelled").click()
    gone = j.page.get_by_test_id("appointment-card").first
    expect(gone.get_by_test_id("time-status")).to_have_text("Cancelled")
    expect(gone.get_by_test_id("payment-summary")).to_contain_text("Refunded")
    j.shot("refunded")


def test_two_browsers_race_for_one_slot(open_journey, new_patient) -> None:
    journeys = [open_journey(name=f"race-{i}") for i in range(2)]
    wanted: Chosen | None = None
    for j in journeys:
        log_in(j, new_patient())
        # Both browsers hold the very same day and time on the confirm step.
        chosen = choose_slot(j, 7, same_as=wanted)
        wanted = wanted or chosen
        assert chosen == wanted
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
    taken = lost.page.locator("[data-testid=slot][data-state=taken]")
    expect(taken.filter(has_text=wanted.time)).to_have_count(1)
