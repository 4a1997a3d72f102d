"""The doctor portal over the API: a doctor's own day, visits, records and closing them,
with the website's rules; everyone else is refused, and a refused write changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus.core.models import Appointment, AuditEvent, Treatment
from tests.api.v1.conftest import PROBLEM_JSON, V1, problem
from tests.api.v1.staff_data import (
    Call,
    Staff,
    api_key,
    booked,
    build_staff,
    refused_unchanged,
    send,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
RECORD = {
    "visit_type": "consultation",
    "diagnosis": "  Viral fever ",
    "notes": "Review in three days.",
    "items": [
        {
            "medicine": "Paracetamol 650 mg",
            "dose": "1 tablet",
            "frequency": "TDS",
            "duration": "3d",
        },
        {"medicine": "", "dose": "", "frequency": "", "duration": ""},
    ],
}


@pytest.fixture
def staff(client, db: Session) -> Staff:
    return build_staff(client, db)


@pytest.fixture
def visits(staff: Staff, db: Session) -> dict[str, Appointment]:
    """Kavya's visits: today, two days ahead (paid), yesterday (to close) and ten days
    ago (completed, with a record); one of Ravi's."""
    today, asha = staff.today, staff.patient
    rows = {
        "today": booked(db, staff.doctor, asha, today, "09:00"),
        "ahead": booked(db, staff.doctor, asha, today + timedelta(days=2), "10:00", paid=True),
        "past": booked(db, staff.doctor, asha, today - timedelta(days=1), "10:00"),
        "earlier": booked(
            db, staff.doctor, asha, today - timedelta(days=10), "10:00", status="completed"
        ),
        "theirs": booked(db, staff.other_doctor, asha, today + timedelta(days=2), "10:00"),
    }
    db.add(
        Treatment(
            appointment_id=rows["earlier"].id,
            doctor_id=staff.doctor.id,
            patient_id=asha.id,
            diagnosis="Seasonal allergy",
            created_at=rows["earlier"].start_at,
            updated_at=rows["earlier"].start_at,
        )
    )
    db.commit()
    return rows


def test_the_dashboard_shows_today_the_week_and_visits_to_close(client, staff, visits) -> None:
    response = client.get(f"{V1}/doctor/dashboard", headers=staff.doctor_headers)
    assert response.status_code == 200, response.text
    board = response.json()
    assert board["doctor_name"] == "Dr. Kavya Menon"
    assert board["hospital_name"] == "Sunrise Hospital"
    assert [v["appointment_id"] for v in board["today"]] == [visits["today"].id]
    assert [v["appointment_id"] for v in board["upcoming"]] == [visits["ahead"].id]
    assert [v["appointment_id"] for v in board["to_close"]] == [visits["past"].id]
    assert board["to_close"][0]["status_label"] == "To close"
    ahead = board["upcoming"][0]
    assert ahead["patient_name"] == "Asha Rao" and ahead["payment_status"] == "Success"
    assert ahead["start_at"].startswith(visits["ahead"].start_at.strftime("%Y-%m-%dT%H:%M"))
    assert board["counts"]["today"] == 1 and board["counts"]["patients_seen"] == 1


def test_a_visit_shows_the_patient_history_and_what_may_be_done(client, staff, visits) -> None:
    response = client.get(f"{V1}/doctor/visits/{visits['past'].id}", headers=staff.doctor_headers)
    assert response.status_code == 200
    visit = response.json()
    assert visit["patient"]["blood_group"] == "B+"
    assert visit["patient"]["allergies"] == "Penicillin"
    assert visit["patient"]["medical_history"] == "Asthma since childhood"
    assert [(h["appointment_id"], h["diagnosis"]) for h in visit["history"]] == [
        (visits["earlier"].id, "Seasonal allergy")
    ]
    assert visit["can_complete"] and visit["can_no_show"] and visit["can_treat"]
    assert not visit["can_cancel"] and visit["treatment"] is None

    ahead = client.get(f"{V1}/doctor/visits/{visits['ahead'].id}", headers=staff.doctor_headers)
    assert ahead.json()["can_cancel"] and not ahead.json()["can_complete"]


def test_the_treatment_record_is_written_read_and_printed(client, db, staff, visits) -> None:
    path = f"{V1}/doctor/visits/{visits['past'].id}/treatment"
    problem(client.get(path, headers=staff.doctor_headers), 404, "not-found")
    saved = client.put(path, headers=staff.doctor_headers, json=RECORD)
    assert saved.status_code == 200, saved.text
    record = saved.json()
    assert record["diagnosis"] == "Viral fever" and record["visit_type_label"] == "Consultation"
    assert [i["medicine"] for i in record["items"]] == ["Paracetamol 650 mg"]
    assert client.get(path, headers=staff.doctor_headers).json() == record

    again = client.put(path, headers=staff.doctor_headers, json={**RECORD, "items": []})
    assert again.json()["items"] == [] and again.json()["id"] == record["id"]
    pdf = client.get(
        f"{V1}/doctor/visits/{visits['past'].id}/prescription.pdf", headers=staff.doctor_headers
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.entity == "treatment")).all()
    assert actions == ["treatment_created", "treatment_updated"]


