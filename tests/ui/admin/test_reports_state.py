"""The reports page's state, driven as the admin's browser would and as a crafted one could.

Only an admin gets anything; every argument a browser can send is checked; the download
links it hands out are one-time grants, made on the click, for the calling admin and
exactly the chosen filters.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
import reflex as rx
from sqlmodel import Session

from healthcareplus.api import api
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import PaymentStatus, User
from healthcareplus.domain.reports.download_links import USED_OR_EXPIRED
from healthcareplus.ui.admin import reports_state
from healthcareplus.ui.admin.reports_state import ROWS_PER_PAGE, AdminReportsState
from healthcareplus.ui.shared import downloads as shared_downloads
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from tests.factories import (
    add_payment,
    create_appointment,
    create_city,
    create_doctor,
    create_hospital,
    local,
)
from tests.ui.admin.download_grants import grant_count, grant_of
from tests.ui.harness import Client, Users, downloads, has_toast, redirects

with warnings.catch_warnings():  # Starlette 1.x nudges towards httpx2; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

MakeClient = Callable[..., Client]
PATH = "/admin/reports"
SIGN_IN = "Please sign in to continue."
NO_ACCESS = "You do not have access to that page."
HANDLERS = {
    "load": {},
    "download_csv": {"form_data": {"status": "confirmed"}},
    "choose_month": {"month": "2026-01"},
    "download_monthly": {"fmt": "pdf"},
    "show_doctor_rows": {"page": 2},
    "show_hospital_rows": {"page": 2},
}


@dataclass
class Clinic:
    hospital_id: int
    city_id: int
    doctor_id: int
    month: str  # last month, "YYYY-MM"


@pytest.fixture
def clinic(session: Session) -> Clinic:
    """Last month (clinic time): one paid visit and one cancellation at Sunrise."""
    first_of_month = clinic_today(utcnow()).replace(day=1)
    last_month = first_of_month - timedelta(days=20)
    city = create_city(session, name="Udupi")
    hospital = create_hospital(session, city=city, name="Sunrise Hospital")
    doctor = create_doctor(session, hospital=hospital, name="Dr. Kavya Menon", fee_paise=70_000)
    paid = create_appointment(
        session,
        doctor=doctor,
        start_at=local(last_month, "10:00"),
        status="completed",
        payment_status=PaymentStatus.SUCCESS,
    )
    add_payment(session, appointment=paid, status=PaymentStatus.SUCCESS)
    create_appointment(
        session, doctor=doctor, start_at=local(last_month, "11:00"), status="cancelled"
    )
    return Clinic(hospital.id, city.id, doctor.id, last_month.strftime("%Y-%m"))


async def values(client: Client) -> dict[str, Any]:
    state = await client.state(AdminReportsState)
    return copy.deepcopy({name: state.get_value(name) for name in AdminReportsState.base_vars})


def defaults() -> dict[str, Any]:
    state = rx.State().get_substate(AdminReportsState._get_substate_path())
    return copy.deepcopy({name: state.get_value(name) for name in AdminReportsState.base_vars})


# --- wrong callers ---------------------------------------------------------------------------


@pytest.mark.parametrize("primed", [False, True], ids=["fresh", "primed"])
@pytest.mark.parametrize("who", [None, "patient", "doctor"], ids=["anonymous", "patient", "doctor"])
@pytest.mark.parametrize("name", sorted(HANDLERS))
async def test_every_handler_refuses_anyone_but_an_admin(
    make_client: MakeClient, users: Users, clinic: Clinic, who: str | None, name: str, primed: bool
) -> None:
    if primed:  # an admin's tab left open, then someone else signs in there
        admin_tab = make_client(users.admin, url=PATH)
        await admin_tab.call(AdminReportsState, "load")
        primed_values = await values(admin_tab)
    client = make_client(getattr(users, who) if who else None, url=PATH)
    if primed:
        state = await client.state(AdminReportsState)
        for key, value in primed_values.items():
            setattr(state, key, value)
    before = await values(client)

    events = await client.call(AdminReportsState, name, **HANDLERS[name])

    target = "/admin/login?next=%2Fadmin%2Freports" if who is None else HOME_FOR_ROLE[who]
    assert redirects(events) == [target]
    message = (
        "Please sign in to continue." if who is None else "You do not have access to that page."
    )
    assert has_toast(events, message)
    assert downloads(events) == [] and grant_count() == 0
    assert await values(client) == before
    if not primed:
        assert before == defaults()


# --- the admin -------------------------------------------------------------------------------


async def test_load_prefills_the_filters_from_the_url_and_shows_last_month(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    url = (
        f"{PATH}?hospital={clinic.hospital_id}&status=confirmed&payment=Success"
        "&from=2026-03-01&to=2026-03-31&sort=start_asc&doctor=abc&page=3"
    )
    client = make_client(users.admin, url=url)

    assert await client.call(AdminReportsState, "load") == []

    s = await client.state(AdminReportsState)
    assert (s.hospital, s.city, s.doctor) == (str(clinic.hospital_id), "", "")
    assert (s.date_from, s.date_to, s.status, s.payment, s.sort) == (
        "2026-03-01",
        "2026-03-31",
        "confirmed",
        "Success",
        "start_asc",
    )
    assert s.cities == [{"id": str(clinic.city_id), "label": "Udupi"}]
    assert s.hospitals == [{"id": str(clinic.hospital_id), "label": "Sunrise Hospital, Udupi"}]
    assert s.doctors == [
        {"id": str(clinic.doctor_id), "label": "Dr. Kavya Menon · General Physician"}
    ]
    this_month = clinic_today(utcnow()).strftime("%Y-%m")
    assert len(s.months) == 24 and s.months[0]["value"] == this_month
    assert s.months[1]["value"] == clinic.month == s.month
    figures = ("doctor", "bookings", "completed", "cancelled", "revenue")
    assert [tuple(r[k] for k in figures) for r in s.doctor_rows] == [
        ("Dr. Kavya Menon", "2", "1", "1", "₹700")
    ]
    assert [(r["hospital"], r["doctors"], r["revenue"]) for r in s.hospital_rows] == [
        ("Sunrise Hospital", "1", "₹700")
    ]
    assert (s.totals["bookings"], s.totals["revenue"], s.totals["doctors"]) == ("2", "₹700", "1")
    assert s.loaded and s.form_key == 1


async def test_load_takes_a_month_from_the_url_and_ignores_a_bad_one(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    client = make_client(users.admin, url=f"{PATH}?month=2024-02")
    await client.call(AdminReportsState, "load")
    s = await client.state(AdminReportsState)
    assert (s.month, s.month_label, s.doctor_rows, s.totals["bookings"]) == (
        "2024-02",
        "February 2024",
        [],
        "0",
    )
    client = make_client(users.admin, url=f"{PATH}?month=2024-13")
    await client.call(AdminReportsState, "load")
    assert (await client.state(AdminReportsState)).month == clinic.month


async def test_download_csv_hands_out_a_one_time_link_for_the_admin_with_the_filters(
    make_client: MakeClient, users: Users, clinic: Clinic, db_url: str
) -> None:
    client = make_client(users.admin, url=PATH)
    await client.call(AdminReportsState, "load")
    assert grant_count() == 0  # the page makes no link ahead of the click
    form = {
        "city": str(clinic.city_id),
        "hospital": "",
        "doctor": str(clinic.doctor_id),
        "from": "",
        "to": "",
        "status": "cancelled",
        "payment": "",
        "sort": "booked_desc",
    }

    events = await client.call(AdminReportsState, "download_csv", form_data=form)

    assert has_toast(events, "Downloading 1 appointment as CSV.")
    [download] = downloads(events)
    assert download["filename"] == f"appointments-{clinic_today(utcnow()).isoformat()}.csv"
    assert urlsplit(download["url"]).path == "/api/admin/exports/appointments.csv"
    grant = grant_of(download["url"], "appointments_csv")
    assert grant.user_id == users.admin.id
    assert grant.params == {
        "city": str(clinic.city_id),
        "doctor": str(clinic.doctor_id),
        "status": "cancelled",
        "sort": "booked_desc",
    }
    s = await client.state(AdminReportsState)
    assert (s.city, s.doctor, s.status, s.sort) == (
        str(clinic.city_id),
        str(clinic.doctor_id),
        "cancelled",
        "booked_desc",
    )

    # The link works, once fetched by the browser, through the real API; then it is spent.
    api_client = TestClient(api)
    response = api_client.get(download["url"])
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert lines[0].lstrip("\ufeff").startswith("Appointment ID,") and len(lines) == 2
    assert ",cancelled,cancelled," in lines[1]
    assert api_client.get(download["url"]).json() == {"detail": USED_OR_EXPIRED}
    # Clicking again makes a new link, which works.
    events = await client.call(AdminReportsState, "download_csv", form_data=form)
    [again] = downloads(events)
    assert again["url"] != download["url"] and grant_count() == 2
    assert api_client.get(again["url"]).status_code == 200


@pytest.mark.parametrize(
    "form",
    [
        {"status": "DROP TABLE", "doctor": "-1", "from": "yesterday", "sort": "random()"},
        {"hospital": ["1", "2"], "city": {"id": 1}, "page": "99"},
        "status=confirmed",
        None,
        ["confirmed"],
    ],
)
async def test_download_csv_ignores_malformed_form_data(
    make_client: MakeClient, users: Users, clinic: Clinic, form: Any
) -> None:
    client = make_client(users.admin, url=PATH)

    events = await client.call(AdminReportsState, "download_csv", form_data=form)

    assert has_toast(events, "Downloading 2 appointments as CSV.")
    [download] = downloads(events)
    assert grant_of(download["url"], "appointments_csv").params == {}


async def test_choose_month_shows_that_month_and_refuses_anything_else(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    client = make_client(users.admin, url=PATH)
    await client.call(AdminReportsState, "load")

    assert await client.call(AdminReportsState, "choose_month", month="2025-01") == []
    s = await client.state(AdminReportsState)
    assert (s.month, s.month_label, s.doctor_rows) == ("2025-01", "January 2025", [])

    await client.call(AdminReportsState, "choose_month", month=clinic.month)
    assert len((await client.state(AdminReportsState)).doctor_rows) == 1
    before = await values(client)
    for bad in (
        "2025-13",
        "1999-01",
        "",
        None,
        202501,
        ["2025-01"],
        "2025-01' OR 1=1",
        "9" * 10_000,
    ):
        events = await client.call(AdminReportsState, "choose_month", month=bad)
        assert has_toast(events, "Choose a month (YYYY-MM).")
        assert await values(client) == before


@pytest.mark.parametrize("fmt", ["csv", "pdf", "xlsx"])
async def test_download_monthly_links_the_shown_month(
    make_client: MakeClient, users: Users, clinic: Clinic, fmt: str
) -> None:
    client = make_client(users.admin, url=PATH)
    await client.call(AdminReportsState, "load")

    [download] = downloads(await client.call(AdminReportsState, "download_monthly", fmt=fmt))

    assert download["filename"] == f"monthly-summary-{clinic.month}.{fmt}"
    assert urlsplit(download["url"]).path == f"/api/admin/reports/monthly.{fmt}"
    grant = grant_of(download["url"], f"monthly_{fmt}")
    assert (grant.user_id, grant.params) == (users.admin.id, {"month": clinic.month})
    api_client = TestClient(api)
    response = api_client.get(download["url"])
    assert response.status_code == 200
    start = {"pdf": b"%PDF-", "xlsx": b"PK", "csv": b"Monthly summary"}[fmt]
    assert start in response.content[:40]
    assert api_client.get(download["url"]).status_code == 403


@pytest.mark.parametrize(
    "fmt", ["docx", "XLSX", "", None, ["pdf"], {"fmt": "pdf"}, "../etc/passwd"]
)
async def test_download_monthly_ignores_unknown_formats(
    make_client: MakeClient, users: Users, clinic: Clinic, fmt: Any
) -> None:
    client = make_client(users.admin, url=PATH)
    await client.call(AdminReportsState, "load")
    assert await client.call(AdminReportsState, "download_monthly", fmt=fmt) == []
    assert grant_count() == 0


async def test_download_monthly_before_load_asks_for_a_month(
    make_client: MakeClient, users: Users
) -> None:
    client = make_client(users.admin, url=PATH)
    events = await client.call(AdminReportsState, "download_monthly", fmt="pdf")
    assert has_toast(events, "Choose a month (YYYY-MM).") and downloads(events) == []
    assert grant_count() == 0


async def test_in_dev_mode_the_link_names_the_backend_port(
    make_client: MakeClient, users: Users, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``reflex run`` in dev mode serves the API on the backend's port, not the page's."""
    dev = SimpleNamespace(frontend_port=3000, backend_port=8000, api_url="http://localhost:8000")
    monkeypatch.setattr(shared_downloads, "get_config", lambda: dev)
    client = make_client(users.admin, url=PATH)
    await client.call(AdminReportsState, "load")

    events = await client.call(AdminReportsState, "download_monthly", fmt="csv")

    [url] = redirects(events)
    assert url.startswith("http://localhost:8000/api/admin/reports/monthly.csv?grant=")
    assert grant_of(url, "monthly_csv").user_id == users.admin.id


