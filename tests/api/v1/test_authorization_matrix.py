"""The authorization matrix: EVERY operation of the live OpenAPI document, called by every
kind of caller, answers as the rules say, and every refused call changes nothing.

Callers: anonymous; a patient and another patient; a doctor and another doctor; an
admin; API keys of the admin with admin:read and admin:write, admin:read only, and
catalog:read only; a signed-out patient's token (revoked); a patient blocked after
signing in; a doctor deactivated after signing in.

Rules (``RULES``; an operation no rule names fails ``test_every_operation_is_classified``,
so a new endpoint cannot slip in untested, except under ``/admin/``, where an operation
not named takes the admin rule: admin:read to read, admin:write to change):

- ``public``: everyone passes; a credential that does not check out (revoked, blocked,
  deactivated) is refused with 401 ``invalid-token`` even here, as the API documents.
- ``sign_in`` (``/auth/token``, ``/auth/refresh``): the credential is in the body; a bad
  header credential is still refused (401).
- ``signed_in`` (``GET /me``): any person or key; ``person`` (notification preferences,
  sign-out): any person with a bearer token, keys 403.
- ``patient``: only patients (others 403); another patient's appointment answers 404.
- ``doctor``: only doctors; another doctor's visit or time off answers 404.
- ``admin``: admins and admin keys with the scope; ``admin_person`` (API keys): admins
  with a bearer token only.
- Anonymous: 401 ``unauthorized`` wherever a caller is needed.

Refusals run against one world per module (they change nothing, checked with a snapshot
of the tables after each caller's sweep). Passing calls change things, so each operation's
passing calls run on a fresh world of their own.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from healthcareplus.api.v1.app import create_v1_app
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import dispose_engines, get_engine
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Role
from tests.api.v1.conftest import (
    PASSWORD,
    V1,
    TestClient,
    make_client,
    make_user,
    problem,
    set_env,
    tokens,
)
from tests.api.v1.staff_data import (
    EVERY_DAY,
    api_key,
    booked,
    days_ahead,
    snapshot,
)
from tests.factories import create_city, create_doctor, create_hospital, create_time_off, local

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
METHODS = ("get", "put", "post", "patch", "delete")
PUBLIC = re.compile(r"^/(cities|hospitals|specializations|symptoms|doctors|problems)(/|$)")
RULES: dict[tuple[str, str], str] = {
    ("POST", "/auth/token"): "sign_in",
    ("POST", "/auth/refresh"): "sign_in",
    ("POST", "/auth/logout"): "person",
    ("GET", "/me"): "signed_in",
    ("GET", "/me/profile"): "patient",
    ("PATCH", "/me/profile"): "patient",
    ("GET", "/me/family"): "patient",
    ("GET", "/me/notification-preferences"): "person",
    ("PUT", "/me/notification-preferences"): "person",
    ("POST", "/admin/api-keys"): "admin_person",
    ("GET", "/admin/api-keys"): "admin_person",
    ("DELETE", "/admin/api-keys/{key_id}"): "admin_person",
}
CALLERS = (
    "anonymous",
    "patient",
    "other_patient",
    "doctor",
    "other_doctor",
    "admin",
    "writer_key",
    "reader_key",
    "catalog_key",
    "revoked",
    "blocked_patient",
    "deactivated_doctor",
)
BAD_CREDENTIALS = ("revoked", "blocked_patient", "deactivated_doctor")
PEOPLE = ("patient", "other_patient", "doctor", "other_doctor", "admin")
KEYS = ("writer_key", "reader_key", "catalog_key")
# The world's visit has no treatment record: these answer 404 to their owner too.
NO_RECORD_YET = {
    ("GET", "/appointments/{appointment_id}/prescription.pdf"),
    ("GET", "/doctor/visits/{appointment_id}/treatment"),
    ("GET", "/doctor/visits/{appointment_id}/prescription.pdf"),
}
# The matrix sends hundreds of calls from one address: rate limits have their own tests.
UNLIMITED = {"api_rate_per_address": "1000000", "api_rate_per_token": "1000000"}


def rule_of(method: str, path: str) -> str | None:
    """The rule of an operation; None when no rule names it (the test then fails)."""
    if (method, path) in RULES:
        return RULES[(method, path)]
    if PUBLIC.match(path) and method == "GET" or (method, path) == ("POST", "/symptoms/match"):
        return "public"
    if path == "/appointments" or path.startswith("/appointments/"):
        return "patient"
    if path.startswith("/doctor/"):
        return "doctor"
    if path.startswith("/admin/"):  # new admin endpoints (webhooks…) default to this
        return "admin"
    return None


def expected(rule: str, method: str, path: str, caller: str) -> tuple[int, str | None] | None:
    """(status, problem slug) of a refusal, or None when the caller passes."""
    if caller in BAD_CREDENTIALS:
        return 401, "invalid-token"
    if rule in ("public", "sign_in"):
        return None
    if caller == "anonymous":
        return 401, "unauthorized"
    if rule == "signed_in":
        return None
    if rule == "person":
        return (403, "forbidden") if caller in KEYS else None
    if rule == "patient":
        if caller not in ("patient", "other_patient"):
            return 403, "forbidden"
        return (404, "not-found") if caller == "other_patient" and "{" in path else None
    if rule == "doctor":
        if caller not in ("doctor", "other_doctor"):
            return 403, "forbidden"
        return (404, "not-found") if caller == "other_doctor" and "{" in path else None
    if rule == "admin_person":
        return None if caller == "admin" else (403, "forbidden")
    assert rule == "admin", rule
    if caller in ("admin", "writer_key") or (caller == "reader_key" and method == "GET"):
        return None
    # People hold the scopes of their role: a patient or doctor lacks admin:read/write.
    return 403, "insufficient-scope"


@dataclass
class World:
    """The rows every path parameter can be filled from, and every caller's headers."""

    headers: dict[str, dict[str, str]]
    ids: dict[str, Any]
    key_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    # Valid bodies where the owner check comes after the body's (another's row: 404).
    bodies: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def path(self, template: str) -> str:
        """``template`` with its parameters filled with the owner's rows."""
        ids = dict(self.ids)
        if template.startswith("/doctor/"):
            ids["appointment_id"] = self.ids["visit_id"]
        filled = re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), template)
        return f"{V1}{filled}"


