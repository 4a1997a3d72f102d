"""A patient signed in on two browsers manages them from Account security: sees both,
signs the other one out, then signs out everywhere; and a password change signs the other
browser out while this one stays signed in."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PATIENT_PASSWORD, Journey, log_in

NEW_PASSWORD = "Changed#Pass2026"
SIGN_IN_AGAIN = re.compile(r"/login\?next=%2Faccount%2Fsecurity$")


def open_security(j: Journey) -> None:
    """Reach the page the way a person would: the link in the navigation bar."""
    j.page.get_by_test_id("nav-security").click()
    expect(j.page).to_have_url(re.compile(r"/account/security$"))
    expect(j.page.get_by_role("heading", name="Your devices")).to_be_visible()


def signed_out(j: Journey) -> None:
    """After a reload the browser shows no one signed in, and the page asks for a sign-in."""
    j.page.reload()
    j.ready()
    expect(j.page.get_by_test_id("nav-login")).to_be_visible()
    j.goto("/account/security")
    expect(j.page).to_have_url(SIGN_IN_AGAIN)


def devices(page: Page):  # noqa: ANN201 (a Locator)
    return page.get_by_test_id("device-row")


def test_two_browsers_then_sign_out_one_then_everywhere(open_journey, new_patient) -> None:
    email = new_patient("Riya Menon")
    laptop: Journey = open_journey(name="security-laptop")
    phone: Journey = open_journey(name="security-phone")
    log_in(phone, email)
    log_in(laptop, email)
    open_security(laptop)
    page = laptop.page

    expect(devices(page)).to_have_count(2)
    this_one = devices(page).filter(has=page.get_by_test_id("this-device"))
    expect(this_one).to_have_count(1)
    expect(this_one.get_by_test_id("sign-out-device")).to_have_count(0)
    expect(this_one).to_contain_text("Chrome on Linux")
    expect(this_one).to_contain_text("Signed in")
    laptop.shot("two devices")

    other = devices(page).filter(has_not=page.get_by_test_id("this-device"))
    other.get_by_test_id("sign-out-device").click()
    expect(page.get_by_text("has been signed out.")).to_be_visible()
    expect(devices(page)).to_have_count(1)
    expect(devices(page).get_by_test_id("this-device")).to_be_visible()
    laptop.shot("the other device signed out")
    signed_out(phone)
    phone.shot("the phone must sign in again")

    page.get_by_test_id("sign-out-everywhere").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Every device, this one included")
    confirm.get_by_role("button", name="Sign out everywhere").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("You have been signed out on every device.")).to_be_visible()
    expect(page.get_by_test_id("nav-login")).to_be_visible()
    laptop.shot("signed out everywhere")
    laptop.goto("/account/security")
    expect(page).to_have_url(SIGN_IN_AGAIN)


def test_a_password_change_signs_out_the_other_browser(open_journey, new_patient) -> None:
    email = new_patient("Kabir Shah")
    here: Journey = open_journey(name="password-here")
    there: Journey = open_journey(name="password-there")
    log_in(there, email)
    log_in(here, email)
    open_security(here)
    page = here.page
    expect(devices(page)).to_have_count(2)

    page.get_by_label("Current password").fill(PATIENT_PASSWORD)
    page.get_by_label("New password", exact=True).fill("weak")
    page.get_by_label("Confirm new password").fill("weak")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_test_id("error-new_password")).to_contain_text("at least 8 characters")
    here.shot("weak password refused")

    page.get_by_label("Current password").fill(PATIENT_PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(
        page.get_by_text("Password changed. Every other device has been signed out.")
    ).to_be_visible()
    expect(devices(page)).to_have_count(1)
    expect(page.get_by_test_id("error-new_password")).to_have_count(0)
    here.shot("password changed")

    # This browser stays signed in (on a fresh session) across a reload ...
    page.reload()
    here.ready()
    expect(page.get_by_test_id("nav-user")).to_have_text("Kabir Shah")
    expect(devices(page)).to_have_count(1)
    # ... the other one is signed out, and only the new password signs in.
    signed_out(there)
    there.page.get_by_label("Email").fill(email)
    there.page.get_by_label("Password").fill(PATIENT_PASSWORD)
    there.page.get_by_role("button", name="Log in").click()
    expect(there.page.get_by_role("alert")).to_contain_text("Invalid email or password")
    there.page.get_by_label("Password").fill(NEW_PASSWORD)
    there.page.get_by_role("button", name="Log in").click()
    expect(there.page).to_have_url(re.compile(r"/account/security$"))
    expect(devices(there.page)).to_have_count(2)
    there.shot("signed in with the new password")
