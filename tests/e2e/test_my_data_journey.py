"""A patient downloads a copy of their data, then erases their account: signed out, and
the old password no longer signs in."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PATIENT_PASSWORD, PHONE, Journey, log_in


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_patient_downloads_their_data_then_erases_the_account(
    open_journey, new_patient, viewport: dict[str, int]
) -> None:
    email = new_patient("Leela Menon")
    j: Journey = open_journey(viewport)
    page = j.page
    log_in(j, email)
    j.goto("/profile")
    page.get_by_role("link", name="Your data").click()
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()

    with page.expect_download() as copy:
        page.get_by_role("button", name="Download my data").click()
    assert copy.value.suggested_filename.endswith(".json")
    data = json.loads(copy.value.path().read_text())
    assert data["account"]["email"] == email and data["account"]["name"] == "Leela Menon"
    j.shot("data downloaded")

    page.get_by_label("Your password").fill(PATIENT_PASSWORD)
    page.get_by_role("button", name="Erase my account").click()
    page.get_by_role("button", name="Erase it").click()
    expect(page.get_by_test_id("error-confirm")).to_be_visible()  # the box was not ticked
    page.get_by_role("checkbox", name="I understand that this cannot be undone.").click()
    page.get_by_role("button", name="Erase my account").click()
    page.get_by_role("button", name="Erase it").click()
    expect(page).to_have_url(re.compile(r"/$"))
    j.shot("account erased")
    j.goto("/appointments")  # signed out: a private page asks for a sign-in
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fappointments$"))

    j.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PATIENT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Invalid email or password")
