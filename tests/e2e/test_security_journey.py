"""The running app under its security headers: every page works under its
Content-Security-Policy (no violation while a patient and an admin use it), and this
installation's admin code, not the once-published one, admits a new admin."""

from __future__ import annotations

import json
import re
import uuid

from playwright.sync_api import ConsoleMessage, expect

from tests.e2e.conftest import WORK, Journey, log_in

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@healthcareplus.in", "Admin@12345"
PASSWORD = "Str0ng!Pass"


def watch_csp(j: Journey) -> list[str]:
    """Every Content-Security-Policy violation the browser reports on this page, across
    navigations (the console keeps them; page state would not)."""
    seen: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            seen.append(f"{j.page.url}: {message.text}")

    j.page.on("console", keep)
    return seen


def test_pages_run_under_the_content_security_policy(open_journey, new_patient) -> None:
    j: Journey = open_journey()
    patient_violations = watch_csp(j)

    response = j.page.goto(j.base_url + "/")
    assert response is not None
    headers = response.headers
    assert "script-src 'self' 'unsafe-eval' 'sha256-" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    j.ready()

    j.goto("/login")
    j.page.get_by_label("Email").fill("nobody@example.in")
    j.page.get_by_label("Password").fill("Wrong!Pass1")
    j.page.get_by_role("button", name="Log in").click()
    expect(j.page.get_by_role("alert")).to_contain_text("Invalid email or password")

    log_in(j, new_patient())
    for path in ("/doctors", "/symptom-checker", "/doctor/1", "/book/1", "/appointments"):
        j.goto(path)
    j.goto("/profile")
    j.shot("patient pages under the policy")
    assert patient_violations == []

    admin = open_journey(name="csp-admin")
    admin_violations = watch_csp(admin)
    admin.goto("/admin/login")
    admin.page.get_by_label("Email").fill(ADMIN_EMAIL)
    admin.page.get_by_label("Password").fill(ADMIN_PASSWORD)
    admin.page.get_by_role("button", name="Log in").click()
    expect(admin.page).to_have_url(re.compile(r"/admin$"))
    for path in ("/admin", "/admin/timetable", "/admin/reports", "/account/security"):
        admin.goto(path)
    admin.shot("admin pages under the policy")
    assert admin_violations == []


def _register_admin(j: Journey, email: str, code: str) -> None:
    j.goto("/admin/register")
    page = j.page
    page.get_by_label("Full name").fill("Kavya Nair")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mobile number").fill("98450 33333")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_label("Admin code").fill(code)
    page.get_by_role("button", name="Create account").click()


def test_only_this_installations_admin_code_admits_an_admin(open_journey) -> None:
    j: Journey = open_journey()
    email = f"kavya.{uuid.uuid4().hex[:8]}@example.in"

    _register_admin(j, email, "HCP-ADMIN-DEV")  # the code earlier versions published
    expect(j.page.get_by_test_id("error-admin_code")).to_contain_text("not correct")
    j.shot("published code refused")

    code = json.loads((WORK / "instance" / "secrets.json").read_text())["admin_code"]
    _register_admin(j, email, code)
    expect(j.page).to_have_url(re.compile(r"/admin$"))
    expect(j.page.get_by_test_id("nav-user")).to_have_text("Kavya Nair")
    j.shot("admitted with this installation's code")
