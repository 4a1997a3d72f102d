"""An admin creates a front-desk user tied to one hospital and sees the one-time password
once, then signs out; the new user signs in at /login with it, must choose their own
password first, and lands on the front desk; the admin deactivates them and their open
session is refused at its next page load. And the admin sorts the doctors list by name,
descending, with the column heading (desktop) or the sort menu (phone, headings hidden).

Every account made here is removed again when the test ends (other journeys count the
seeded accounts).
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, col, delete, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.models import (
    AuditEvent,
    City,
    Hospital,
    Notification,
    PasswordLink,
    StaffHospital,
    User,
    UserSession,
)
from healthcareplus.core.validation import check_password_strength
from tests.e2e.conftest import DESKTOP, PHONE, Journey

ADMIN = ("admin@healthcareplus.in", "Admin@12345")
OWN_PASSWORD = "Desk!Own2026"
SIZES = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]


@pytest.fixture
def made_emails(e2e_db_url: str) -> Iterator[list[str]]:
    emails: list[str] = []
    yield emails
    with Session(get_engine(e2e_db_url)) as s:
        ids = s.exec(select(User.id).where(col(User.email).in_(emails))).all()
        s.exec(delete(UserSession).where(col(UserSession.user_id).in_(ids)))
        s.exec(delete(StaffHospital).where(col(StaffHospital.user_id).in_(ids)))
        s.exec(delete(PasswordLink).where(col(PasswordLink.user_id).in_(ids)))
        s.exec(delete(Notification).where(col(Notification.user_id).in_(ids)))
        s.exec(delete(AuditEvent).where(col(AuditEvent.actor_user_id).in_(ids)))
        s.exec(delete(User).where(col(User.id).in_(ids)))
        s.commit()


def letters(n: int = 6) -> str:
    return "".join(random.choices(string.ascii_lowercase, k=n)).capitalize()


def first_hospital(e2e_db_url: str) -> tuple[str, str]:
    """(name, city) of the first seeded hospital."""
    with Session(get_engine(e2e_db_url)) as s:
        hospital, city = s.exec(
            select(Hospital.name, City.name)
            .join(City, col(City.id) == Hospital.city_id)
            .order_by(col(Hospital.id))
        ).first()
    return hospital, city


def admin_log_in(j: Journey) -> None:
    j.goto("/admin/login")
    j.page.get_by_label("Email").fill(ADMIN[0])
    j.page.get_by_label("Password").fill(ADMIN[1])
    j.page.get_by_role("button", name="Log in").click()
    expect(j.page).to_have_url(re.compile(r"/admin$"))


def sign_out(j: Journey, phone: bool) -> None:
    """With the navigation bar's Log out (in the menu on a phone)."""
    if phone:
        j.page.get_by_role("button", name="Open menu").click()
        j.page.get_by_role("dialog").get_by_test_id("nav-logout").click()
    else:
        j.page.get_by_test_id("nav-logout").click()
    expect(j.page.get_by_text("You have been signed out.")).to_be_visible()


