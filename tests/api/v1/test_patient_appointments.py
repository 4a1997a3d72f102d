"""A patient's appointments through the API: book, list, details, the calendar file and the
prescription, each with the website's rules; another patient's appointment is a 404,
doctors, admins and API keys are refused. (Cancelling and moving: test_patient_changes.)"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from healthcareplus.core.models import Appointment, AuditEvent, Role, User
from healthcareplus.domain.booking.appointments import SLOT_JUST_TAKEN
from healthcareplus.domain.clinical.records import NO_RECORD
from tests.api.v1.conftest import V1, problem
from tests.api.v1.patient_helpers import (
    APPOINTMENTS,
    UPI,
    Person,
    Surgery,
    book,
    booked,
    completed_visit,
    iso,
    paid,
    person,
    slot,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_booking_holds_the_slot_for_payment(client, db: Session, surgery, asha) -> None:
    start = slot()
    response = book(client, asha, surgery, start)
    assert response.status_code == 201
    body = response.json()
    assert response.headers["location"] == f"{APPOINTMENTS}/{body['id']}"
    assert response.headers["cache-control"] == "no-store"
    assert int(response.headers["ratelimit-remaining"]) >= 0  # every answer carries them
    assert body["status"] == "pending_payment" and body["time_status"] == "pending_payment"
    assert body["start_at"] == iso(start) and body["reason"] == "Fever for 3 days"
    assert body["doctor"] == {
        "id": surgery.doctor.id,
        "name": "Dr. Kavya Menon",
        "specialization": surgery.doctor.specialization,
    }
    assert body["place"]["hospital"] == "Sunrise Hospital" and body["place"]["city"] == "Bengaluru"
    assert body["fee_paise"] == 50_000 and body["fee_label"] == "₹500"
    assert body["hold_expires_at"] is not None
    assert body["payment"]["status"] == "Pending" and body["payment"]["method"] is None
    assert body["actions"] == {"can_pay": True, "can_cancel": True, "can_reschedule": False}
    stored = db.exec(select(Appointment)).one()
    assert (stored.patient_id, stored.doctor_id) == (asha.id, surgery.doctor.id)
    audited = db.exec(select(AuditEvent.action, AuditEvent.actor_user_id)).all()
    assert ("booked", asha.id) in audited


def test_booking_refusals_are_the_websites(client, db: Session, surgery, asha, ravi) -> None:
    start = slot()
    booked(client, asha, surgery, start)
    taken = problem(book(client, ravi, surgery, start), 409, "slot-unavailable")
    assert taken["detail"] == SLOT_JUST_TAKEN
    overlap = problem(book(client, asha, surgery, start), 409)
    assert overlap["detail"] in (SLOT_JUST_TAKEN, "You already have an appointment at that time.")
    past = problem(book(client, ravi, surgery, slot(days=-1)), 409, "slot-unavailable")
    assert "passed" in past["detail"]
    off_grid = problem(book(client, ravi, surgery, slot(hhmm="10:07")), 409, "slot-unavailable")
    assert off_grid["detail"] == "The doctor has no appointment slot at that time."
    too_far = problem(book(client, ravi, surgery, slot(days=400)), 409, "slot-unavailable")
    assert "days ahead" in too_far["detail"]
    short = problem(book(client, ravi, surgery, slot(days=3), reason="x"), 422, "validation-failed")
    assert short["errors"] == [
        {"field": "reason", "detail": "Describe the reason in at least 3 characters."}
    ]
    long = problem(book(client, ravi, surgery, slot(days=3), reason="y" * 501), 422)
    assert long["errors"][0]["detail"] == "Keep the reason under 500 characters."
    problem(book(client, ravi, surgery, slot(days=3), doctor_id=999_999), 404, "not-found")
    naive = book(client, ravi, surgery, slot(days=3), start_at="2030-01-01T10:00:00")
    assert problem(naive, 422)["errors"][0]["field"] == "start_at"
    assert len(db.exec(select(Appointment)).all()) == 1


def test_who_may_call_the_patient_endpoints(client, db: Session, surgery, asha, ravi) -> None:
    appointment_id = booked(client, asha, surgery, slot())
    mine = f"{APPOINTMENTS}/{appointment_id}"
    calls = [
        ("get", APPOINTMENTS, None),
        ("post", APPOINTMENTS, {"doctor_id": surgery.doctor.id, "start_at": iso(slot(3))}),
        ("get", mine, None),
        ("post", f"{mine}/cancel", {}),
        ("post", f"{mine}/reschedule", {"start_at": iso(slot(3))}),
        ("post", f"{mine}/payment", UPI),
        ("get", f"{mine}/calendar.ics", None),
        ("get", f"{mine}/prescription.pdf", None),
        ("get", f"{V1}/me/profile", None),
        ("patch", f"{V1}/me/profile", {"blood_group": "O+"}),
    ]
    doctor = person(client, db, Role.DOCTOR)
    admin = person(client, db, Role.ADMIN)
    key = client.post(
        f"{V1}/admin/api-keys",
        headers=admin.headers,
        json={"name": "Clinic desk", "scopes": ["appointments:read", "appointments:write"]},
    ).json()["key"]
    for method, url, body in calls:
        kwargs = {"json": body} if body is not None else {}
        problem(client.request(method, url, **kwargs), 401, "unauthorized")
        for caller in (doctor.headers, admin.headers, {"X-API-Key": key}):
            problem(client.request(method, url, headers=caller, **kwargs), 403, "forbidden")
    # Another patient: the appointment does not exist for them.
    for method, url, body in calls[2:8]:
        kwargs = {"json": body} if body is not None else {}
        answer = problem(client.request(method, url, headers=ravi.headers, **kwargs), 404)
        assert answer["detail"] in ("Appointment not found.", NO_RECORD)
    assert client.get(mine, headers=ravi.headers).json()["detail"] == "Appointment not found."
    # A blocked patient's tokens stop working at once.
    user = db.get(User, asha.id)
    user.is_blocked = True
    db.add(user)
    db.commit()
    problem(client.get(APPOINTMENTS, headers=asha.headers), 401, "invalid-token")
    db.expire_all()
    assert db.get(Appointment, appointment_id).status == "pending_payment"


def test_lists_page_with_cursors(client, db: Session, surgery, asha, ravi) -> None:
    starts = [slot(days=d, hhmm=h) for d in (2, 3) for h in ("09:00", "09:15", "09:30")]
    ids = [booked(client, asha, surgery, start) for start in starts]
    booked(client, ravi, surgery, slot(days=4))  # someone else's: never listed
    seen, cursor = [], None
    while True:
        params = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        page = client.get(APPOINTMENTS, params=params, headers=asha.headers)
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        body = page.json()
        assert body["tab"] == "upcoming"
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == ids  # soonest first, each once
    past = client.get(APPOINTMENTS, params={"tab": "past"}, headers=asha.headers).json()
    assert past == {"items": [], "tab": "past", "next_cursor": None}

    for called_off in (ids[0], ids[3]):
        cancelled = client.post(f"{APPOINTMENTS}/{called_off}/cancel", headers=asha.headers)
        assert cancelled.status_code == 200
    old = completed_visit(db, surgery, db.get(User, asha.id))
    past = client.get(APPOINTMENTS, params={"tab": "past"}, headers=asha.headers).json()
    assert [i["id"] for i in past["items"]] == [old.id]  # a visit called off is not past
    first = client.get(
        APPOINTMENTS, params={"tab": "cancelled", "limit": 1}, headers=asha.headers
    ).json()
    assert first["tab"] == "cancelled"
    assert [i["id"] for i in first["items"]] == [ids[3]]  # the latest visit first
    more = client.get(
        APPOINTMENTS,
        params={"tab": "cancelled", "limit": 1, "cursor": first["next_cursor"]},
        headers=asha.headers,
    ).json()
    assert [i["id"] for i in more["items"]] == [ids[0]] and more["next_cursor"] is None

    for other_tab in ({}, {"tab": "past"}):  # upcoming (the default) and past
        wrong_tab = client.get(
            APPOINTMENTS,
            params={**other_tab, "cursor": first["next_cursor"]},
            headers=asha.headers,
        )
        assert problem(wrong_tab, 422)["errors"][0]["field"] == "cursor"
    for junk in ("x", "e30", "eyJ2IjoxfQ", "!!!"):
        bad = client.get(APPOINTMENTS, params={"cursor": junk}, headers=asha.headers)
        assert problem(bad, 422)["errors"][0]["field"] == "cursor"
    problem(client.get(APPOINTMENTS, params={"limit": 0}, headers=asha.headers), 422)
    problem(client.get(APPOINTMENTS, params={"tab": "all"}, headers=asha.headers), 422)


def test_the_cancelled_tab_and_the_payment_as_the_patient_reads_it(
    client, db: Session, surgery: Surgery, asha: Person
) -> None:
    at_clinic = booked(client, asha, surgery, slot(days=3))
    chosen = client.post(
        f"{APPOINTMENTS}/{at_clinic}/payment",
        json={"method": "pay_at_clinic"},
        headers=asha.headers,
    )
    assert chosen.status_code == 200
    detail = client.get(f"{APPOINTMENTS}/{at_clinic}", headers=asha.headers).json()
    assert (detail["payment"]["status"], detail["payment"]["label"]) == (
        "Pending",
        "Pay at the clinic",
    )
    by_upi = paid(client, asha, surgery, slot(days=4))
    for appointment_id in (at_clinic, by_upi):
        cancelled = client.post(f"{APPOINTMENTS}/{appointment_id}/cancel", headers=asha.headers)
        assert cancelled.status_code == 200
    visit = completed_visit(db, surgery, db.get(User, asha.id))

    def listed(tab: str) -> list[tuple[str, str, str, str]]:
        body = client.get(APPOINTMENTS, params={"tab": tab}, headers=asha.headers).json()
        assert body["tab"] == tab and body["next_cursor"] is None
        return [
            (i["id"], i["time_status"], i["payment"]["status"], i["payment"]["label"])
            for i in body["items"]
        ]

    assert listed("cancelled") == [
        (by_upi, "cancelled", "Refunded", "Refunded"),
        (at_clinic, "cancelled", "Pending", "Not charged"),
    ]
    assert listed("past") == [(visit.id, "completed", "Pending", "Due at the clinic")]
    assert listed("upcoming") == []


def test_the_tab_parameter_is_documented_with_its_three_values(client) -> None:
    document = client.get(f"{V1}/openapi.json").json()
    (tab,) = [
        p for p in document["paths"]["/appointments"]["get"]["parameters"] if p["name"] == "tab"
    ]
    assert tab["schema"]["enum"] == ["upcoming", "past", "cancelled"]
    assert "cancelled" in tab["description"]
    page = document["components"]["schemas"]["MyAppointmentPage"]["properties"]["tab"]
    assert page["enum"] == ["upcoming", "past", "cancelled"]


def test_details_show_the_payment_and_the_treatment_record(
    client, db: Session, surgery: Surgery, asha: Person
) -> None:
    appointment_id = paid(client, asha, surgery, slot())
    detail = client.get(f"{APPOINTMENTS}/{appointment_id}", headers=asha.headers).json()
    assert detail["status"] == "confirmed" and detail["time_status"] == "upcoming"
    payment = detail["payment"]
    assert (payment["status"], payment["method"], payment["method_label"]) == (
        "Success",
        "upi",
        "UPI",
    )
    assert payment["transaction_id"].startswith("HCP-") and payment["paid_at"]
    assert detail["treatment"] is None and detail["prescription_pdf"] is None
    assert detail["calendar_ics"] == f"{APPOINTMENTS}/{appointment_id}/calendar.ics"
    assert detail["actions"] == {"can_pay": False, "can_cancel": True, "can_reschedule": True}
    problem(
        client.get(f"{APPOINTMENTS}/{appointment_id}/prescription.pdf", headers=asha.headers),
        404,
        "not-found",
    )

    visit = completed_visit(db, surgery, db.get(User, asha.id))
    done = client.get(f"{APPOINTMENTS}/{visit.id}", headers=asha.headers).json()
    assert done["status"] == "completed"
    assert done["treatment"]["diagnosis"] == "Acute pharyngitis"
    assert done["treatment"]["items"][0]["medicine"] == "Paracetamol 500 mg"
    assert done["prescription_pdf"] == f"{APPOINTMENTS}/{visit.id}/prescription.pdf"
    pdf = client.get(done["prescription_pdf"], headers=asha.headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-disposition"] == (
        f'attachment; filename="prescription-{visit.id[:8]}.pdf"'
    )
    assert pdf.headers["cache-control"] == "no-store" and "ratelimit-limit" in pdf.headers
    problem(client.get(f"{APPOINTMENTS}/not-an-id", headers=asha.headers), 404)


def test_the_calendar_file(client, surgery, asha) -> None:
    appointment_id = booked(client, asha, surgery, slot())
    response = client.get(f"{APPOINTMENTS}/{appointment_id}/calendar.ics", headers=asha.headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "ratelimit-remaining" in response.headers
    assert response.headers["content-disposition"] == (
        f'attachment; filename="appointment-{appointment_id[:8]}.ics"'
    )
    text = response.text
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert f"UID:{appointment_id}@healthcareplus.in" in text and "STATUS:TENTATIVE" in text
    start = slot().strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in text
    assert "Dr. Kavya Menon" in text
