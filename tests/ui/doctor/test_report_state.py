"""The doctor's monthly report page state: the caller's own month on screen, other months
on demand, and one-time download links for the three files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Doctor
from healthcareplus.ui.doctor.report_state import DoctorReportState
from tests.factories import create_appointment, create_doctor, link_doctor_user, local
from tests.ui.harness import Client, Users, downloads, has_toast

MakeClient = Callable[..., Client]


@pytest.fixture
def doctors(session: Session, users: Users) -> tuple[Doctor, Doctor]:
    mine = create_doctor(session, name="Dr. Dev Iyer", fee_paise=50_000)
    mine.user_id = users.doctor.id
    session.add(mine)
    other = create_doctor(session, name="Dr. Rao")
    link_doctor_user(session, other)
    noon = local(clinic_today(utcnow()), "12:00")  # this month, whatever the hour
    create_appointment(session, doctor=mine, patient=users.patient, start_at=noon)
    create_appointment(session, doctor=other, patient=users.patient, start_at=noon)
    later = noon + timedelta(minutes=30)
    create_appointment(session, doctor=other, patient=users.other_patient, start_at=later)
    session.commit()
    return mine, other


async def opened(make_client: MakeClient, users: Users, url: str = routes.DOCTOR_REPORTS) -> Client:
    client = make_client(users.doctor, url=url)
    assert await client.call(DoctorReportState, "load") == []
    return client


async def test_this_month_with_only_the_callers_visits(
    make_client: MakeClient, users: Users, doctors: tuple[Doctor, Doctor]
) -> None:
    client = await opened(make_client, users)
    state = await client.state(DoctorReportState)
    this_month = clinic_today(utcnow()).strftime("%Y-%m")
    assert state.month == this_month and state.month_label.endswith("· Dr. Dev Iyer")
    assert state.totals["bookings"] == "1" and len(state.months) == 24
    assert state.error == ""


async def test_another_month_and_a_download_link(
    make_client: MakeClient, users: Users, doctors: tuple[Doctor, Doctor]
) -> None:
    client = await opened(make_client, users, url=f"{routes.DOCTOR_REPORTS}?month=2026-01")
    state = await client.state(DoctorReportState)
    assert (state.month, state.totals["bookings"]) == ("2026-01", "0")
    for fmt in ("csv", "pdf", "xlsx"):
        [download] = downloads(await client.call(DoctorReportState, "download_month", fmt=fmt))
        assert urlsplit(download["url"]).path == f"/api/doctor/reports/monthly.{fmt}"
        assert download["filename"] == f"my-monthly-report-2026-01.{fmt}"


@pytest.mark.parametrize("month", ["2026-13", "", None, 202601, ["2026-01"], "../x"])
async def test_odd_months_are_refused(
    make_client: MakeClient, users: Users, doctors: tuple[Doctor, Doctor], month: Any
) -> None:
    client = await opened(make_client, users)
    state = await client.state(DoctorReportState)
    before = state.month
    events = await client.call(DoctorReportState, "choose_month", month=month)
    assert state.month == before and (
        events == [] or has_toast(events, "Choose a month (YYYY-MM).")
    )


@pytest.mark.parametrize("fmt", ["docx", "", None, ["csv"], "CSV"])
async def test_odd_formats_give_no_link(
    make_client: MakeClient, users: Users, doctors: tuple[Doctor, Doctor], fmt: Any
) -> None:
    client = await opened(make_client, users)
    assert downloads(await client.call(DoctorReportState, "download_month", fmt=fmt)) == []