def build_world(client: TestClient, db: Session) -> World:
    city = create_city(db, name="Bengaluru")
    hospital = create_hospital(db, city=city, name="Sunrise Hospital")
    doctors = {}
    for name in ("doctor", "other_doctor", "deactivated_doctor"):
        doctor = create_doctor(db, hospital=hospital, name=f"Dr. {name}", schedule=EVERY_DAY)
        user = make_user(db, role=Role.DOCTOR, email=f"{name}@example.in", name=doctor.name)
        doctor.user_id = user.id
        db.add(doctor)
        db.commit()
        doctors[name] = doctor
    people = {
        name: make_user(db, role=role, email=f"{name}@example.in", name=name.title())
        for name, role in (
            ("patient", Role.PATIENT),
            ("other_patient", Role.PATIENT),
            ("blocked_patient", Role.PATIENT),
            ("revoked", Role.PATIENT),
            ("admin", Role.ADMIN),
            ("other_admin", Role.ADMIN),
        )
    }
    headers = {
        name: tokens(client, f"{name}@example.in").headers
        for name in (*PEOPLE, "revoked", "blocked_patient", "deactivated_doctor")
    }
    headers["anonymous"] = {}
    admin = headers["admin"]
    headers["writer_key"] = api_key(client, admin, "admin:read", "admin:write")
    headers["reader_key"] = api_key(client, admin, "admin:read")
    headers["catalog_key"] = api_key(client, admin, "catalog:read")
    keys = client.get(f"{V1}/admin/api-keys", headers=admin).json()
    today = clinic_today(utcnow())
    day = days_ahead(today, 3)
    mine = booked(db, doctors["doctor"], people["patient"], day, "10:00")
    theirs = booked(db, doctors["other_doctor"], people["other_patient"], day, "10:00")
    booked(db, doctors["deactivated_doctor"], people["blocked_patient"], day, "11:00")
    off = create_time_off(
        db,
        doctor=doctors["doctor"],
        start_at=local(days_ahead(today, 20), "09:00"),
        end_at=local(days_ahead(today, 20), "13:00"),
    )
    # The bad credentials: signed out; blocked and deactivated after signing in.
    assert client.post(f"{V1}/auth/logout", headers=headers["revoked"]).status_code == 204
    blocked = client.post(
        f"{V1}/admin/patients/{people['blocked_patient'].id}/block",
        headers=admin,
        json={"reason": "Abusive calls"},
    )
    assert blocked.status_code == 200, blocked.text
    gone = client.post(
        f"{V1}/admin/doctors/{doctors['deactivated_doctor'].id}/deactivate",
        headers=admin,
        json={"reason": "Left the clinic"},
    )
    assert gone.status_code == 200, gone.text
    ids = {
        "appointment_id": mine.id,
        "visit_id": mine.id,
        "city_id": city.id,
        "hospital_id": hospital.id,
        "doctor_id": doctors["doctor"].id,
        "patient_id": people["patient"].id,
        "admin_id": people["other_admin"].id,
        "key_id": keys["items"][0]["id"] if "items" in keys else keys[0]["id"],
        "time_off_id": off.id,
        "slug": "not-found",
    }
    later = local(days_ahead(today, 4), "11:00").isoformat()
    bodies: dict[tuple[str, str], dict[str, Any]] = {
        ("POST", "/appointments/{appointment_id}/reschedule"): {"start_at": later},
        ("POST", "/appointments/{appointment_id}/payment"): {
            "method": "upi",
            "upi_vpa": "asha@okaxis",
        },
        ("PUT", "/doctor/visits/{appointment_id}/treatment"): {
            "visit_type": "consultation",
            "diagnosis": "Acute pharyngitis",
        },
        ("POST", "/doctor/visits/{appointment_id}/cancel"): {"reason": "Doctor away"},
    }
    return World(headers=headers, ids=ids, extra={"theirs": theirs.id}, bodies=bodies)


