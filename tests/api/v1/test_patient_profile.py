"""The patient's profile (GET/PATCH, the profile page's checks) and the notification
preferences (GET/PUT, every person's, as on the website)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.models import Role, User
from healthcareplus.domain.accounts.profiles import update_profile
from healthcareplus.domain.notifications.preferences import CHOICES, NO_PHONE
from tests.api.v1.conftest import V1, problem
from tests.api.v1.patient_helpers import Person, person

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


PROFILE = f"{V1}/me/profile"
PREFERENCES = f"{V1}/me/notification-preferences"


def test_reading_and_changing_the_profile(client, db: Session, asha: Person) -> None:
    shown = client.get(PROFILE, headers=asha.headers)
    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    assert shown.json() == {
        "id": asha.id,
        "name": "Asha Rao",
        "email": asha.user.email,
        "phone": "+91 98450 12345",
        "date_of_birth": None,
        "gender": None,
        "blood_group": None,
        "allergies": "",
        "medical_history": "",
    }
    changed = client.patch(
        PROFILE,
        json={"date_of_birth": "1990-12-01", "blood_group": "B+", "allergies": " Penicillin "},
        headers=asha.headers,
    )
    assert changed.status_code == 200
    body = changed.json()
    assert (body["date_of_birth"], body["blood_group"], body["allergies"]) == (
        "1990-12-01",
        "B+",
        "Penicillin",
    )
    assert body["name"] == "Asha Rao"  # left out: kept
    cleared = client.patch(PROFILE, json={"blood_group": None}, headers=asha.headers).json()
    assert cleared["blood_group"] is None and cleared["date_of_birth"] == "1990-12-01"
    assert client.get(PROFILE, headers=asha.headers).json() == cleared
    db.expire_all()
    assert db.get(User, asha.id).updated_at is not None


def test_profile_fields_are_checked_as_on_the_profile_page(client, db: Session, asha) -> None:
    sent = {
        "name": "A",
        "phone": "12",
        "date_of_birth": (utcnow() + timedelta(days=3)).date().isoformat(),
        "gender": "Robot",
        "blood_group": "C+",
        "medical_history": "h" * 4001,
    }
    body = problem(client.patch(PROFILE, json=sent, headers=asha.headers), 422, "validation-failed")
    form = {
        "name": "A",
        "phone": "12",
        "date_of_birth": sent["date_of_birth"],
        "gender": "Robot",
        "blood_group": "C+",
        "allergies": "",
        "medical_history": sent["medical_history"],
    }
    with pytest.raises(ValidationFailed) as expected:
        update_profile(db, user_id=asha.id, now=utcnow(), **form)
    db.rollback()
    assert {e["field"]: e["detail"] for e in body["errors"]} == expected.value.fields
    assert client.get(PROFILE, headers=asha.headers).json()["name"] == "Asha Rao"  # unsaved
    problem(client.patch(PROFILE, json={"email": "x@example.in"}, headers=asha.headers), 422)
    problem(client.patch(PROFILE, json={"phone": 98450}, headers=asha.headers), 422)
    huge = client.patch(PROFILE, json={"allergies": "a" * 10_001}, headers=asha.headers)
    assert problem(huge, 422)["errors"][0]["field"] == "allergies"  # what a request may carry


def test_notification_preferences(client, db: Session, asha: Person) -> None:
    defaults = client.get(PREFERENCES, headers=asha.headers).json()
    assert defaults == {
        "updates_email": True,
        "updates_sms": False,
        "updates_whatsapp": False,
        "reminders_in_app": True,
        "reminders_email": True,
        "reminders_sms": False,
        "reminders_whatsapp": False,
    }
    assert set(defaults) == set(CHOICES)
    chosen = {**defaults, "updates_whatsapp": True, "reminders_email": False}
    saved = client.put(PREFERENCES, json=chosen, headers=asha.headers)
    assert saved.status_code == 200 and saved.json() == chosen
    assert client.get(PREFERENCES, headers=asha.headers).json() == chosen

    partial = client.put(PREFERENCES, json={"updates_sms": True}, headers=asha.headers)
    assert len(problem(partial, 422)["errors"]) == len(CHOICES) - 1
    text = client.put(PREFERENCES, json={**chosen, "updates_sms": "yes"}, headers=asha.headers)
    assert problem(text, 422)["errors"][0]["field"] == "updates_sms"

    user = db.get(User, asha.id)
    user.phone = ""
    db.add(user)
    db.commit()
    texts = client.put(PREFERENCES, json={**chosen, "reminders_sms": True}, headers=asha.headers)
    assert problem(texts, 422)["errors"] == [
        {"field": "updates_whatsapp", "detail": NO_PHONE},
        {"field": "reminders_sms", "detail": NO_PHONE},
    ]


def test_who_may_use_the_profile_and_preferences(client, db: Session) -> None:
    doctor = person(client, db, Role.DOCTOR)
    admin = person(client, db, Role.ADMIN)
    key = client.post(
        f"{V1}/admin/api-keys",
        headers=admin.headers,
        json={"name": "Desk", "scopes": ["appointments:read", "appointments:write"]},
    ).json()["key"]
    for headers in (doctor.headers, admin.headers, {"X-API-Key": key}):
        problem(client.get(PROFILE, headers=headers), 403, "forbidden")
    # Preferences are every person's, as on the website; never an API key's.
    for who in (doctor, admin):
        choices = {**client.get(PREFERENCES, headers=who.headers).json(), "updates_email": False}
        assert client.put(PREFERENCES, json=choices, headers=who.headers).json() == choices
    problem(client.get(PREFERENCES, headers={"X-API-Key": key}), 403, "forbidden")
    for url in (PROFILE, PREFERENCES):
        problem(client.get(url), 401, "unauthorized")
