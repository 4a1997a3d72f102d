"""A doctor confirms bookings himself: he switches it on in his profile; two patients'
bookings wait for him ("Waiting for the doctor"); on his dashboard he accepts one and
declines the other with a reason; the first patient then chooses Pay at Clinic and is
confirmed, the second reads that it was cancelled, and why."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from healthcareplus.core.models import DoctorSchedule, User
from tests.e2e.conftest import (
    DAYS_AHEAD,
    DESKTOP,
    PHONE,
    Journey,
    add_doctor_with_login,
    choose_slot,
    log_in,
    now,
)

DECLINE_REASON = "I am away at a conference that day"


@dataclass
class Practice:
    doctor_id: int
    name: str
    email: str


@pytest.fixture
def practice(e2e_db_url: str, _patient_hash: str) -> Practice:
    """A doctor of the first seeded hospital with a login (the journey password), seeing
    patients every day 09:00-17:00 in 30-minute slots."""
    from healthcareplus.core.db import get_engine

    tag = uuid.uuid4().hex[:6]
    name, email = f"Dr. Nisha Kapoor {tag}", f"nisha.{tag}@example.in"
    with Session(get_engine(e2e_db_url)) as db:
        doctor = add_doctor_with_login(
            db, _patient_hash, name, email, experience_years=9, fee_paise=60_000
        )
        db.add_all(
            DoctorSchedule(
                doctor_id=doctor.id,
                weekday=weekday,
                start_time=time(9),
                end_time=time(17),
                slot_minutes=30,
            )
            for weekday in range(7)
        )
        db.commit()
        return Practice(doctor.id, name, email)


def _patient(e2e_db_url: str, password_hash: str, name: str) -> tuple[int, str]:
    from healthcareplus.core.db import get_engine

    email = f"req.{uuid.uuid4().hex[:10]}@example.in"
    with Session(get_engine(e2e_db_url)) as db:
        user = User(name=name, email=email, phone="+91 98450 33333", password_hash=password_hash)
        db.add(user)
        db.commit()
        assert user.id is not None
        return user.id, email


def _request_by_domain(e2e_db_url: str, patient_id: int, doctor_id: int) -> str:
    """The second patient's request, made through the booking service: 14:00 clinic time
    a day after the days the wizard offers first (so never the first patient's slot)."""
    from healthcareplus.core.db import get_engine
    from healthcareplus.core.formatting import clinic_today
    from healthcareplus.domain.booking.appointments import book
    from tests.factories import local

    day = clinic_today(now()) + timedelta(days=DAYS_AHEAD + 1)
    with Session(get_engine(e2e_db_url)) as db:
        booked = book(
            db,
            patient_id=patient_id,
            doctor_id=doctor_id,
            start_at=local(day, "14:00"),
            reason="Persistent cough",
            now=now(),
        )
        db.commit()
        assert booked.awaiting_doctor
        return booked.id


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_doctor_accepts_one_request_and_declines_another(
    open_journey, practice: Practice, e2e_db_url: str, _patient_hash: str, viewport
) -> None:
    size = viewport["width"]
    # 1. The doctor switches "Confirm bookings myself" on.
    doctor: Journey = open_journey(viewport, name=f"requests-doctor-{size}")
    log_in(doctor, practice.email)
    expect(doctor.page).to_have_url(re.compile(r"/doctor-portal$"))
    doctor.goto("/doctor-portal/profile")
    switch = doctor.page.get_by_role("switch", name="Confirm bookings myself")
    expect(switch).to_have_attribute("aria-checked", "false")
    expect(switch).to_be_enabled()
    switch.click()
    expect(doctor.page.get_by_text("Patients' bookings now wait for you")).to_be_visible()
    expect(switch).to_have_attribute("aria-checked", "true")
    doctor.shot("setting on")

    # 2. Asha books in the wizard: a request, waiting for the doctor, with nothing to pay.
    asha_id, asha_email = _patient(e2e_db_url, _patient_hash, f"Asha Iyer {size}")
    asha: Journey = open_journey(viewport, name=f"requests-asha-{size}")
    log_in(asha, asha_email)
    chosen = choose_slot(asha, practice.doctor_id)
    expect(asha.page.get_by_test_id("request-note")).to_contain_text("you pay once")
    asha.page.get_by_label("Reason for visit").fill("Recurring migraine")
    asha.page.get_by_role("button", name="Send request").click()
    expect(asha.page).to_have_url(re.compile(r"/appointments/[0-9a-f-]{36}$"))
    asha.ready()
    asha_url = asha.page.url
    expect(asha.page.get_by_text(re.compile(r"^Request sent to "))).to_be_visible()
    waiting = asha.page.get_by_test_id("awaiting-doctor")
    expect(waiting).to_contain_text("Waiting for the doctor to accept · answer by ")
    expect(asha.page.get_by_role("link", name="Pay now")).to_have_count(0)
    asha.shot("waiting for the doctor")
    asha.goto("/appointments")
    card = asha.page.get_by_test_id("appointment-card").filter(has_text=chosen.when)
    expect(card.get_by_test_id("awaiting-doctor")).to_be_visible()
    expect(card.get_by_role("link", name="Pay now")).to_have_count(0)

    # 3. Ravi's request comes in through the booking service.
    ravi_id, ravi_email = _patient(e2e_db_url, _patient_hash, f"Ravi Shah {size}")
    ravi_request = _request_by_domain(e2e_db_url, ravi_id, practice.doctor_id)

    # 4. The doctor answers both on his dashboard.
    doctor.goto("/doctor-portal")
    requests = doctor.page.get_by_test_id("request-card")
    expect(requests).to_have_count(2)
    asha_card = requests.filter(has_text=f"Asha Iyer {size}")
    expect(asha_card).to_contain_text("Recurring migraine")
    expect(asha_card).to_contain_text("Answer by ")
    doctor.shot("booking requests")
    asha_card.get_by_role("button", name=re.compile(r"^Accept")).click()
    expect(doctor.page.get_by_text(re.compile(rf"^Accepted: Asha Iyer {size}"))).to_be_visible()
    expect(requests).to_have_count(1)
    requests.filter(has_text=f"Ravi Shah {size}").get_by_role(
        "button", name=re.compile(r"^Decline")
    ).click()
    dialog = doctor.page.get_by_role("dialog")
    expect(dialog).to_contain_text("Decline this request?")
    dialog.get_by_label("Reason for the patient (optional)").fill(DECLINE_REASON)
    dialog.get_by_role("button", name="Decline request").click()
    expect(doctor.page.get_by_text(re.compile(rf"^Declined: Ravi Shah {size}"))).to_be_visible()
    expect(requests).to_have_count(0)
    expect(doctor.page.get_by_test_id("booking-requests")).to_have_count(0)
    doctor.shot("answered")

    # 5. Asha may now pay: she chooses Pay at Clinic and is confirmed.
    asha.page.goto(asha_url)
    asha.ready()
    expect(asha.page.get_by_test_id("awaiting-doctor")).to_have_count(0)
    asha.page.get_by_role("link", name="Pay now").click()
    expect(asha.page).to_have_url(re.compile(r"/pay/[0-9a-f-]{36}$"))
    asha.page.get_by_role("button", name="Pay at Clinic").click()
    asha.page.get_by_role("button", name="Confirm booking").click()
    expect(asha.page.get_by_test_id("confirmed-banner")).to_be_visible()
    expect(asha.page.get_by_test_id("payment-summary")).to_contain_text("Pay at the clinic")
    asha.shot("confirmed")

    # 6. Ravi reads that his request was declined, and why.
    ravi: Journey = open_journey(viewport, name=f"requests-ravi-{size}")
    log_in(ravi, ravi_email)
    ravi.goto(f"/appointments/{ravi_request}")
    expect(ravi.page.get_by_test_id("time-status")).to_have_text("Cancelled")
    expect(ravi.page.get_by_text(f"Cancelled: {DECLINE_REASON}")).to_be_visible()
    ravi.shot("declined")
    assert asha_id != ravi_id
