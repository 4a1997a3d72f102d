"""A patient who forgot their password: "Forgot password?" on the sign-in page, the
emailed link (sent by the job worker to a real SMTP server), a new password, and signing
in with it; the old password and the used link no longer work."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PATIENT_PASSWORD, PHONE, Inbox, Journey, log_in

NEW_PASSWORD = "N3w!Passw0rd"


def reset_link(inbox: Inbox, address: str) -> str:
    message = inbox.wait_for(address, "Reset your HealthCarePlus password")
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"Choose a new password: (https?://\S+)", text)
    assert match, text
    url = urlsplit(match.group(1))
    return f"{url.path}?{url.query}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_patient_resets_a_forgotten_password(
    open_journey, new_patient, smtp_inbox: Inbox, viewport: dict[str, int]
) -> None:
    email = new_patient("Kavya Shetty")
    j: Journey = open_journey(viewport)
    page = j.page

    j.goto("/login")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    page.get_by_label("Email").fill("kavya@clinic")  # the browser lets it through
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_test_id("error-email")).to_contain_text("valid email address")
    page.get_by_label("Email").fill(email.upper())
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_test_id("reset-link-sent")).to_contain_text("we have emailed it a link")
    j.shot("reset link requested")

    link = reset_link(smtp_inbox, email)
    j.goto(link)
    expect(page.get_by_test_id("link-holder")).to_have_text("Kavya Shetty")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_test_id("password-set")).to_be_visible()
    j.shot("new password set")

    j.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PATIENT_PASSWORD)  # the forgotten one
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Invalid email or password")
    log_in(j, email, NEW_PASSWORD)
    expect(page.get_by_test_id("nav-user")).to_have_text("Kavya Shetty")
    j.shot("signed in with the new password")

    j.goto(link)
    expect(page.get_by_test_id("link-unusable")).to_contain_text("already been used")
