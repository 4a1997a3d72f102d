"""A patient joins the waitlist for a doctor's full day; another patient cancels their
visit that day; the job worker offers the freed slot to the waiter (email and the in-app
notification centre); the waiter accepts, pays at the clinic and the visit is confirmed.
An admin sees the doctor's waitlist length on the doctor list."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.formatting import format_date, format_local_time
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    Doctor,
    DoctorSchedule,
    Hospital,
    User,
)
from healthcareplus.domain.scheduling import tallies
from tests.e2e.conftest import DAYS_AHEAD, DESKTOP, PHONE, Inbox, Journey, log_in, now
from tests.e2e.test_accessibility_journey import violations

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@healthcareplus.in", "Admin@12345"
TIMES = (time(10, 0), time(10, 15))  # the doctor's whole working day: two slots


@dataclass
class FullDay:
    doctor_id: int
    doctor_name: str
    tag: str
    day: date
    day_label: str  # "Mon, 30 Nov 2026"
    waiter_email: str
    booked_email: str  # holds the 10:00 visit
    freed_time: str  # "10:00 AM"


@pytest.fixture
def full_day(e2e_db_url: str, _patient_hash: str) -> FullDay:
    """A new doctor who works 10:00-10:30 every day (two slots), both slots of a day
    ``DAYS_AHEAD + 1`` days ahead booked and confirmed, and a patient who will wait."""
    from healthcareplus.core.db import get_engine

    zone = get_settings().clinic_zone
    tag = uuid.uuid4().hex[:6]
    name = f"Dr. Kavya Iyer {tag}"
    day = now().astimezone(zone).date() + timedelta(days=DAYS_AHEAD + 1)
    with Session(get_engine(e2e_db_url)) as db:
        hospital = db.exec(select(Hospital).order_by(Hospital.id)).first()
        assert hospital is not None and hospital.id is not None
        doctor = Doctor(
            name=name,
            specialization="General Physician",
            department="General Medicine",
            qualification="MBBS",
            experience_years=9,
            fee_paise=45_000,
            gender="Female",
            languages=["English"],
            hospital_id=hospital.id,
            email=f"kavya.{tag}@example.in",
        )
        db.add(doctor)
        db.flush()
        assert doctor.id is not None
        db.add_all(
            DoctorSchedule(
                doctor_id=doctor.id,
                weekday=weekday,
                start_time=time(10, 0),
                end_time=time(10, 30),
                slot_minutes=15,
            )
            for weekday in range(7)
        )
        people = [
            User(
                name=who,
                email=f"{who.split()[0].lower()}.{tag}@example.in",
                password_hash=_patient_hash,
            )
            for who in ("Anil Waits", "Bela Cancels", "Chitra Keeps")
        ]
        db.add_all(people)
        db.flush()
        starts = []
        for person, clock in zip(people[1:], TIMES, strict=True):
            start = datetime.combine(day, clock, tzinfo=zone)
            starts.append(start)
            visit = Appointment(
                patient_id=person.id,
                doctor_id=doctor.id,
                hospital_id=hospital.id,
                start_at=start,
                end_at=start + timedelta(minutes=15),
                reason="Check-up",
                status=AppointmentStatus.CONFIRMED,
                payment_status="Pending",
                payment_method="pay_at_clinic",
                fee_paise=doctor.fee_paise,
                booked_at=now() - timedelta(days=1),
            )
            tallies.count_change(db, None, tallies.Counted.of(visit))
            db.add(visit)
        db.commit()
        return FullDay(
            doctor_id=doctor.id,
            doctor_name=name,
            tag=tag,
            day=day,
            day_label=format_date(day),
            waiter_email=people[0].email,
            booked_email=people[1].email,
            freed_time=format_local_time(starts[0]),
        )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_freed_slot_is_offered_to_the_waiter_who_books_it(
    open_journey, full_day: FullDay, smtp_inbox: Inbox, viewport: dict[str, int]
) -> None:
    f = full_day
    waiter: Journey = open_journey(viewport, name=f"waitlist-waiter-{viewport['width']}")
    page = waiter.page
    log_in(waiter, f.waiter_email)
    waiter.goto(f"/book/{f.doctor_id}")
    full = page.get_by_role("button", name=f"{f.day_label}: Full")
    expect(full).to_be_disabled()
    join = page.get_by_test_id("join-waitlist")
    join.get_by_label("From").fill(f.day.isoformat())
    join.get_by_label("To").fill(f.day.isoformat())
    waiter.shot("joining the waitlist")
    join.get_by_role("button", name="Join the waitlist").click()
    expect(page).to_have_url(re.compile(r"/waitlist$"))
    entry = page.get_by_test_id("waitlist-entry").filter(has_text=f.doctor_name)
    expect(entry).to_contain_text(f.day_label)
    expect(page.get_by_text("No offers right now.")).to_be_visible()
    assert violations(page) == []
    waiter.shot("on the waitlist")

    booked: Journey = open_journey(viewport, name=f"waitlist-booked-{viewport['width']}")
    log_in(booked, f.booked_email)
    booked.goto("/appointments")
    card = booked.page.get_by_test_id("appointment-card").filter(has_text=f.doctor_name)
    card.get_by_role("button", name="Cancel appointment").click()
    booked.page.get_by_role("button", name="Yes, cancel").click()
    expect(
        booked.page.get_by_test_id("appointment-card").filter(has_text=f.doctor_name)
    ).to_have_count(0)
    booked.shot("cancelled")

    # The worker offers the freed slot to the waiter: by email and in the app.
    # (Its periodic task may queue behind a sweep that waits on the payment gateway.)
    email = smtp_inbox.wait_for(f.waiter_email, f"Slot free: {f.doctor_name}", timeout_s=120)
    assert "/waitlist" in email.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    waiter.goto("/notifications")
    expect(page.get_by_text(f"Slot free: {f.doctor_name}").first).to_be_visible()
    waiter.goto("/waitlist")
    offer = page.get_by_test_id("waitlist-offer").filter(has_text=f.doctor_name)
    expect(offer).to_contain_text(f"{f.day_label} · {f.freed_time}")
    assert violations(page) == []
    waiter.shot("the offer")

    # Nobody else can book the held slot meanwhile.
    booked.goto(f"/book/{f.doctor_id}")
    expect(booked.page.get_by_role("button", name=f"{f.day_label}: Full")).to_be_disabled()

    offer.get_by_role("button", name="Accept and pay").click()
    expect(page).to_have_url(re.compile(r"/pay/[0-9a-f-]{36}$"))
    page.get_by_role("button", name="Pay at Clinic").click()
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_test_id("confirmed-banner")).to_be_visible()
    expect(page.get_by_text(f"{f.day_label} · {f.freed_time}").first).to_be_visible()
    waiter.shot("confirmed")

    waiter.goto("/waitlist")
    expect(page.get_by_text("No offers right now.")).to_be_visible()
    expect(page.get_by_test_id("waitlist-entry").filter(has_text=f.doctor_name)).to_have_count(0)


def test_an_admin_sees_the_waitlist_length(open_journey, full_day: FullDay) -> None:
    f = full_day
    waiter: Journey = open_journey(DESKTOP, name="waitlist-count-waiter")
    log_in(waiter, f.waiter_email)
    waiter.goto(f"/book/{f.doctor_id}")
    join = waiter.page.get_by_test_id("join-waitlist")
    join.get_by_label("From").fill(f.day.isoformat())
    join.get_by_label("To").fill((f.day + timedelta(days=2)).isoformat())
    join.get_by_role("button", name="Join the waitlist").click()
    expect(waiter.page).to_have_url(re.compile(r"/waitlist$"))

    admin: Journey = open_journey(DESKTOP, name="waitlist-count-admin")
    admin.goto("/admin/login")
    admin.page.get_by_label("Email").fill(ADMIN_EMAIL)
    admin.page.get_by_label("Password").fill(ADMIN_PASSWORD)
    admin.page.get_by_role("button", name="Log in").click()
    expect(admin.page).to_have_url(re.compile(r"/admin$"))
    admin.goto(f"/admin/doctors?q={f.tag}")
    row = admin.page.get_by_test_id("doctor-row").filter(has_text=f.doctor_name)
    expect(row.get_by_test_id("doctor-waitlist")).to_have_text("1")
