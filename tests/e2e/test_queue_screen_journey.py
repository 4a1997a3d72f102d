"""The front desk checks in a patient with a visit today and reads token 1; the waiting-room
screen, opened by its address in another browser (nobody signed in), shows the first name
and token 1 in large type and never the surname; the desk calls the patient in and the
screen shows "Now 1" without a reload.

The hospital, doctor, patient and today's confirmed visit are made straight in the app's
database for this test (a visit at noon today, clinic time: check-in only asks that the
visit is today, so this works at any hour; booking through the wizard could not offer a
slot today late in the evening). In the last minutes before midnight in the clinic, when
"today" would end between setting up and checking in, it first waits for the next day
(``keep_within_one_clinic_day``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import StaffHospital, User
from tests.e2e.conftest import (
    DESKTOP,
    PATIENT_PASSWORD,
    PHONE,
    Journey,
    keep_within_one_clinic_day,
    now,
)
from tests.factories import create_appointment, create_city, create_doctor, create_hospital, local

SIZES = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
MARGIN = timedelta(minutes=5)  # the most the journey takes, with room to spare
LARGE_PX = 48  # "large type": the called token is at least this tall on the screen
SMALLEST_PX = 24  # and every name and waiting token at least this


@dataclass(frozen=True)
class Clinic:
    desk_email: str
    patient_name: str


@pytest.fixture
def clinic(e2e_db_url: str, _patient_hash: str) -> Callable[[], Clinic]:
    """A new hospital with one doctor, a front-desk user for it and one confirmed visit
    today (clinic time) of a patient called Kavya Raghunathan."""
    from healthcareplus.core.db import get_engine

    def make() -> Clinic:
        tag = uuid.uuid4().hex[:8]
        keep_within_one_clinic_day(MARGIN)  # a visit made for today is checked in today
        current = now()
        with Session(get_engine(e2e_db_url), expire_on_commit=False) as db:
            city = create_city(db, name=f"Queue City {tag}")
            hospital = create_hospital(db, city=city, name=f"Queue Clinic {tag}")
            doctor = create_doctor(db, hospital=hospital, name=f"Dr. Queue {tag}")
            patient = User(
                name="Kavya Raghunathan",
                email=f"kavya.{tag}@example.in",
                phone="+91 98450 33333",
                password_hash=_patient_hash,
            )
            desk = User(
                role="front_desk",
                name="Farah Desk",
                email=f"desk.{tag}@example.in",
                password_hash=_patient_hash,
            )
            db.add_all([patient, desk])
            db.commit()
            db.add(StaffHospital(user_id=desk.id, hospital_id=hospital.id))
            create_appointment(
                db,
                doctor=doctor,
                patient=patient,
                start_at=local(clinic_today(current), "12:00"),
                reason="Fever for two days",
            )
            db.commit()
            return Clinic(desk.email, patient.name)

    return make


def desk_signs_in(j: Journey, email: str) -> None:
    j.goto("/login?next=/desk/queue")
    j.page.get_by_label("Email").fill(email)
    j.page.get_by_label("Password").fill(PATIENT_PASSWORD)
    j.page.get_by_role("button", name="Log in").click()
    expect(j.page).to_have_url(re.compile(r"/desk/queue$"))
    j.ready()
    expect(j.page.get_by_role("heading", name="Queue", exact=True)).to_be_visible()


def font_px(page: Page, test_id: str) -> float:
    size = page.get_by_test_id(test_id).first.evaluate("el => getComputedStyle(el).fontSize")
    return float(str(size).removesuffix("px"))


@SIZES
def test_check_in_gives_a_token_the_screen_shows_live(
    open_journey: Callable[..., Journey], clinic: Callable[[], Clinic], viewport: dict
) -> None:
    made = clinic()
    size = "phone" if viewport == PHONE else "desktop"
    desk = open_journey(viewport, name=f"queue-desk-{size}")
    desk_signs_in(desk, made.desk_email)
    expected = desk.page.get_by_test_id("expected-row").filter(has_text=made.patient_name)
    expect(expected).to_contain_text("12:00 PM")
    desk.shot("today's visit expected")

    expected.get_by_role("button", name=f"Check in {made.patient_name}").click()
    expect(desk.page.get_by_test_id("last-token")).to_have_text("1")
    row = desk.page.get_by_test_id("queue-row").filter(has_text=made.patient_name)
    expect(row.get_by_test_id("queue-token")).to_have_text("1")
    expect(row.get_by_test_id("queue-stage")).to_have_text("Waiting")
    expect(expected).to_have_count(0)
    desk.shot("checked in token 1")

    desk.page.get_by_test_id("open-screen").click()  # also opens it in a new tab
    link = desk.page.get_by_test_id("screen-link")
    expect(link).to_have_attribute("href", re.compile(r"^/queue-screen/[A-Za-z0-9_-]{32,}$"))
    address = link.get_attribute("href")
    assert address is not None

    tv = open_journey(viewport, name=f"queue-screen-{size}")  # another browser, signed out
    tv.goto(address)
    board = tv.page.get_by_test_id("screen-doctor")
    expect(board).to_have_count(1)
    expect(tv.page.get_by_test_id("screen-next")).to_have_text("1 Kavya")
    expect(tv.page.get_by_test_id("screen-now-token")).to_have_text("–")
    assert font_px(tv.page, "screen-next") >= SMALLEST_PX
    expect(tv.page.get_by_text("Raghunathan")).to_have_count(0)
    expect(tv.page.get_by_role("navigation")).to_have_count(0)  # no site navigation
    tv.mark_page()
    tv.shot("screen waiting")

    row.get_by_role("button", name=f"Call in {made.patient_name}").click()
    expect(row.get_by_test_id("queue-stage")).to_have_text("With the doctor")
    expect(tv.page.get_by_test_id("screen-now-token")).to_have_text("1")
    expect(tv.page.get_by_test_id("screen-now-name")).to_have_text("Kavya")
    expect(tv.page.get_by_test_id("screen-next")).to_have_text("–")
    assert font_px(tv.page, "screen-now-token") >= LARGE_PX
    page_text = tv.page.locator("body").inner_text()
    assert "Raghunathan" not in page_text and "Fever" not in page_text
    tv.assert_not_reloaded()
    tv.shot("screen now calling 1")

    tv.goto("/queue-screen/" + "x" * 32)
    expect(tv.page.get_by_text("This screen address is not valid")).to_be_visible()
    expect(tv.page.get_by_test_id("screen-doctor")).to_have_count(0)
