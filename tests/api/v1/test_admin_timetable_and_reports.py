"""Admin: the timetable (a doctor's day, blocking and unblocking slots) and the reports
(the filtered appointments streamed as CSV, the monthly summary as JSON, CSV and PDF,
each audited as a download) over the API; the one-time download links keep working."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import AuditEvent, TimeOff
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.reports import download_links
from healthcareplus.domain.reports.months import previous_month
from tests.api.v1.conftest import V1, problem
from tests.api.v1.staff_data import AdminWorld, build_admin_world, refused_unchanged
from tests.factories import local

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
TIMETABLE = f"{V1}/admin/timetable"
REPORTS = f"{V1}/admin/reports"


@pytest.fixture
def world(client, db: Session) -> AdminWorld:
    return build_admin_world(client, db)


def _weekday_ahead(world: AdminWorld, *, at_least: int) -> int:
    """Days from today to a Monday–Friday (Anil's working days) at least ``at_least`` ahead."""
    n = at_least
    while (world.clinic.today + timedelta(days=n)).weekday() > 4:
        n += 1
    return n


def test_a_doctors_day_and_its_slots(client, db, world) -> None:
    c = world.clinic
    n = _weekday_ahead(world, at_least=4)
    day = c.today + timedelta(days=n)
    grid = client.get(
        TIMETABLE,
        params={"doctor_id": c.anil.id, "date": day.isoformat()},
        headers=world.reader_key,
    )
    assert grid.status_code == 200, grid.text
    body = grid.json()
    assert body["doctor_name"] == "Dr. Anil Rao" and body["working"] is True
    assert body["available"] == 16 and len(body["slots"]) == 16  # 09:00–13:00, 15 minutes
    first = body["slots"][0]
    assert (
        first["state"] == "available" and first["can_block"] and first["time_label"] == "09:00 AM"
    )

    start = local(day, "09:00").isoformat()
    blocked = client.post(
        f"{TIMETABLE}/block",
        headers=world.writer_key,
        json={"doctor_id": c.anil.id, "start_at": start, "reason": "Staff meeting"},
    )
    assert blocked.status_code == 200, blocked.text
    assert blocked.json()["message"].startswith("Blocked 09:00 AM on")
    again = client.get(
        TIMETABLE,
        params={"doctor_id": c.anil.id, "date": day.isoformat()},
        headers=world.reader_key,
    ).json()
    assert again["slots"][0]["state"] == "blocked" and again["slots"][0]["can_unblock"]
    assert again["slots"][0]["block_reason"] == "Staff meeting"
    same = {"doctor_id": c.anil.id, "start_at": start}
    refused_unchanged(
        client, db, [("POST", "/admin/timetable/block", same)], world.admin_headers, 409
    )
    unblocked = client.post(f"{TIMETABLE}/unblock", headers=world.admin_headers, json=same)
    assert unblocked.status_code == 200
    assert db.exec(select(TimeOff)).all() == []
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.entity == "doctor")).all()
    assert actions == ["slot_blocked", "slot_unblocked"]