def _document(client: TestClient) -> dict[str, Any]:
    answer = client.get(f"{V1}/openapi.json")
    assert answer.status_code == 200
    return dict(answer.json())


def operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    ]


def call(client: TestClient, world: World, method: str, path: str, caller: str) -> Any:
    """One call of an operation by ``caller``, its path filled with the owner's rows."""
    headers = world.headers[caller]
    if path == "/auth/token":  # the owner's own credentials, whoever sends them
        form = {"username": "patient@example.in", "password": PASSWORD}
        return client.post(f"{V1}{path}", data=form, headers=headers)
    body = None if method in ("GET", "DELETE") else world.bodies.get((method, path), {})
    return client.request(method, world.path(path), headers=headers, json=body)


@pytest.fixture(scope="module")
def matrix_db(_migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated database for the module's refusals (they change nothing)."""
    path = tmp_path_factory.mktemp("matrix") / "matrix.db"
    shutil.copy(_migrated_template, path)
    url = f"sqlite:///{path}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REFLEX_DB_URL", url)
        for name, value in UNLIMITED.items():
            patch.setenv(f"HCP_{name.upper()}", value)
        get_settings.cache_clear()
        yield url
        dispose_engines()
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def shared(matrix_db: str) -> Iterator[tuple[TestClient, Session, World]]:
    with make_client() as client, Session(get_engine(matrix_db), expire_on_commit=False) as db:
        yield client, db, build_world(client, db)


def test_every_operation_is_classified(shared: tuple[TestClient, Session, World]) -> None:
    client, _, _ = shared
    found = operations(_document(client))
    assert len(found) >= 90
    unclassified = [op for op in found if rule_of(*op) is None]
    assert not unclassified, f"add these operations to the matrix's rules: {unclassified}"
    # The explicit rules name real operations (a renamed one must be renamed here too).
    assert set(RULES) <= set(found)


@pytest.mark.parametrize("caller", CALLERS)
def test_refused_callers_are_refused_and_change_nothing(
    shared: tuple[TestClient, Session, World], caller: str
) -> None:
    client, db, world = shared
    before = snapshot(db)
    refused = 0
    for method, path in operations(_document(client)):
        rule = rule_of(method, path)
        assert rule is not None
        outcome = expected(rule, method, path, caller)
        if outcome is None:
            continue
        status, slug = outcome
        answer = call(client, world, method, path, caller)
        try:
            problem(answer, status, slug)
        except AssertionError as exc:
            raise AssertionError(f"{caller}: {method} {path} ({rule})") from exc
        refused += 1
    assert snapshot(db) == before
    assert refused or caller == "admin"


def _required_query(document: dict[str, Any], method: str, path: str) -> bool:
    parameters = document["paths"][path][method.lower()].get("parameters", [])
    return any(p["in"] == "query" and p.get("required") for p in parameters)


@pytest.fixture
def fresh(client: TestClient, db: Session, monkeypatch: pytest.MonkeyPatch) -> World:
    set_env(monkeypatch, **UNLIMITED)
    return build_world(client, db)


# The document as the app builds it, read once at collection (the live document is
# checked against the rules in test_every_operation_is_classified).
_DOCUMENT = create_v1_app().openapi()
_OPERATIONS = operations(_DOCUMENT)


@pytest.mark.parametrize(("method", "path"), _OPERATIONS, ids=lambda v: str(v))
def test_the_right_callers_pass(client: TestClient, fresh: World, method: str, path: str) -> None:
    """Each caller the rules let through reaches the operation (no 401, 403 or 404, no
    server error) on a fresh world: its path parameters are the caller's own rows."""
    document = _DOCUMENT
    rule = rule_of(method, path)
    assert rule is not None
    passers = [c for c in CALLERS if expected(rule, method, path, c) is None]
    assert passers
    # A 404 past the gate: no record written yet, or a row the world does not make (a
    # parameter it cannot fill, e.g. of an admin endpoint added since).
    unknown = set(re.findall(r"\{(\w+)\}", path)) - set(fresh.ids)
    refusals = (401, 403) if (method, path) in NO_RECORD_YET or unknown else (401, 403, 404)
    for caller in passers:
        answer = call(client, fresh, method, path, caller)
        assert answer.status_code < 500, (caller, answer.text)
        assert answer.status_code not in refusals, (caller, answer.text)
        if (
            method == "GET"
            and not _required_query(document, method, path)
            and answer.status_code != 404
        ):
            assert answer.status_code == 200, (caller, answer.text)
