"""Admin: patients, cities and hospitals, administrators and the audit log over the API,
with the admin pages' rules; refused changes leave the database as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus.core.models import AuditEvent, Role, User
from tests.api.v1.conftest import V1, make_user, problem, sign_in, tokens
from tests.api.v1.staff_data import AdminWorld, build_admin_world, refused_unchanged

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
ADMIN = f"{V1}/admin"


@pytest.fixture
def world(client, db: Session) -> AdminWorld:
    return build_admin_world(client, db)


def test_patients_are_searched_read_and_edited(client, db, world) -> None:
    meera = world.clinic.patient
    found = client.get(f"{ADMIN}/patients", params={"q": "nair"}, headers=world.reader_key).json()
    assert [(p["name"], p["appointments"]) for p in found["items"]] == [("Meera Nair", 12)]
    by_phone = client.get(f"{ADMIN}/patients", params={"q": "9845011111"}, headers=world.reader_key)
    assert [p["id"] for p in by_phone.json()["items"]] == [meera.id]
    problem(client.get(f"{ADMIN}/patients", params={"status": "x"}, headers=world.reader_key), 422)

    history = client.get(
        f"{ADMIN}/patients/{meera.id}/appointments",
        params={"page_size": 5},
        headers=world.reader_key,
    ).json()
    assert history["page"]["total"] == 12 and len(history["items"]) == 5
    assert history["items"][0]["start_at"] >= history["items"][1]["start_at"]  # latest first

    edited = client.put(
        f"{ADMIN}/patients/{meera.id}",
        headers=world.admin_headers,
        json={"name": "Meera  Nair", "phone": "98450 22222", "blood_group": "O+",
              "allergies": "Dust"},
    )  # fmt: skip
    assert edited.status_code == 200, edited.text
    assert edited.json()["blood_group"] == "O+" and edited.json()["phone"] == "+91 98450 22222"
    assert client.get(f"{ADMIN}/patients/{meera.id}", headers=world.reader_key).json() == (
        edited.json()
    )
    detail = db.exec(select(AuditEvent.detail).where(AuditEvent.action == "patient_updated")).one()
    assert "Dust" not in str(detail)  # the fields changed, never their medical values
    bad = {"name": "M3era", "phone": "12", "blood_group": "Z"}
    refused_unchanged(
        client, db, [("PUT", f"/admin/patients/{meera.id}", bad)], world.admin_headers, 422
    )
    problem(client.get(f"{ADMIN}/patients/{world.admin.id}", headers=world.reader_key), 404)


def test_a_blocked_patient_is_signed_out_until_unblocked(client, db, world) -> None:
    asha = db.exec(select(User).where(User.email == "asha@example.in")).one()
    path = f"{ADMIN}/patients/{asha.id}"
    refused_unchanged(
        client, db, [("POST", f"/admin/patients/{asha.id}/block", {"reason": "x"})],
        world.admin_headers, 422,
    )  # fmt: skip
    blocked = client.post(f"{path}/block", headers=world.writer_key, json={"reason": "Abuse"})
    assert blocked.json()["is_blocked"] and blocked.json()["blocked_reason"] == "Abuse"
    problem(client.get(f"{V1}/me", headers=world.patient_headers), 401, "invalid-token")
    refused_unchanged(
        client, db, [("POST", f"/admin/patients/{asha.id}/block", {"reason": "Again"})],
        world.admin_headers, 409, "conflict",
    )  # fmt: skip
    unblocked = client.post(f"{path}/unblock", headers=world.admin_headers)
    assert unblocked.status_code == 200 and not unblocked.json()["is_blocked"]
    assert tokens(client, "asha@example.in")  # signs in again


def test_cities_and_hospitals(client, db, world) -> None:
    c = world.clinic
    cities = client.get(f"{ADMIN}/cities", headers=world.reader_key).json()
    counts = [(x["name"], x["hospital_count"], x["active_doctor_count"]) for x in cities["items"]]
    assert counts == [("Bangalore", 2, 2), ("Mumbai", 1, 1)]
    made = client.post(
        f"{ADMIN}/cities",
        headers=world.admin_headers,
        json={"name": " Mysuru ", "state": "Karnataka"},
    )
    assert made.status_code == 201 and made.json()["name"] == "Mysuru"
    assert made.headers["location"] == f"/admin/cities/{made.json()['id']}"
    taken = ("POST", "/admin/cities", {"name": "mumbai", "state": "Maharashtra"})
    refused_unchanged(client, db, [taken], world.admin_headers, 422, "validation-failed")
    renamed = client.put(
        f"{ADMIN}/cities/{c.mumbai.id}", headers=world.writer_key,
        json={"name": "Bombay", "state": "Maharashtra"},
    )  # fmt: skip
    assert renamed.json()["name"] == "Bombay" and renamed.json()["hospital_count"] == 1
    problem(client.get(f"{ADMIN}/cities/999", headers=world.reader_key), 404)

    new = {
        "city_id": made.json()["id"], "name": "Palace Clinic", "address": "2 Palace Road, Mysuru",
        "phone": "0821-242 4242", "specialties": ["Dermatologist", "General Physician"],
    }  # fmt: skip
    hospital = client.post(f"{ADMIN}/hospitals", headers=world.admin_headers, json=new)
    assert hospital.status_code == 201, hospital.text
    assert hospital.json()["specialties"] == [
        "General Physician",
        "Dermatologist",
    ]  # catalogue order
    in_city = client.get(
        f"{ADMIN}/hospitals", params={"city_id": made.json()["id"]}, headers=world.reader_key
    ).json()
    assert [h["name"] for h in in_city["items"]] == ["Palace Clinic"]
    bad = {**new, "specialties": ["Astrology"], "city_id": 999}
    body = problem(client.post(f"{ADMIN}/hospitals", headers=world.admin_headers, json=bad), 422)
    assert sorted(e["field"] for e in body["errors"]) == ["city_id", "specialties"]
    moved = client.put(
        f"{ADMIN}/hospitals/{c.harbour.id}", headers=world.admin_headers,
        json={**new, "name": "Harbour Hospital"},
    )  # fmt: skip
    assert moved.json()["city_name"] == "Mysuru"
    assert client.get(f"{ADMIN}/hospitals/{c.harbour.id}", headers=world.reader_key).json() == (
        moved.json()
    )


def test_administrators(client, db, world) -> None:
    made = client.post(
        f"{ADMIN}/admins", headers=world.admin_headers,
        json={"name": "Farah Khan", "email": "farah@example.in", "phone": "98450 12345"},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    assert made.headers["cache-control"] == "no-store"
    password = made.json()["one_time_password"]
    # A password someone else chose is changed on the website before the API takes it.
    first = sign_in(client, "farah@example.in", password)
    assert password and first.status_code == 401 and "choose your own" in first.text
    farah = made.json()["admin"]["id"]
    typed = client.post(
        f"{ADMIN}/admins", headers=world.writer_key,
        json={"name": "Gita Rao", "email": "gita@example.in", "phone": "98450 12346",
              "password": "Correct#Horse9", "confirm_password": "Correct#Horse9"},
    )  # fmt: skip
    assert typed.json()["one_time_password"] is None
    listed = client.get(f"{ADMIN}/admins", headers=world.reader_key).json()
    assert [a["name"] for a in listed["items"]] == ["Farah Khan", "Gita Rao", "Meera Iyer"]
    assert "password" not in str(listed)

    duplicate = {"name": "Farah K", "email": "FARAH@example.in", "phone": "98450 12345"}
    refused_unchanged(client, db, [("POST", "/admin/admins", duplicate)], world.admin_headers, 422)
    myself = ("POST", f"/admin/admins/{world.admin.id}/deactivate", None)
    refused_unchanged(client, db, [myself], world.admin_headers, 403, "forbidden")
    off = client.post(f"{ADMIN}/admins/{farah}/deactivate", headers=world.admin_headers,
                      json={"reason": "Left the clinic"})  # fmt: skip
    assert off.json()["is_active"] is False
    again = ("POST", f"/admin/admins/{farah}/deactivate", None)
    refused_unchanged(client, db, [again], world.admin_headers, 409, "conflict")
    assert client.post(f"{ADMIN}/admins/{farah}/reactivate", headers=world.admin_headers).json()[
        "is_active"
    ]
    patient = db.exec(select(User.id).where(User.role == Role.PATIENT)).first()
    problem(client.post(f"{ADMIN}/admins/{patient}/reactivate", headers=world.admin_headers), 404)


def test_a_deactivated_admin_and_their_keys_stop_at_once(client, db, world) -> None:
    make_user(db, role=Role.ADMIN, email="solo@example.in")
    headers = tokens(client, "solo@example.in").headers
    off = client.post(f"{ADMIN}/admins/{world.admin.id}/deactivate", headers=headers)
    assert off.status_code == 200
    for gone in (world.admin_headers, world.writer_key):
        problem(client.get(f"{ADMIN}/admins", headers=gone), 401, "invalid-token")


def test_the_audit_log_filters_and_pages(client, db, world) -> None:
    a4 = world["a4"].id
    client.post(f"{ADMIN}/appointments/{a4}/cancel", headers=world.admin_headers,
                json={"reason": "Doctor away"})  # fmt: skip
    client.post(f"{ADMIN}/cities", headers=world.writer_key, json={"name": "Pune", "state": "MH"})
    log = client.get(f"{ADMIN}/audit-events", headers=world.reader_key).json()
    actions = [e["action"] for e in log["items"]]
    assert actions[0] == "city_created" and "admin_cancelled" in actions
    assert log["items"][0]["actor_name"] == "Meera Iyer"
    mine = client.get(
        f"{ADMIN}/audit-events", params={"appointment_id": a4[:8]}, headers=world.reader_key
    ).json()
    assert {e["action"] for e in mine["items"]} == {"admin_cancelled", "refunded"}
    assert mine["items"][0]["reason"] == "Doctor away"
    today = world.clinic.today
    dated = client.get(
        f"{ADMIN}/audit-events",
        params={"actor": "meera", "date_from": today.isoformat(), "date_to": today.isoformat(),
                "page_size": 1},
        headers=world.reader_key,
    ).json()  # fmt: skip
    assert dated["page"]["page_size"] == 1 and dated["page"]["total"] >= 3
    none = client.get(
        f"{ADMIN}/audit-events",
        params={"date_to": (today - timedelta(days=400)).isoformat()},
        headers=world.reader_key,
    ).json()
    assert none["items"] == []
    for bad in ({"date_from": "9999-12-31"}, {"date_to": "1999-01-01"}, {"page_size": 500}):
        body = problem(
            client.get(f"{ADMIN}/audit-events", params=bad, headers=world.reader_key), 422
        )
        assert [e["field"] for e in body["errors"]] == list(bad)
