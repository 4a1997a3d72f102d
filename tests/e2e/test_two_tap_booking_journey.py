"""Booking in two taps: a slot chip on a search result opens the wizard with that slot
chosen; the patient adds the reason and confirms: the payment page. At phone and desktop
sizes, the date-and-time screen kept within the page's width and usable by keyboard.
Signed out, a profile's slot chip goes through sign-in and comes back to that slot.

The chips offer the earliest free slots, which may start within the hour: the journeys
take the last chip of a card (the latest of its times), well past the minimum notice
whatever the hour.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import DESKTOP, PATIENT_PASSWORD, PHONE, Chosen, Journey, log_in
from tests.e2e.test_booking_journey import confirm_booking, on_payment_page

CHIP_NAME = re.compile(r"^Book (?P<doctor>.+), (?P<day>.+) at (?P<time>\d\d:\d\d [AP]M)$")


def no_sideways_scroll(page: Page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"the page scrolls sideways by {wide}px"


def tap_chip(chip: Locator) -> str:
    """Tap a slot chip; returns the time it names ("09:30 AM")."""
    found = CHIP_NAME.match(chip.get_attribute("aria-label") or "")
    assert found, chip.get_attribute("aria-label")
    chip.click()
    return found["time"]


def slot_chosen(page: Page, time: str) -> Chosen:
    """The wizard opened on the summary with ``time`` chosen; what it chose."""
    expect(page).to_have_url(re.compile(r"/book/\d+\?start=\d{4}-\d\d-\d\dT"))
    expect(page.get_by_text(f"{time} (India time)", exact=True)).to_be_visible()
    expect(page.get_by_label("Reason for visit")).to_be_visible()
    expect(page.get_by_test_id("date-strip")).to_have_count(0)  # the summary, not the strip
    date_row = page.get_by_text(re.compile(r"^\w{3}, \d\d \w{3} \d{4}$")).first
    return Chosen(date_row.inner_text(), time)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_from_a_search_result_to_the_payment_page_in_two_taps(
    open_journey, new_patient, viewport
) -> None:
    j: Journey = open_journey(viewport)
    page = j.page
    log_in(j, new_patient())
    j.goto("/doctors")
    card = page.get_by_test_id("doctor-card").filter(has=page.get_by_test_id("slot-chip")).first
    chips = card.get_by_test_id("slot-chip")
    expect(chips.first).to_be_visible()
    expect(card.get_by_test_id("card-next-slots")).to_contain_text("Next available")
    no_sideways_scroll(page)
    j.shot("search results with next slots")

    time = tap_chip(chips.last)  # tap 1
    chosen = slot_chosen(page, time)
    no_sideways_scroll(page)
    j.shot("wizard with the slot chosen")

    # The date-and-time screen holds the same choice, and works from the keyboard.
    page.get_by_role("button", name="Change date or time").click()
    strip = page.get_by_test_id("date-strip")
    expect(strip.locator("[aria-pressed=true]")).to_have_attribute(
        "aria-label", re.compile(rf"^{re.escape(chosen.day)}: \d+ free")
    )
    expect(strip.locator("[aria-pressed=true]")).to_be_in_viewport()  # scrolled to, on a phone
    expect(page.get_by_role("heading", name=chosen.day, exact=True)).to_be_visible()
    slot = page.get_by_role("button", name=f"{chosen.day} at {chosen.time}", exact=True)
    expect(slot).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("period").first).to_be_visible()
    no_sideways_scroll(page)
    j.shot("date and time on one screen")
    slot.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"{chosen.time} (India time)", exact=True)).to_be_visible()

    confirm_booking(page, "Fever and a sore throat")  # tap 2, with the reason
    on_payment_page(page, chosen)
    no_sideways_scroll(page)
    j.shot("payment page")


def test_signed_out_a_profile_chip_signs_in_and_comes_back_to_the_slot(
    open_journey, new_patient
) -> None:
    email = new_patient()
    j: Journey = open_journey(DESKTOP)
    page = j.page
    j.goto("/doctor/8")
    chips = page.get_by_test_id("next-slots").get_by_test_id("slot-chip")
    expect(chips.first).to_be_visible()
    j.shot("profile with next slots")

    time = tap_chip(chips.last)
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fbook%2F8%3Fstart%3D"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PATIENT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    chosen = slot_chosen(page, time)
    j.shot("back at the slot after signing in")

    confirm_booking(page, "Back pain")
    on_payment_page(page, chosen)
    j.shot("payment page")
