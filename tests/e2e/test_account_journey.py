"""A new patient registers, logs out, logs back in and edits the medical profile."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import Journey

PASSWORD = "Str0ng!Pass"


def test_register_logout_login_and_edit_profile(open_journey) -> None:
    j: Journey = open_journey()
    page = j.page
    email = f"meera.{uuid.uuid4().hex[:8]}@example.in"

    j.goto("/register")
    j.shot("register form")
    page.get_by_label("Full name").fill("Meera Iyer")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mobile number").fill("98450 11111")
    page.get_by_label("Password", exact=True).fill("weak")
    page.get_by_label("Confirm password").fill("weak")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("error-password")).to_contain_text("at least 8 characters")
    j.shot("weak password refused")

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_test_id("nav-user")).to_have_text("Meera Iyer")
    j.shot("registered and signed in")

    page.get_by_test_id("nav-logout").click()
    expect(page.get_by_test_id("nav-login")).to_be_visible()
    j.shot("logged out")

    j.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("Wrong!Pass1")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Invalid email or password")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("nav-user")).to_have_text("Meera Iyer")
    j.shot("logged in again")

    j.goto("/profile")
    page.get_by_label("Date of birth").fill("1990-04-12")
    page.get_by_label("Blood group").select_option("B+")
    page.get_by_label("Allergies").fill("<b>Penicillin</b>")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    j.page.reload()
    j.ready()
    expect(page.get_by_label("Allergies")).to_have_value("<b>Penicillin</b>")
    expect(page.get_by_label("Blood group")).to_have_value("B+")
    j.shot("profile saved")

    page.get_by_role("link", name="Account security").click()
    expect(page).to_have_url(re.compile(r"/account/security$"))
    expect(page.get_by_role("heading", name="Your devices")).to_be_visible()
    j.shot("account security from the profile")
