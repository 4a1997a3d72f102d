"""A doctor's weekly hours and time off over the API: a change over booked appointments
is refused with 409 listing them until the request names them to be cancelled (the
website's confirm step); refusals change nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core.models import Appointment, AuditEvent, TimeOff
from tests.api.v1.conftest import PROBLEM_JSON, V1, problem
from tests.api.v1.staff_data import (
    EVERY_DAY,
    Call,
    Staff,
    api_key,
    booked,
    build_staff,
    refused_unchanged,
    snapshot,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
HOURS = f"{V1}/doctor/weekly-hours"
TIME_OFF = f"{V1}/doctor/time-off"
SOON = object()  # a week ahead, filled in by the test


def week(*, without: int | None = None) -> list[dict[str, Any]]:
    return [
        {"weekday": d, "start": s, "end": e, "slot_minutes": m}
        for d, s, e, m in EVERY_DAY
        if d != without
    ]


@pytest.fixture
def staff(client, db: Session) -> Staff:
    return build_staff(client, db)


@pytest.fixture
def ahead(staff: Staff, db: Session) -> Appointment:
    """A paid visit with Kavya three days ahead at 10:00."""
    day = staff.today + timedelta(days=3)
    return booked(db, staff.doctor, staff.patient, day, "10:00", paid=True)


def conflict(response: Any) -> dict[str, Any]:
    """A 409 problem with ``affected`` (the one extension member of this API's problems)."""
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["type"] == f"{V1}/problems/conflict" and body["status"] == 409
    assert body["instance"] == response.request.url.path
    assert set(body) == {"type", "title", "status", "detail", "instance", "affected"}
    return body


def test_the_weekly_hours_are_read_and_replaced(client, db, staff) -> None:
    shown = client.get(HOURS, headers=staff.doctor_headers).json()
    assert len(shown["blocks"]) == 7 and shown["cancelled"] == []
    assert shown["blocks"][0] == {
        "weekday": 0,
        "day_name": "Monday",
        "start": "09:00",
        "end": "13:00",
        "slot_minutes": 15,
        "label": "09:00 AM – 01:00 PM",
    }
    saved = client.put(
        HOURS,
        headers=staff.doctor_headers,
        json={"blocks": [{"weekday": 2, "start": "14:00", "end": "18:00", "slot_minutes": 20}]},
    )
    assert saved.status_code == 200, saved.text
    assert [b["label"] for b in saved.json()["blocks"]] == ["02:00 PM – 06:00 PM"]
    assert client.get(HOURS, headers=staff.doctor_headers).json() == saved.json()
    assert db.exec(select(AuditEvent.action)).all() == ["schedule_updated"]


def test_stranding_a_booking_needs_its_cancellation(client, db, staff, ahead) -> None:
    change = {"blocks": week(without=ahead.start_at.astimezone(staff.tz).weekday())}
    before = snapshot(db)
    body = conflict(client.put(HOURS, headers=staff.doctor_headers, json=change))
    assert body["detail"].startswith("This change would remove 1 booked appointment.")
    assert [(a["id"], a["patient_name"], a["paid"]) for a in body["affected"]] == [
        (ahead.id, "Asha Rao", True)
    ]
    assert body["affected"][0]["time_label"] == "10:00 AM"
    # Agreeing to cancel other appointments (or none) is no consent for this one.
    conflict(
        client.put(HOURS, headers=staff.doctor_headers, json={**change, "cancel_appointments": []})
    )
    # Consent needs a reason for the patients.
    consent = {**change, "cancel_appointments": [ahead.id]}
    refused = problem(client.put(HOURS, headers=staff.doctor_headers, json=consent), 422)
    assert [e["field"] for e in refused["errors"]] == ["cancel_reason"]
    assert snapshot(db) == before

    done = client.put(
        HOURS,
        headers=staff.doctor_headers,
        json={**consent, "cancel_reason": "I no longer work that day"},
    )
    assert done.status_code == 200, done.text
    assert [a["id"] for a in done.json()["cancelled"]] == [ahead.id]
    assert len(done.json()["blocks"]) == 6
    db.expire_all()
    row = db.get(Appointment, ahead.id)
    assert (row.status, row.payment_status) == ("cancelled", "Refunded")
    assert row.cancel_reason == "I no longer work that day"


def test_time_off_is_listed_added_and_removed(client, db, staff) -> None:
    day = staff.today + timedelta(days=5)
    added = client.post(
        TIME_OFF,
        headers=staff.doctor_headers,
        json={"kind": "hours", "date_from": day.isoformat(), "time_from": "09:00",
              "time_to": "11:00", "reason": " Conference "},
    )  # fmt: skip
    assert added.status_code == 201, added.text
    entry = added.json()
    assert entry["reason"] == "Conference" and entry["cancelled"] == []
    assert added.headers["location"] == f"/doctor/time-off/{entry['id']}"
    listed = client.get(TIME_OFF, headers=staff.doctor_headers).json()["items"]
    assert [i["id"] for i in listed] == [entry["id"]]
    assert listed[0]["label"].endswith("09:00 AM – 11:00 AM")

    removed = client.delete(f"{TIME_OFF}/{entry['id']}", headers=staff.doctor_headers)
    assert removed.status_code == 204
    assert client.get(TIME_OFF, headers=staff.doctor_headers).json() == {"items": []}
    problem(client.delete(f"{TIME_OFF}/{entry['id']}", headers=staff.doctor_headers), 404)


def test_time_off_over_a_booking_needs_its_cancellation(client, db, staff, ahead) -> None:
    day = ahead.start_at.astimezone(staff.tz).date().isoformat()
    leave = {"kind": "day", "date_from": day, "reason": "Family wedding"}
    before = snapshot(db)
    body = conflict(client.post(TIME_OFF, headers=staff.doctor_headers, json=leave))
    assert [a["id"] for a in body["affected"]] == [ahead.id]
    assert snapshot(db) == before
    done = client.post(
        TIME_OFF, headers=staff.doctor_headers, json={**leave, "cancel_appointments": [ahead.id]}
    )
    assert done.status_code == 201, done.text
    assert [a["id"] for a in done.json()["cancelled"]] == [ahead.id]
    db.expire_all()
    assert db.get(Appointment, ahead.id).cancel_reason == "Family wedding"  # the default


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"kind": "week", "date_from": "2026-12-01", "reason": "Leave"}, ["kind"]),
        ({"kind": "day", "date_from": "9999-12-31", "reason": "Leave"}, ["date_from"]),
        ({"kind": "range", "date_from": "2100-12-31", "date_to": "2100-12-30", "reason": "x"},
         ["date_to"]),
        ({"kind": "hours", "date_from": SOON, "time_from": "25:00", "reason": "x"},
         ["time_from"]),
        ({"kind": "day", "date_from": "2000-01-01", "reason": "Leave"}, ["start"]),
        ({"kind": "day", "date_from": SOON, "reason": ""}, ["reason"]),
        ({"kind": "day", "date_from": "someday", "reason": "Leave"}, ["date_from"]),
        ({"kind": "day", "date_from": SOON, "reason": "Leave", "who": 1}, ["who"]),
    ],
)  # fmt: skip
def test_refused_time_off_names_its_fields(client, db, staff, body, fields) -> None:
    soon = (staff.today + timedelta(days=7)).isoformat()
    body = {k: soon if v is SOON else v for k, v in body.items()}
    before = snapshot(db)
    refused = problem(client.post(TIME_OFF, headers=staff.doctor_headers, json=body), 422)
    assert sorted(e["field"] for e in refused["errors"]) == fields
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("blocks", "field"),
    [
        ([{"weekday": 0, "start": "13:00", "end": "09:00", "slot_minutes": 15}], "day-0"),
        ([{"weekday": 1, "start": "09:00", "end": "13:00", "slot_minutes": 25}], "day-1"),
        ([{"weekday": 7, "start": "09:00", "end": "13:00", "slot_minutes": 15}], "blocks"),
        ([{"weekday": 3, "start": "05:00", "end": "13:00", "slot_minutes": 15}], "day-3"),
    ],
)
def test_refused_weekly_hours_name_the_day(client, db, staff, blocks, field) -> None:
    before = snapshot(db)
    refused = problem(client.put(HOURS, headers=staff.doctor_headers, json={"blocks": blocks}), 422)
    assert [e["field"] for e in refused["errors"]] == [field]
    assert snapshot(db) == before


