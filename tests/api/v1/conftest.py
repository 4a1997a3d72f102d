"""The REST API over HTTP: the app's real Starlette API (``create_api``, which mounts the
FastAPI app at /api/v1) runs in-process against a fresh migrated database per test
(SQLite; PostgreSQL too where a test asks for ``any_client``)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import bcrypt
import pytest
from sqlmodel import Session

from healthcareplus.api import create_api
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import get_engine
from healthcareplus.core.models import Role, User
from healthcareplus.domain.accounts import passwords
from tests.factories import create_city, create_doctor, create_hospital

if TYPE_CHECKING:
    from tests.api.v1.patient_helpers import Person, Surgery

with warnings.catch_warnings():  # Starlette 1.x nudges towards httpx2; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PASSWORD = "Correct#Horse9"
CHEAP_HASH = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
CHEAP_DUMMY = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(4))
PROBLEM_JSON = "application/problem+json"
V1 = "/api/v1"
EVERY_DAY = tuple((d, "09:00", "13:00", 15) for d in range(7))


@pytest.fixture(autouse=True)
def _cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unknown emails verify against a cost-4 dummy hash (many sign-ins stay fast)."""
    monkeypatch.setattr(passwords, "_DUMMY_HASH", CHEAP_DUMMY)


def set_env(monkeypatch: pytest.MonkeyPatch, **values: Any) -> None:
    """Settings for this test (``HCP_<NAME>``), read afresh."""
    for name, value in values.items():
        monkeypatch.setenv(f"HCP_{name.upper()}", str(value))
    get_settings.cache_clear()


def make_client() -> TestClient:
    return TestClient(create_api(), base_url="http://testserver")


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with make_client() as test_client:
        yield test_client


@pytest.fixture
def any_client(either_db_url: str) -> Iterator[TestClient]:
    """A client on SQLite, and again on PostgreSQL (for the rules that must hold on both)."""
    with make_client() as test_client:
        yield test_client


@pytest.fixture
def db(client: TestClient, db_url: str) -> Iterator[Session]:
    with Session(get_engine(db_url), expire_on_commit=False) as s:
        yield s


@pytest.fixture
def any_db(any_client: TestClient, either_db_url: str) -> Iterator[Session]:
    with Session(get_engine(either_db_url), expire_on_commit=False) as s:
        yield s


_seq = iter(range(1, 10_000))


def make_user(
    session: Session, *, role: str = Role.PATIENT, email: str | None = None, name: str = ""
) -> User:
    n = next(_seq)
    user = User(
        role=role,
        name=name or f"{str(role).title()} Person",
        email=email or f"{role}{n}@example.in",
        phone="+91 98450 12345",
        password_hash=CHEAP_HASH,
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


@dataclass(frozen=True)
class Tokens:
    access: str
    refresh: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}


def sign_in(client: TestClient, email: str, password: str = PASSWORD, **kw: Any) -> Any:
    return client.post(f"{V1}/auth/token", data={"username": email, "password": password}, **kw)


def tokens(client: TestClient, email: str, password: str = PASSWORD) -> Tokens:
    response = sign_in(client, email, password)
    assert response.status_code == 200, response.text
    body = response.json()
    return Tokens(body["access_token"], body["refresh_token"])


def problem(response: Any, status: int, slug: str | None = None) -> dict[str, Any]:
    """The problem details of an error answer, checked for RFC 9457's shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith(f"{V1}/problems/")
    assert isinstance(body["title"], str) and body["title"]
    assert body["instance"] == response.request.url.path
    assert set(body) <= {"type", "title", "status", "detail", "instance", "errors"}
    if slug is not None:
        assert body["type"] == f"{V1}/problems/{slug}"
    return body


@pytest.fixture
def clinic(db: Session) -> dict[str, Any]:
    """Two cities, three hospitals, 27 active doctors (ties in fee and experience, names
    differing only in case) and one inactive."""
    blr = create_city(db, name="Bengaluru", state="Karnataka")
    mum = create_city(db, name="Mumbai", state="Maharashtra")
    sunrise = create_hospital(db, city=blr, name="Sunrise Hospital", specialties=["Cardiologist"])
    lakeside = create_hospital(db, city=blr, name="Lakeside Clinic")
    harbour = create_hospital(db, city=mum, name="Harbour Hospital")
    doctors = []
    for n in range(27):
        doctors.append(
            create_doctor(
                db,
                hospital=(sunrise, lakeside, harbour)[n % 3],
                name=f"Dr. {'ABCDEFGHI'[n % 9]}{'bcd'[n % 3]} {'Rao' if n % 2 else 'rao'} {n}",
                specialization=("Cardiologist", "Dermatologist", "General Physician")[n % 3],
                experience_years=5 + n % 4,
                fee_paise=(50_000, 80_000)[n % 2],
                gender=("Female", "Male")[n % 2],
                schedule=EVERY_DAY,
                commit=False,
            )
        )
    create_doctor(db, hospital=sunrise, name="Dr. Gone", is_active=False, commit=False)
    db.commit()
    return {"blr": blr, "mum": mum, "sunrise": sunrise, "harbour": harbour, "doctors": doctors}


# The patient tests' world (imported when used: ``patient_helpers`` builds on this module).
@pytest.fixture
def surgery(db: Session, monkeypatch: pytest.MonkeyPatch) -> Surgery:
    """A doctor open every day, with the payment gateway and clock the patient tests use."""
    from tests.api.v1.patient_helpers import build_surgery

    return build_surgery(db, monkeypatch)


@pytest.fixture
def asha(client: TestClient, db: Session) -> Person:
    from tests.api.v1.patient_helpers import person

    return person(client, db, name="Asha Rao")


@pytest.fixture
def ravi(client: TestClient, db: Session) -> Person:
    from tests.api.v1.patient_helpers import person

    return person(client, db, name="Ravi Kumar")
