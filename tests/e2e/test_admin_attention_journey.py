"""An admin finds yesterday's visits nobody closed under "Needs attention" on the dashboard
and marks the one the patient missed a no-show from there; and looks at today's visits."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.models import Appointment, Doctor, Role, User
from tests.e2e.conftest import DESKTOP, PHONE, Journey, now
from tests.e2e.test_admin_actions_journey import admin_login, confirm, working_day
from tests.factories import FAKE_PASSWORD_HASH, create_booking


@pytest.fixture(scope="module")
def open_visits(e2e_db_url: str) -> tuple[int, list[str]]:
    """Two paid visits of a doctor nobody else books, on a past working day, still open."""
    with Session(get_engine(e2e_db_url), expire_on_commit=False) as db:
        booked = select(Appointment.doctor_id).distinct()
        doctor = db.exec(
            select(Doctor)
            .where(col(Doctor.is_active).is_(True), col(Doctor.id).not_in(booked))
            .order_by(col(Doctor.id))
        ).first()
        assert doctor is not None and doctor.id is not None
        day, slots = working_day(db, doctor.id, range(-1, -15, -1), now())
        patient = User(
            role=Role.PATIENT,
            name="Farah Qureshi",
            email=f"farah.{uuid.uuid4().hex[:10]}@example.in",
            password_hash=FAKE_PASSWORD_HASH,
        )
        db.add(patient)
        db.commit()
        booked_at = datetime.combine(day - timedelta(days=2), time(9), tzinfo=UTC)
        made = [
            create_booking(db, doctor=doctor, patient=patient, start_at=s.start_at, now=booked_at)
            for s in slots[:2]
        ]
        return doctor.id, [a.id for a in made]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_admin_closes_a_missed_visit_from_needs_attention(
    open_journey, open_visits: tuple[int, list[str]], viewport
) -> None:
    doctor_id, (first, second) = open_visits
    j: Journey = open_journey(viewport)
    admin_login(j)
    j.goto(f"/admin?doctor={doctor_id}")
    card = j.page.get_by_test_id("attention-card")
    expect(card).to_be_visible()
    rows = card.get_by_test_id("attention-row")
    missed = rows.and_(j.page.locator(f"[data-appointment='{first}']"))
    if viewport is PHONE:  # the desktop run closed the first one already
        missed = rows.and_(j.page.locator(f"[data-appointment='{second}']"))
    expect(missed).to_be_visible()
    j.shot("needs attention")
    missed.get_by_role("button", name="No-show", exact=True).click()
    confirm(j.page, "Mark no-show")
    expect(missed).to_have_count(0)
    j.shot("after no-show")

    j.page.get_by_test_id("dash-today").click()
    expect(j.page).to_have_url(
        re.compile(rf"doctor={doctor_id}&date=\d{{4}}-\d\d-\d\d&sort=start_asc$")
    )