def test_refused_records_name_the_fields_and_change_nothing(client, db, staff, visits) -> None:
    past = f"/doctor/visits/{visits['past'].id}/treatment"
    bad = {**RECORD, "visit_type": "surgery", "diagnosis": " ", "items": [{"medicine": ""}] * 0}
    before_items = [{"medicine": "", "dose": "5 ml", "frequency": "", "duration": ""}]
    refused_unchanged(client, db, [("PUT", past, bad)], staff.doctor_headers, 422)
    body = problem(send(client, ("PUT", past, bad), staff.doctor_headers), 422)
    assert sorted(e["field"] for e in body["errors"]) == ["diagnosis", "visit_type"]
    line = problem(
        send(client, ("PUT", past, {**RECORD, "items": before_items}), staff.doctor_headers), 422
    )
    assert [e["field"] for e in line["errors"]] == ["medicine-0"]
    ahead = f"/doctor/visits/{visits['ahead'].id}/treatment"  # not started yet
    refused_unchanged(client, db, [("PUT", ahead, RECORD)], staff.doctor_headers, 409, "conflict")


def test_closing_visits(client, db, staff, visits) -> None:
    headers = staff.doctor_headers
    done = client.post(f"{V1}/doctor/visits/{visits['past'].id}/complete", headers=headers)
    assert done.status_code == 200, done.text
    assert done.json() == {
        "appointment_id": visits["past"].id,
        "status": "completed",
        "message": "Visit marked completed.",
    }
    # Once completed it cannot be a no-show, nor completed again: 409, nothing changes.
    closing = [
        ("POST", f"/doctor/visits/{visits['past'].id}/no-show", None),
        ("POST", f"/doctor/visits/{visits['past'].id}/complete", None),
        ("POST", f"/doctor/visits/{visits['ahead'].id}/no-show", None),  # still ahead
    ]
    refused_unchanged(client, db, closing, headers, 409, "conflict")

    short = ("POST", f"/doctor/visits/{visits['ahead'].id}/cancel", {"reason": "x"})
    refused_unchanged(client, db, [short], headers, 422, "validation-failed")
    cancelled = client.post(
        f"{V1}/doctor/visits/{visits['ahead'].id}/cancel",
        headers=headers,
        json={"reason": "Called away to an emergency"},
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["message"] == "Appointment cancelled. The payment is refunded."
    db.expire_all()
    row = db.get(Appointment, visits["ahead"].id)
    assert row.payment_status == "Refunded" and row.cancel_reason == "Called away to an emergency"


def test_a_no_show_is_marked_on_a_visit_gone_by(client, staff, visits) -> None:
    response = client.post(
        f"{V1}/doctor/visits/{visits['past'].id}/no-show", headers=staff.doctor_headers
    )
    assert response.json()["status"] == "no_show"


def _visit_calls(visits: dict[str, Appointment], key: str) -> list[Call]:
    base = f"/doctor/visits/{visits[key].id}"
    return [
        ("GET", base, None),
        ("GET", f"{base}/treatment", None),
        ("PUT", f"{base}/treatment", RECORD),
        ("GET", f"{base}/prescription.pdf", None),
        ("POST", f"{base}/complete", None),
        ("POST", f"{base}/no-show", None),
        ("POST", f"{base}/cancel", {"reason": "Not my patient"}),
    ]


def test_another_doctors_visit_is_not_found(client, db, staff, visits) -> None:
    calls = _visit_calls(visits, "theirs")
    refused_unchanged(client, db, calls, staff.doctor_headers, 404, "not-found")
    for call in _visit_calls(visits, "ahead"):  # Kavya's visit, asked by Ravi
        body = problem(send(client, call, staff.other_headers), 404, "not-found")
        assert body["detail"] == "Appointment not found."
    problem(client.get(f"{V1}/doctor/visits/not-an-id", headers=staff.doctor_headers), 404)


def test_only_doctors_signed_in_reach_the_portal(client, db, staff, visits) -> None:
    key = api_key(client, staff.admin_headers, "appointments:read", "appointments:write")
    calls: list[Call] = [("GET", "/doctor/dashboard", None), *_visit_calls(visits, "past")]
    refused_unchanged(client, db, calls, {}, 401, "unauthorized")
    for headers in (staff.patient_headers, staff.admin_headers, key):
        refused_unchanged(client, db, calls, headers, 403, "forbidden")
    anonymous = send(client, calls[0], {})
    assert anonymous.headers["content-type"] == PROBLEM_JSON
    assert anonymous.headers["www-authenticate"].startswith("Bearer")


def test_a_deactivated_doctor_is_refused(client, db, staff, visits) -> None:
    staff.doctor.is_active = False  # the profile only: the login still works
    db.add(staff.doctor)
    db.commit()
    body = problem(client.get(f"{V1}/doctor/dashboard", headers=staff.doctor_headers), 403)
    assert body["detail"] == "Only a doctor with a practice profile can open the doctor portal."
