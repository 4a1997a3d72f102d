"""Booking with the keyboard only: sign in, pick a slot chip on a search result, give the
reason, pay at the clinic and cancel, at phone and desktop sizes. Every control is reached
with Tab (so it is in the tab order), shows where the focus is, and is worked with Enter
or Space; the cancel dialog keeps the focus inside it and gives it back when it closes.

Like the two-tap journey it takes the last chip of a card (the latest of its times), well
past the minimum notice whatever the hour.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import DESKTOP, PATIENT_PASSWORD, PHONE, Journey
from tests.e2e.test_accessibility_journey import violations

MAX_TABS = 120

# The focus ring of the focused element, or of the field wrapper that draws it for an
# input (Radix draws a text field's ring on its root, through :focus-within).
FOCUS_RING = """el => {
  for (let node = el, depth = 0; node && depth < 3; node = node.parentElement, depth++) {
    const style = getComputedStyle(node);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    if (outline || style.boxShadow !== "none") return true;
  }
  return false;
}"""


def is_focused(target: Locator) -> bool:
    return bool(target.evaluate("el => el === document.activeElement"))


def tab_to(page: Page, target: Locator, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until ``target`` has the focus; it must show a focus ring."""
    expect(target).to_be_visible()
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        if is_focused(target):
            break
        page.keyboard.press(key)
    else:
        raise AssertionError(f"{target} is not reached with {key}")
    assert target.evaluate(FOCUS_RING), f"{target} has the focus but shows no focus ring"


def type_into(page: Page, field: Locator, text: str) -> None:
    tab_to(page, field)
    page.keyboard.type(text)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_book_and_cancel_with_the_keyboard_only(open_journey, new_patient, viewport) -> None:
    j: Journey = open_journey(viewport)
    page = j.page
    email = new_patient()

    j.goto("/login")
    type_into(page, page.get_by_label("Email"), email)
    type_into(page, page.get_by_label("Password"), PATIENT_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/login"))

    j.goto("/doctors")
    card = page.get_by_test_id("doctor-card").filter(has=page.get_by_test_id("slot-chip")).first
    chip = card.get_by_test_id("slot-chip").last
    tab_to(page, chip)
    j.shot("a slot chip focused")
    time = re.search(r"at (\d\d:\d\d [AP]M)$", chip.get_attribute("aria-label") or "")
    assert time, chip.get_attribute("aria-label")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/book/\d+\?start="))
    expect(page.get_by_text(f"{time[1]} (India time)", exact=True)).to_be_visible()

    type_into(page, page.get_by_label("Reason for visit"), "Headache for three days")
    tab_to(page, page.get_by_role("button", name="Confirm and pay"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/pay/[0-9a-f-]{36}$"))

    tab_to(page, page.get_by_role("button", name="Pay at Clinic"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Confirm booking"))
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("confirmed-banner")).to_be_visible()
    j.shot("confirmed by keyboard")

    j.goto("/appointments")
    cancel = page.get_by_test_id("appointment-card").first.get_by_role(
        "button", name="Cancel appointment"
    )
    tab_to(page, cancel)
    page.keyboard.press("Enter")
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    # The focus moved into the dialog and stays there however far the user tabs.
    expect(dialog.locator(":focus")).to_have_count(1)
    for key in ("Tab",) * 6 + ("Shift+Tab",) * 6:
        page.keyboard.press(key)
        expect(dialog.locator(":focus")).to_have_count(1)
    j.shot("cancel dialog holds the focus")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(cancel).to_be_focused()  # given back to the button that opened it

    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    tab_to(page, dialog.get_by_role("button", name="Yes, cancel"))
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    toast = page.locator("[data-sonner-toast]")
    expect(toast).to_have_css("opacity", "1")  # faded in: its colours are its own
    assert violations(page) == []  # the page with its toast
    # Tabs are one stop in the tab order; the arrow keys move between them.
    tab_to(page, page.get_by_role("tab", name="Upcoming"), backwards=True)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Cancelled")).to_have_attribute("aria-selected", "true")
    gone = page.get_by_test_id("appointment-card").first
    expect(gone.get_by_test_id("time-status")).to_have_text("Cancelled")
    j.shot("cancelled by keyboard")
