"""The patient side in Hindi: the header's switch turns the pages Hindi (home, doctors,
booking), a visit is booked in Hindi (Pay at Clinic) and confirmed and listed in Hindi,
a reload keeps Hindi (the device's cookie), and signing in on a fresh browser brings
Hindi back (the language remembered on the patient). At phone and desktop size; and
axe finds nothing wrong with the public and patient pages in Hindi.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.models import Doctor, User
from tests.e2e.conftest import DAYS_AHEAD, DESKTOP, PATIENT_PASSWORD, PHONE, Journey, now
from tests.e2e.test_accessibility_journey import PATIENT, PUBLIC, _free_slots, assert_accessible
from tests.factories import create_booking

HOME_HEADING = "सही डॉक्टर खोजें, मिनटों में बुक करें"
APPOINTMENTS = "मेरे अपॉइंटमेंट"
# A Hindi day as the date strip names it: "सोम, 30 नव॰ 2026: 16 खाली".
FREE = re.compile(r": (\d+) खाली")


def switch_to_hindi(j: Journey) -> None:
    switch = j.page.get_by_role("group", name="Language / भाषा").get_by_role(
        "button", name="हिन्दी", exact=True
    )
    expect(switch).to_have_attribute("aria-pressed", "false")
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    expect(j.page.locator("html")).to_have_attribute("lang", "hi")


def log_in_hindi(j: Journey, email: str) -> None:
    j.goto("/login")
    expect(j.page.get_by_role("heading", name="लॉग इन", exact=True)).to_be_visible()
    j.page.get_by_label("ईमेल").fill(email)
    j.page.get_by_label("पासवर्ड").fill(PATIENT_PASSWORD)
    j.page.get_by_role("button", name="लॉग इन", exact=True).click()
    expect(j.page).not_to_have_url(re.compile(r"/login"))
    expect(j.page.get_by_text("स्वागत है, ")).to_be_visible()


def book_in_hindi(j: Journey, doctor_id: int) -> tuple[str, str]:
    """Book the first free time on a day far enough ahead; returns (day, time) labels."""
    j.goto(f"/book/{doctor_id}")
    page: Page = j.page
    expect(page.get_by_role("heading", name=re.compile(r" के साथ बुक करें$"))).to_be_visible()
    expect(page.get_by_role("navigation", name="बुकिंग के चरण")).to_contain_text("तारीख और समय")
    days = page.get_by_test_id("day")
    expect(days.nth(DAYS_AHEAD)).to_be_attached()
    names = days.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    name = next(n for n in names[DAYS_AHEAD:] if (m := FREE.search(n)) and int(m.group(1)))
    day = name.split(": ")[0]
    assert re.search(r"[\u0900-\u097F]", day), day  # the day's name is in Devanagari
    page.get_by_role("button", name=name, exact=True).click()
    expect(page.get_by_role("heading", name=day, exact=True)).to_be_visible()
    slot = page.locator("[data-testid=slot][data-state=free]").first
    time = slot.inner_text().strip()
    slot.click()
    expect(page.get_by_text(f"{time} (भारतीय समय)", exact=True)).to_be_visible()
    j.shot("booking summary in hindi")
    page.get_by_label("विज़िट का कारण").fill("सीढ़ियाँ चढ़ते समय सीने में दर्द")
    page.get_by_role("button", name="पुष्टि करें और भुगतान करें").click()
    expect(page).to_have_url(re.compile(r"/pay/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name="भुगतान", exact=True)).to_be_visible()
    expect(page.get_by_text(f"{day}, {time} बजे", exact=True)).to_be_visible()
    expect(page.get_by_test_id("refund-terms")).to_contain_text("रद्द करना मुफ़्त है")
    page.get_by_role("button", name="क्लिनिक पर भुगतान", exact=True).click()
    page.get_by_role("button", name="बुकिंग की पुष्टि करें").click()
    return day, time


def log_out_hindi(j: Journey, viewport: dict[str, int]) -> None:
    if viewport == PHONE:
        j.page.get_by_role("button", name="मेन्यू खोलें").click()
    j.page.get_by_role("button", name="लॉग आउट").click()
    expect(j.page.get_by_test_id("nav-user")).to_have_count(0)


FIND_A_DOCTOR = "डॉक्टर खोजें"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_patient_side_in_hindi(open_journey, new_patient, viewport) -> None:
    j: Journey = open_journey(viewport)
    email = new_patient("Asha Rao")
    j.goto("/")
    expect(j.page.get_by_role("heading", level=1)).to_have_text(
        "Find the right doctor, book in minutes"
    )
    switch_to_hindi(j)
    expect(j.page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING)
    expect(j.page.get_by_role("heading", name="स्थान के अनुसार देखें")).to_be_visible()
    j.shot("home in hindi")

    j.goto("/doctors")
    expect(j.page.get_by_role("heading", level=1)).to_have_text("डॉक्टर खोजें")
    expect(j.page.get_by_test_id("result-count")).to_contain_text("डॉक्टरों में से")
    expect(j.page).to_have_title(f"{FIND_A_DOCTOR} · HealthCarePlus")  # the tab's title too
    expect(j.page.get_by_label("विशेषज्ञता", exact=True)).to_be_visible()
    j.shot("doctors in hindi")

    log_in_hindi(j, email)  # a first sign-in keeps the device's Hindi and remembers it
    day, time = book_in_hindi(j, 3)
    expect(j.page.get_by_test_id("confirmed-banner")).to_have_text(
        "आपका अपॉइंटमेंट पक्का हो गया है। हमें आपसे मिलने का इंतज़ार है।"
    )
    expect(j.page.get_by_test_id("payment-summary")).to_contain_text("क्लिनिक पर भुगतान करें")
    expect(j.page.get_by_test_id("time-status")).to_have_text("आने वाले")
    j.shot("confirmed in hindi")

    j.goto("/appointments")
    expect(j.page.get_by_role("heading", level=1)).to_have_text(APPOINTMENTS)
    expect(j.page.get_by_role("tab", name="आने वाले")).to_have_attribute("aria-selected", "true")
    card = j.page.get_by_test_id("appointment-card").first
    expect(card).to_contain_text(f"{day} · {time}")
    expect(card.get_by_role("button", name="अपॉइंटमेंट रद्द करें")).to_be_visible()
    j.shot("my appointments in hindi")

    j.page.reload()
    j.ready()
    expect(j.page.get_by_role("heading", level=1)).to_have_text(APPOINTMENTS)
    expect(j.page.locator("html")).to_have_attribute("lang", "hi")

    log_out_hindi(j, viewport)
    expect(j.page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING)  # still Hindi

    # Another browser: English until the patient signs in, then their Hindi again.
    other: Journey = open_journey(viewport, name=f"{j.folder.name}-second-browser")
    other.goto("/login")
    expect(other.page.get_by_role("heading", name="Log in", exact=True)).to_be_visible()
    other.page.get_by_label("Email").fill(email)
    other.page.get_by_label("Password").fill(PATIENT_PASSWORD)
    other.page.get_by_role("button", name="Log in", exact=True).click()
    expect(other.page).not_to_have_url(re.compile(r"/login"))
    expect(other.page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING)
    other.goto("/appointments")
    expect(other.page.get_by_role("heading", level=1)).to_have_text(APPOINTMENTS)
    expect(other.page.get_by_test_id("appointment-card").first).to_contain_text(day)
    other.shot("second browser in hindi")

    # Switching back while signed in is remembered too.
    other.page.get_by_role("button", name="English", exact=True).click()
    expect(other.page.get_by_role("heading", level=1)).to_have_text("My appointments")
    j.goto("/doctors")  # the first browser keeps its own cookie
    expect(j.page.get_by_role("heading", level=1)).to_have_text("डॉक्टर खोजें")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_hindi_pages_are_accessible(open_journey, new_patient, e2e_db_url, viewport) -> None:
    """axe over the public and patient pages in Hindi: no violation of any impact."""
    email = new_patient("Kiran Bhat")
    with Session(get_engine(e2e_db_url), expire_on_commit=False) as db:
        patient = db.exec(select(User).where(User.email == email)).one()
        doctor = db.exec(select(Doctor).where(col(Doctor.id) == 4)).one()
        first, second = _free_slots(db, doctor)
        visit = create_booking(db, doctor=doctor, patient=patient, start_at=first, now=now())
        held = create_booking(
            db, doctor=doctor, patient=patient, start_at=second, now=now(), method=None
        )
    j: Journey = open_journey(viewport)
    j.goto("/")
    switch_to_hindi(j)
    assert_accessible(j, PUBLIC)
    log_in_hindi(j, email)
    pages = (*PATIENT, f"/appointments/{visit.id}", f"/reschedule/{visit.id}", f"/pay/{held.id}")
    assert_accessible(j, pages)
    expect(j.page.locator("html")).to_have_attribute("lang", "hi")
