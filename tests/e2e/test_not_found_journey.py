"""An address the app does not have: a real page with the menu and the ways on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, Journey


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_mistyped_address_shows_the_not_found_page_and_the_way_home(
    open_journey, viewport
) -> None:
    j: Journey = open_journey(viewport)
    page = j.page
    j.goto("/doctorz/cardiology")
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    expect(page.get_by_role("banner")).to_be_visible()  # the usual header and menu
    expect(page.get_by_role("link", name="HealthCarePlus home")).to_be_visible()
    expect(page).to_have_title(re.compile("Page not found"))
    j.shot("not found")
    page.get_by_role("link", name="Find a doctor").click()
    expect(page).to_have_url(re.compile(r"/doctors$"))
    j.goto("/no/such/page")
    page.get_by_role("link", name="Go to the home page").click()
    expect(page).to_have_url(re.compile(r"/$"))
