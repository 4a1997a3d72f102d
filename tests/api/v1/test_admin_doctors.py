"""Admin: doctors over the API, as on the doctors' admin pages: listing, adding (an
emailed invitation, never a password), editing, deactivating with the bookings to follow
up, reactivating, the invitation resent, and the weekly hours with the confirm step."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core.models import Appointment, AuditEvent, Doctor, User
from tests.api.v1.conftest import PROBLEM_JSON, V1, problem
from tests.api.v1.staff_data import AdminWorld, build_admin_world, refused_unchanged, snapshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
DOCTORS = f"{V1}/admin/doctors"


@pytest.fixture
def world(client, db: Session) -> AdminWorld:
    return build_admin_world(client, db)


def profile(world: AdminWorld, **changes: Any) -> dict[str, Any]:
    return {
        "name": "Kavya Menon",
        "specialization": "Cardiologist",
        "qualification": "MBBS, MD, DM (Cardiology)",
        "experience_years": 14,
        "fee_rupees": 800,
        "gender": "Female",
        "languages": ["English", "kannada"],
        "hospital_id": world.clinic.lakeside.id,
        "phone": "98450 12345",
        "about": "Interventional cardiologist.",
        **changes,
    }


def test_the_list_searches_and_filters(client, world) -> None:
    everyone = client.get(DOCTORS, headers=world.reader_key).json()
    assert [d["name"] for d in everyone["items"]] == [
        "Dr. Anil Rao", "Dr. Bela Shah", "Dr. Chitra Iyer", "Dr. Dinesh Kumar"
    ]  # fmt: skip
    assert everyone["page"]["total"] == 4
    inactive = client.get(DOCTORS, params={"status": "inactive"}, headers=world.reader_key)
    assert [d["name"] for d in inactive.json()["items"]] == ["Dr. Bela Shah"]
    found = client.get(DOCTORS, params={"q": "chit"}, headers=world.reader_key).json()["items"]
    assert [d["name"] for d in found] == ["Dr. Chitra Iyer"]
    problem(client.get(DOCTORS, params={"status": "gone"}, headers=world.reader_key), 422)


def test_a_new_doctor_is_invited_by_email(client, db, world) -> None:
    made = client.post(
        DOCTORS, headers=world.admin_headers, json={**profile(world), "email": "Kavya@Example.in"}
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert "password" not in made.text.lower()
    doctor = body["doctor"]
    assert doctor["name"] == "Dr. Kavya Menon" and doctor["department"] == "Cardiology"
    assert doctor["languages"] == ["English", "Kannada"] and doctor["fee_rupees"] == 800
    assert body["login_email"] == "kavya@example.in"
    assert body["invitation"]["email"] == "kavya@example.in" and body["invitation"]["hours"] > 0
    assert made.headers["location"] == f"/admin/doctors/{doctor['id']}"
    listed = client.get(DOCTORS, params={"q": "kavya"}, headers=world.reader_key).json()
    assert listed["items"][0]["invitation_pending"] is True

    again = client.post(f"{DOCTORS}/{doctor['id']}/invitation", headers=world.writer_key)
    assert again.status_code == 200 and again.json()["email"] == "kavya@example.in"
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.entity == "doctor")).all()
    assert actions == ["doctor_created", "doctor_invitation_resent"]


def test_refused_doctors_name_their_fields(client, db, world) -> None:
    taken = {**profile(world), "email": "anil@example.in"}  # Anil's sign-in
    bad = {**profile(world, fee_rupees=5, specialization="Wizard"), "email": "not-an-email"}
    refused_unchanged(client, db, [("POST", "/admin/doctors", taken)], world.admin_headers, 422)
    body = problem(client.post(DOCTORS, headers=world.admin_headers, json=bad), 422)
    assert sorted(e["field"] for e in body["errors"]) == ["email", "fee_rupees", "specialization"]
    missing = problem(client.post(DOCTORS, headers=world.admin_headers, json={"name": "X"}), 422)
    assert {e["location"] for e in missing["errors"]} == {"body"}
    # Anil has set his password: there is no invitation to resend.
    anil = world.clinic.anil.id
    refused_unchanged(
        client, db, [("POST", f"/admin/doctors/{anil}/invitation", None)], world.admin_headers, 409
    )


def test_edit_deactivate_and_reactivate(client, db, world) -> None:
    anil = world.clinic.anil.id
    edited = client.put(
        f"{DOCTORS}/{anil}", headers=world.admin_headers, json=profile(world, name="Anil Rao")
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["hospital_name"] == "Lakeside Clinic"
    assert client.get(f"{DOCTORS}/{anil}", headers=world.reader_key).json() == edited.json()

    off = client.post(
        f"{DOCTORS}/{anil}/deactivate", headers=world.admin_headers, json={"reason": "On leave"}
    )
    assert off.status_code == 200
    follow = off.json()["follow_ups"]
    assert {i["appointment_id"] for i in follow["items"]} == {
        world["a4"].id, world["a5"].id, world["a6"].id
    }  # fmt: skip
    assert follow["total"] == 3 and off.json()["doctor"]["is_active"] is False
    assert client.get(f"{DOCTORS}/{anil}/follow-ups", headers=world.reader_key).json() == follow
    problem(client.get(f"{V1}/me", headers=world.doctor_headers), 401, "invalid-token")
    refused_unchanged(
        client, db, [("POST", f"/admin/doctors/{anil}/deactivate", None)], world.admin_headers, 409
    )
    on = client.post(f"{DOCTORS}/{anil}/reactivate", headers=world.writer_key)
    assert on.json()["doctor"]["is_active"] is True and on.json()["follow_ups"]["total"] == 0
    problem(client.get(f"{DOCTORS}/999", headers=world.reader_key), 404, "not-found")
    bad = ("PUT", f"/admin/doctors/{anil}", profile(world, hospital_id=999))
    refused_unchanged(client, db, [bad], world.admin_headers, 422)


def test_weekly_hours_with_the_confirm_step(client, db, world) -> None:
    anil = world.clinic.anil.id
    hours = f"{DOCTORS}/{anil}/weekly-hours"
    shown = client.get(hours, headers=world.reader_key).json()
    assert len(shown["blocks"]) == 5  # Monday to Friday mornings
    before = snapshot(db)
    refused = client.put(hours, headers=world.admin_headers, json={"blocks": []})
    assert refused.status_code == 409 and refused.headers["content-type"] == PROBLEM_JSON
    affected = {a["id"] for a in refused.json()["affected"]}
    future = {world[k].id for k in ("a4", "a5", "a6")}
    assert affected == future  # every booking ahead: no hours are left
    assert snapshot(db) == before

    done = client.put(
        hours,
        headers=world.writer_key,
        json={"blocks": [], "cancel_appointments": sorted(affected), "cancel_reason": "Retired"},
    )
    assert done.status_code == 200, done.text
    assert done.json()["blocks"] == [] and {a["id"] for a in done.json()["cancelled"]} == affected
    db.expire_all()
    assert {db.get(Appointment, i).status for i in affected} == {"cancelled"}
    assert db.get(Doctor, anil).is_active  # the hours changed, not the doctor
    assert db.get(User, world.admin.id).is_active
