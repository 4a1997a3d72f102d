"""The public catalogue over HTTP: cities, hospitals, specializations, a doctor's profile
and availability, and the symptom checker (the doctor search: ``test_doctor_search``)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from tests.api.v1.conftest import V1, problem
from tests.factories import create_appointment, local

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_cities_and_their_hospitals(client, clinic) -> None:
    cities = client.get(f"{V1}/cities").json()["items"]
    assert [(c["name"], c["hospital_count"], c["doctor_count"]) for c in cities] == [
        ("Bengaluru", 2, 18),
        ("Mumbai", 1, 9),
    ]
    blr = clinic["blr"].id
    assert client.get(f"{V1}/cities/{blr}").json()["state"] == "Karnataka"
    hospitals = client.get(f"{V1}/cities/{blr}/hospitals").json()["items"]
    assert [h["name"] for h in hospitals] == ["Lakeside Clinic", "Sunrise Hospital"]
    assert hospitals[1]["city"] == {"id": blr, "name": "Bengaluru"}
    assert hospitals[1]["specialties"] == ["Cardiologist"] and hospitals[1]["doctor_count"] == 9
    everywhere = client.get(f"{V1}/hospitals").json()["items"]
    assert [h["name"] for h in everywhere] == [
        "Lakeside Clinic",
        "Sunrise Hospital",
        "Harbour Hospital",
    ]
    assert client.get(f"{V1}/hospitals", params={"city_id": blr}).json()["items"] == hospitals
    one = client.get(f"{V1}/hospitals/{clinic['harbour'].id}").json()
    assert one["name"] == "Harbour Hospital" and one["address"] == "1 MG Road"
    for path in ("/cities/9999", "/cities/9999/hospitals", "/hospitals/9999"):
        problem(client.get(f"{V1}{path}"), 404, "not-found")
    for path in ("/cities/0", "/cities/abc", "/hospitals/99999999999", "/hospitals?city_id=-1"):
        problem(client.get(f"{V1}{path}"), 422, "validation-failed")


def test_specializations(client, clinic) -> None:
    rows = {s["name"]: s for s in client.get(f"{V1}/specializations").json()["items"]}
    assert rows["Cardiologist"] == {
        "name": "Cardiologist",
        "department": "Cardiology",
        "doctor_count": 9,
    }
    assert rows["Oncologist"]["doctor_count"] == 0  # offered, nobody yet


def test_a_doctors_public_profile(client, clinic) -> None:
    kavya = clinic["doctors"][0]
    body = client.get(f"{V1}/doctors/{kavya.id}").json()
    assert body["name"] == kavya.name and body["fee_label"] == "₹500"
    assert body["hospital"] == {
        "id": clinic["sunrise"].id,
        "name": "Sunrise Hospital",
        "address": "1 MG Road",
        "phone": "080-1234567",
    }
    assert body["city"] == {"id": clinic["blr"].id, "name": "Bengaluru", "state": "Karnataka"}
    assert "email" not in body and "phone" not in body  # the doctor's own contact stays private
    assert [d["hours"] for d in body["weekly_schedule"]] == [["09:00 AM – 01:00 PM"]] * 7
    assert len(body["next_slots"]) == 6 and {s["state"] for s in body["next_slots"]} == {"free"}
    problem(client.get(f"{V1}/doctors/999999"), 404, "not-found")
    gone = problem(client.get(f"{V1}/doctors/{clinic['doctors'][-1].id + 1}"), 404)
    assert gone["detail"] == "Doctor not found"  # the inactive doctor is not published


def test_availability_calendar_and_day_slots(client, clinic, db) -> None:
    doctor = clinic["doctors"][1]
    calendar = client.get(f"{V1}/doctors/{doctor.id}/availability").json()
    assert len(calendar["days"]) == 30  # the booking horizon
    assert calendar["days"][0]["date"] == clinic_today(utcnow()).isoformat()
    day = clinic_today(utcnow()) + timedelta(days=3)
    create_appointment(db, doctor=doctor, start_at=local(day, "09:30"))
    entry = next(d for d in calendar["days"] if d["date"] == day.isoformat())
    assert entry["bookable"] and entry["free"] == 16 and entry["badge"] == "Available"
    assert len(client.get(f"{V1}/doctors/{doctor.id}/availability?days=5").json()["days"]) == 5

    slots = client.get(f"{V1}/doctors/{doctor.id}/slots", params={"date": day.isoformat()}).json()
    assert slots["date"] == day.isoformat() and len(slots["slots"]) == 16
    assert [s["state"] for s in slots["slots"][:3]] == ["free", "free", "taken"]
    assert slots["slots"][0]["label"] == "09:00 AM"
    assert slots["slots"][0]["start_at"] == local(day, "09:00").isoformat().replace("+00:00", "Z")

    too_far = clinic_today(utcnow()) + timedelta(days=30)
    for params in ({"date": too_far.isoformat()}, {"date": "yesterday"}, {}):
        body = problem(client.get(f"{V1}/doctors/{doctor.id}/slots", params=params), 422)
        assert body["errors"][0]["field"] == "date"
    problem(client.get(f"{V1}/doctors/{doctor.id}/availability?days=0"), 422)
    problem(client.get(f"{V1}/doctors/999999/slots", params={"date": day.isoformat()}), 404)
    problem(client.get(f"{V1}/doctors/999999/availability"), 404)


def test_symptom_match(client) -> None:
    response = client.post(
        f"{V1}/symptoms/match", json={"text": "chest pain and breathlessness", "limit": 2}
    )
    body = response.json()
    assert body["recognized"] == ["chest pain", "breathlessness"]
    best = body["suggestions"][0]
    assert best["specialization"] == "Cardiologist" and best["department"] == "Cardiology"
    assert best["doctors"] == f"{V1}/doctors?specialization=Cardiologist"
    assert len(body["suggestions"]) == 2 and body["message"].startswith("Based on chest pain")

    unknown = client.post(f"{V1}/symptoms/match", json={"text": "zzzz"}).json()
    assert [s["specialization"] for s in unknown["suggestions"]] == ["General Physician"]
    for bad in (
        {},
        {"text": 5},
        {"text": "x", "limit": 0},
        {"text": "x", "extra": 1},
        {"text": "x" * 2001},
    ):
        problem(client.post(f"{V1}/symptoms/match", json=bad), 422, "validation-failed")
    problem(client.post(f"{V1}/symptoms/match", content=b"{not json"), 422)
    problem(client.get(f"{V1}/symptoms/match?text=fever"), 405, "method-not-allowed")
