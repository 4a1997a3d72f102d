"""Admins sign in through their own portal; other roles are sent away from admin pages."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import Journey


def _login(j: Journey, path: str, email: str, password: str) -> None:
    j.goto(path)
    j.page.get_by_label("Email").fill(email)
    j.page.get_by_label("Password").fill(password)
    j.page.get_by_role("button", name="Log in").click()


def test_admin_signs_in_through_the_admin_portal(open_journey) -> None:
    j: Journey = open_journey()
    _login(j, "/login", "admin@healthcareplus.in", "Admin@12345")
    expect(j.page.get_by_role("alert")).to_contain_text("admin portal")
    j.shot("admin refused on patient login")

    _login(j, "/admin/login", "admin@healthcareplus.in", "Admin@12345")
    expect(j.page).to_have_url(re.compile(r"/admin$"))
    expect(j.page.get_by_test_id("stat-active_doctors")).to_have_text(re.compile(r"^1\d\d$"))
    expect(j.page.get_by_test_id("stat-cities")).to_have_text("6")
    j.shot("admin overview")


def test_patient_is_sent_away_from_admin_pages(open_journey) -> None:
    j: Journey = open_journey()
    j.goto("/admin")
    expect(j.page).to_have_url(re.compile(r"/admin/login\?next=%2Fadmin$"))
    j.shot("anonymous sent to admin login")

    _login(j, "/admin/login", "patient@healthcareplus.in", "Patient@123")
    expect(j.page.get_by_role("alert")).to_contain_text("administrators only")

    _login(j, "/login", "patient@healthcareplus.in", "Patient@123")
    expect(j.page.get_by_test_id("nav-user")).to_have_text("Aarav Sharma")
    j.goto("/admin")
    expect(j.page).to_have_url(re.compile(r"/$"))
    expect(j.page.get_by_test_id("stat-active_doctors")).to_have_count(0)
    j.shot("patient sent home from admin page")


def test_anonymous_profile_visit_asks_to_log_in_and_returns(open_journey) -> None:
    j: Journey = open_journey()
    j.goto("/profile")
    expect(j.page).to_have_url(re.compile(r"/login\?next=%2Fprofile$"))
    j.page.get_by_label("Email").fill("patient@healthcareplus.in")
    j.page.get_by_label("Password").fill("Patient@123")
    j.page.get_by_role("button", name="Log in").click()
    expect(j.page).to_have_url(re.compile(r"/profile$"))
    expect(j.page.get_by_label("Full name")).to_have_value("Aarav Sharma")
    j.shot("back on profile after login")