@pytest.mark.parametrize(
    ("name", "kwargs", "maker"),
    [
        ("download_csv", {"form_data": {}}, "export_link"),
        ("download_monthly", {"fmt": "pdf"}, "monthly_link"),
    ],
)
async def test_an_admin_deactivated_mid_click_gets_a_message_not_a_link(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    kwargs: dict[str, Any],
    maker: str,
) -> None:
    """Another admin deactivates this one between the guard's check and the link."""
    client = make_client(users.admin, url=PATH)
    await client.call(AdminReportsState, "load")
    real = getattr(reports_state, maker)

    def deactivated_first(db: Session, *args: Any, **kw: Any) -> str:
        db.get(User, users.admin.id).is_active = False
        return real(db, *args, **kw)

    monkeypatch.setattr(reports_state, maker, deactivated_first)

    events = await client.call(AdminReportsState, name, **kwargs)

    assert has_toast(events, "Only administrators can download reports.")
    assert downloads(events) == [] and grant_count() == 0


async def test_long_monthly_tables_page_and_junk_pages_are_ignored(
    make_client: MakeClient, users: Users, session: Session, clinic: Clinic
) -> None:
    hospital = create_hospital(session)
    day = date.fromisoformat(f"{clinic.month}-10")
    for n in range(ROWS_PER_PAGE + 4):  # the clinic's doctor and these: two pages of doctors
        doctor = create_doctor(session, hospital=hospital, name=f"Dr. Page {n:02d}")
        create_appointment(session, doctor=doctor, start_at=local(day, "09:00"))
    client = make_client(users.admin, url=PATH)
    await client.call(AdminReportsState, "load")
    state = await client.state(AdminReportsState)
    assert (len(state.doctor_rows), state.doctor_page, state.doctor_pages) == (ROWS_PER_PAGE, 1, 2)
    first_page = [row["doctor"] for row in state.doctor_rows]
    await client.call(AdminReportsState, "show_doctor_rows", page=2)
    state = await client.state(AdminReportsState)
    assert (len(state.doctor_rows), state.doctor_page) == (5, 2)
    assert not {row["doctor"] for row in state.doctor_rows} & set(first_page)
    for junk in (0, 3, -1, "two", None, [2], 10**9):
        await client.call(AdminReportsState, "show_doctor_rows", page=junk)
        state = await client.state(AdminReportsState)
        assert (state.doctor_page, len(state.doctor_rows)) == (2, 5)
    assert (state.hospital_pages, len(state.hospital_rows)) == (1, 2)
    assert state.totals["bookings"] == str(ROWS_PER_PAGE + 4 + 2)  # totals cover every row