def test_refused_slot_changes_change_nothing(client, db, world) -> None:
    c = world.clinic
    day = c.today + timedelta(days=_weekday_ahead(world, at_least=4))
    booked_slot = {"doctor_id": c.anil.id, "start_at": world["a4"].start_at.isoformat()}
    no_slot = {"doctor_id": c.anil.id, "start_at": local(day, "15:00").isoformat()}
    gone_by = {"doctor_id": c.anil.id, "start_at": local(c.today - timedelta(days=7), "09:00")
               .isoformat()}  # fmt: skip
    headers = world.admin_headers
    # A booked slot, and one gone by, on a working day (Monday to Friday); else no slot.
    tomorrow_works = (c.today + timedelta(days=1)).weekday() < 5
    today_works = c.today.weekday() < 5
    for body, works in ((booked_slot, tomorrow_works), (gone_by, today_works)):
        status = 409 if works else 404
        refused_unchanged(client, db, [("POST", "/admin/timetable/block", body)], headers, status)
    refused_unchanged(client, db, [("POST", "/admin/timetable/block", no_slot)], headers, 404)
    refused_unchanged(client, db, [("POST", "/admin/timetable/unblock", no_slot)], headers, 404)
    naive = {"doctor_id": c.anil.id, "start_at": "2026-12-01T09:00:00"}
    refused_unchanged(client, db, [("POST", "/admin/timetable/block", naive)], headers, 422)
    problem(client.get(TIMETABLE, params={"doctor_id": c.bela.id}, headers=headers), 404)
    body = problem(
        client.get(
            TIMETABLE, params={"doctor_id": c.anil.id, "date": "9999-12-31"}, headers=headers
        ),
        422,
    )
    assert [e["field"] for e in body["errors"]] == ["date"]


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_appointments_csv_follows_the_filters(client, db, world) -> None:
    c = world.clinic
    everything = client.get(f"{REPORTS}/appointments.csv", headers=world.reader_key)
    assert everything.headers["content-type"] == "text/csv; charset=utf-8"
    assert everything.headers["content-disposition"].startswith(
        'attachment; filename="appointments-'
    )
    assert everything.headers["cache-control"] == "no-store"
    rows = _rows(everything)
    assert rows[0][0] == "Appointment ID" and len(rows) == 13
    mumbai = _rows(
        client.get(
            f"{REPORTS}/appointments.csv",
            params={"city_id": c.mumbai.id, "sort": "start_asc"},
            headers=world.admin_headers,
        )
    )
    assert [r[0] for r in mumbai[1:]] == [world["a11"].id, world["a10"].id]
    audits = db.exec(
        select(AuditEvent.actor_user_id, AuditEvent.entity_id, AuditEvent.detail).where(
            AuditEvent.action == "report_downloaded"
        )
    ).all()
    assert audits == [
        (world.admin.id, "appointments_csv", {}),
        (world.admin.id, "appointments_csv", {"city": str(c.mumbai.id), "sort": "start_asc"}),
    ]


def test_the_monthly_summary(client, db, world) -> None:
    year, month = previous_month(utcnow())
    default = client.get(f"{REPORTS}/monthly", headers=world.reader_key).json()
    assert (default["year"], default["month"]) == (year, month)
    this = world.clinic.today.strftime("%Y-%m")
    report = client.get(f"{REPORTS}/monthly", params={"month": this}, headers=world.reader_key)
    assert report.status_code == 200
    totals = report.json()["totals"]
    assert totals["bookings"] >= 1 and "revenue_label" in totals
    assert {d["doctor"] for d in report.json()["doctors"]} <= {
        "Dr. Anil Rao", "Dr. Bela Shah", "Dr. Chitra Iyer", "Dr. Dinesh Kumar"
    }  # fmt: skip
    as_csv = client.get(f"{REPORTS}/monthly.csv", params={"month": this}, headers=world.reader_key)
    assert as_csv.status_code == 200
    assert as_csv.headers["content-disposition"] == (
        f'attachment; filename="monthly-summary-{this}.csv"'
    )
    pdf = client.get(f"{REPORTS}/monthly.pdf", params={"month": this}, headers=world.admin_headers)
    assert pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    workbook = client.get(
        f"{REPORTS}/monthly.xlsx", params={"month": this}, headers=world.reader_key
    )
    assert workbook.status_code == 200 and workbook.content.startswith(b"PK")
    downloads = db.exec(
        select(AuditEvent.entity_id).where(AuditEvent.action == "report_downloaded")
    ).all()
    assert downloads == [
        "monthly_csv",
        "monthly_pdf",
        "monthly_xlsx",
    ]  # the JSON is a read, not a file
    for bad in ("2026-13", "1999-01", "March"):
        body = problem(
            client.get(f"{REPORTS}/monthly.csv", params={"month": bad}, headers=world.reader_key),
            422,
        )
        assert [e["field"] for e in body["errors"]] == ["month"]


def test_the_one_time_links_still_work_beside_the_api(client, db, world) -> None:
    link = download_links.export_link(db, world.admin.id, AdminFilters(), utcnow())
    db.commit()
    first = client.get(link)
    assert first.status_code == 200 and len(_rows(first)) == 13
    assert client.get(link).status_code == 403  # used up