@pytest.mark.parametrize("viewport", SIZES)
def test_admin_creates_a_front_desk_user_who_signs_in_and_is_then_deactivated(
    open_journey, e2e_db_url: str, made_emails: list[str], viewport: dict[str, int]
) -> None:
    phone = viewport == PHONE
    hospital, city = first_hospital(e2e_db_url)
    j: Journey = open_journey(viewport, name=f"front-desk-admin-{'phone' if phone else 'desktop'}")
    page = j.page
    admin_log_in(j)
    page.get_by_test_id("admin-nav-front-desk").click()
    expect(page).to_have_url(re.compile(r"/admin/front-desk$"))
    expect(page.get_by_role("heading", name="New front-desk user")).to_be_visible()
    j.shot("front desk staff")

    surname = letters()
    name, email = f"Lata {surname}", f"desk.{surname.lower()}@example.in"
    made_emails.append(email)
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mobile number").fill("98450 61616")
    create = page.get_by_role("button", name="Create front-desk user")
    create.click()  # no hospital ticked: refused on the field
    expect(page.get_by_test_id("error-hospital_ids")).to_have_text("Choose at least one hospital")
    page.get_by_role("checkbox", name=f"{hospital} ({city})").first.check()
    create.click()
    card = page.get_by_test_id("password-card")
    expect(card).to_be_visible()
    expect(page.get_by_test_id("new-login-email")).to_have_text(email)
    password = page.get_by_test_id("one-time-password").inner_text().strip()
    assert check_password_strength(password) == password
    row = page.get_by_test_id("front-desk-row").filter(has_text=email)
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("desk-hospitals")).to_have_text(f"{hospital} ({city})")
    expect(row.get_by_test_id("desk-status")).to_have_text("Active")
    j.shot("created with a one-time password")
    page.get_by_role("button", name="I have noted it").click()
    expect(card).to_have_count(0)  # shown once
    sign_out(j, phone)

    # The new user signs in with it, and first chooses their own password.
    desk: Journey = open_journey(
        viewport, name=f"front-desk-user-{'phone' if phone else 'desktop'}"
    )
    desk.goto("/login")
    desk.page.get_by_label("Email").fill(email)
    desk.page.get_by_label("Password").fill(password)
    desk.page.get_by_role("button", name="Log in").click()
    expect(desk.page).to_have_url(re.compile(r"/account/security$"))
    expect(desk.page.get_by_test_id("must-change-password")).to_be_visible()
    desk.shot("must choose a password")
    desk.page.get_by_label("Current password").fill(password)
    desk.page.get_by_label("New password", exact=True).fill(OWN_PASSWORD)
    desk.page.get_by_label("Confirm new password").fill(OWN_PASSWORD)
    desk.page.get_by_role("button", name="Change password").click()
    expect(desk.page).to_have_url(re.compile(r"/desk$"))
    desk.shot("on the front desk")

    # The admin deactivates them: their open session ends.
    admin_log_in(j)
    j.goto("/admin/front-desk")
    row = page.get_by_test_id("front-desk-row").filter(has_text=email)
    row.get_by_role("button", name=f"Deactivate {name}").click()
    confirm = page.get_by_role("alertdialog")
    confirm.get_by_label("Reason (optional)").fill("Moved to another branch")
    confirm.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_text(f"{name} is deactivated and signed out everywhere.")).to_be_visible()
    expect(row.get_by_test_id("desk-status")).to_have_text("Inactive")
    expect(row.get_by_role("button", name=f"Reactivate {name}")).to_be_visible()
    j.shot("deactivated")

    desk.page.reload()
    desk.ready()
    desk.goto("/account/security")
    expect(desk.page).to_have_url(re.compile(r"/login\?next=%2Faccount%2Fsecurity$"))
    desk.page.get_by_label("Email").fill(email)
    desk.page.get_by_label("Password").fill(OWN_PASSWORD)
    desk.page.get_by_role("button", name="Log in").click()
    expect(desk.page.get_by_role("alert")).to_contain_text("deactivated")
    desk.shot("signed out and refused")


def _names(j: Journey) -> list[str]:
    """The doctors' names as listed (each row's first cell)."""
    expect(j.page.get_by_test_id("doctor-row").first).to_be_visible()
    cells = j.page.locator("[data-testid=doctor-row] td:first-child")
    return [text.strip() for text in cells.all_inner_texts()]


@pytest.mark.parametrize("viewport", SIZES)
def test_admin_sorts_the_doctors_by_name_descending(open_journey, viewport: dict[str, int]) -> None:
    phone = viewport == PHONE
    j: Journey = open_journey(viewport, name=f"doctors-sorted-{'phone' if phone else 'desktop'}")
    page = j.page
    admin_log_in(j)
    j.goto("/admin/doctors")
    ascending = _names(j)
    assert ascending == sorted(ascending, key=str.lower), ascending
    if phone:  # the headings are hidden: the sort menu
        menu = page.get_by_label("Sort by")
        menu.select_option(label="Doctor (descending)")
        expect(menu).to_have_value("-name")
    else:
        heading = page.get_by_role("columnheader", name="Doctor")
        page.get_by_test_id("sort-name").click()
        expect(heading).to_have_attribute("aria-sort", "ascending")
        page.get_by_test_id("sort-name").click()
        expect(heading).to_have_attribute("aria-sort", "descending")
    expect(page.get_by_test_id("doctor-row").first).not_to_contain_text(ascending[0])
    shown = _names(j)
    assert len(shown) >= 2
    assert shown == sorted(shown, key=str.lower, reverse=True), shown
    j.shot("doctors by name, descending")
