"""A patient's browser fails to sign in until it must wait; an admin finds the account on
the sign-in locks page and clears the lock; the patient signs in at once."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlmodel import Session, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.models import LoginAttempt
from tests.e2e.conftest import PATIENT_PASSWORD, Journey, now

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@healthcareplus.in", "Admin@12345"
LOCKED = "Too many failed sign-in attempts. Try again in"


def _sign_in(j: Journey, email: str, password: str) -> None:
    j.page.get_by_label("Email").fill(email)
    j.page.get_by_label("Password").fill(password)
    j.page.get_by_role("button", name="Log in").click()


def _stretch_the_lock(db_url: str, email: str) -> None:
    """Five more failures of the same browser (the key the server recorded for it), as if
    it had kept trying after each wait: its 30-second wait becomes the 15-minute cap, so a
    slow machine cannot outlast it before the admin clears it."""
    with Session(get_engine(db_url)) as db:
        keys = set(db.exec(select(LoginAttempt.client_key).where(LoginAttempt.email == email)))
        assert len(keys) == 1, keys
        key = keys.pop()
        db.add_all(
            LoginAttempt(email=email, client_key=key, succeeded=False, attempted_at=now())
            for _ in range(5)
        )
        db.commit()


def test_admin_clears_a_patients_sign_in_lock(open_journey, new_patient, e2e_db_url) -> None:
    email = new_patient("Kavya Nair")
    patient: Journey = open_journey(name="sign-in-locks-patient")
    alert = patient.page.get_by_role("alert")
    for _ in range(5):
        patient.goto("/login")  # a fresh form each time, so each failure shows anew
        expect(alert).to_have_count(0)
        _sign_in(patient, email, "Wrong!Pass1")
        expect(alert).to_contain_text("Invalid email or password")
    # Even the right password is refused while the browser must wait.
    patient.page.get_by_label("Password").fill(PATIENT_PASSWORD)
    patient.page.get_by_role("button", name="Log in").click()
    expect(alert).to_contain_text(LOCKED)
    patient.shot("locked out after five failures")
    _stretch_the_lock(e2e_db_url, email)

    admin: Journey = open_journey(name="sign-in-locks-admin")
    page = admin.page
    admin.goto("/admin/login")
    _sign_in(admin, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin$"))
    page.get_by_test_id("admin-nav-sign-in-locks").click()
    expect(page).to_have_url(re.compile(r"/admin/sign-in-locks$"))
    row = page.get_by_test_id("lock-row").filter(has_text=email)
    expect(row.get_by_test_id("lock-failures")).to_have_text("10")
    expect(row.get_by_test_id("lock-until")).to_have_text(re.compile(r" · \d\d:\d\d [AP]M$"))
    admin.shot("the patient's lock listed")

    row.get_by_role("button", name="Clear lock").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text(email)
    dialog.get_by_role("button", name="Clear lock").click()
    expect(page.get_by_text(f"Sign-in lock cleared: {email} can sign in again.")).to_be_visible()
    expect(page.get_by_test_id("lock-row").filter(has_text=email)).to_have_count(0)
    admin.shot("lock cleared")

    patient.page.get_by_role("button", name="Log in").click()  # the right password, again
    expect(patient.page.get_by_test_id("nav-user")).to_have_text("Kavya Nair")
    patient.shot("signed in after the lock was cleared")