def test_only_the_doctor_changes_their_own_schedule(client, db, staff) -> None:
    theirs = TimeOff(
        doctor_id=staff.other_doctor.id,
        start_at=staff.now_plus(days=4),
        end_at=staff.now_plus(days=5),
        reason="Leave",
    )
    db.add(theirs)
    db.commit()
    # Another doctor's time off is not found among yours.
    refused_unchanged(
        client, db, [("DELETE", f"/doctor/time-off/{theirs.id}", None)], staff.doctor_headers, 404
    )
    soon = (staff.today + timedelta(days=7)).isoformat()
    calls: list[Call] = [
        ("GET", "/doctor/weekly-hours", None),
        ("PUT", "/doctor/weekly-hours", {"blocks": []}),
        ("GET", "/doctor/time-off", None),
        ("POST", "/doctor/time-off", {"kind": "day", "date_from": soon, "reason": "Leave"}),
        ("DELETE", f"/doctor/time-off/{theirs.id}", None),
    ]
    key = api_key(client, staff.admin_headers, "admin:write", "appointments:write")
    refused_unchanged(client, db, calls, {}, 401, "unauthorized")
    for headers in (staff.patient_headers, staff.admin_headers, key):
        refused_unchanged(client, db, calls, headers, 403, "forbidden")
