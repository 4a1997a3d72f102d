"""Schemathesis against the live API: every operation of ``/api/v1/openapi.json``, with
generated valid and invalid requests, sent over HTTP as each kind of caller (anonymous,
the demo patient, the demo doctor, the demo admin). No answer may be a server error, and
every answer must match the document: its status code, content type and body schema.

The server is granian serving ``tests.api.v1.docs_server:app`` (the app's own ASGI API
inside its security headers: what ``reflex run --env prod`` mounts) with one worker on a
fresh migrated SQLite database seeded like ``make run`` (the demo accounts, reference data
and some generated appointments). granian starts in about a second, where
``reflex run --env prod --backend-only`` would compile the app first, and SQLite needs no
server, so this runs wherever ``make test`` does. One worker: answers come in the order
asked, so the run is deterministic (fixed seed, fixed number of examples per operation).

Operations run in the document's order, each generated request as every caller in turn.
State changes are allowed (the database is thrown away): the admin's destructive
operations (blocking a patient, deactivating a doctor) come after the patient's and the
doctor's own ones, and can only turn later answers into documented refusals. Signing out
would end the caller's sign-in for every later operation, so ``POST /auth/logout`` signs
in afresh for each call.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import bindparam, text
from sqlmodel import Session

from healthcareplus.core.db import dispose_engines, get_engine
from healthcareplus.core.migrations import upgrade
from healthcareplus.seed.demo import DEMO_ACCOUNTS, seed_appointments, seed_reference_data
from tests.api.v1.conftest import CHEAP_HASH, PASSWORD
from tests.api.v1.live_server import granian_api

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
ROOT = Path(__file__).resolve().parents[3]
MAX_EXAMPLES = 12  # per operation, in the fuzzing phase (explicit examples come on top)
SEED = 20260101
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = ("anonymous", "patient", "doctor", "admin")
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            # The callers' credentials are ours (see ROLES); no generated ones.
            "with-security-parameters": False,
        },
        "phases": {
            "examples": {"enabled": True},
            "fuzzing": {"enabled": True},
            # The coverage phase sends every boundary of every parameter: unbounded by
            # max-examples, it would take several times as long.
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
    }
)


def _seeded_database(path: Path) -> str:
    """A migrated SQLite database seeded like ``make run``; the demo accounts' passwords
    are made cheap to check (each sign-in costs milliseconds, not a quarter second)."""
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = get_engine(url)
    with Session(engine) as session:
        seed_reference_data(session)
    seed_appointments(engine, count=60)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE users SET password_hash = :hash WHERE email IN :emails").bindparams(
                bindparam("emails", expanding=True)
            ),
            {"hash": CHEAP_HASH, "emails": [email for _, email, _ in DEMO_ACCOUNTS]},
        )
    dispose_engines()
    return url


@dataclass
class LiveApi:
    base: str  # http://127.0.0.1:<port>/api/v1
    emails: dict[str, str]  # role -> the demo account's email
    headers: dict[str, dict[str, str]]  # role -> its credentials

    def sign_in(self, role: str) -> dict[str, str]:
        if role == "anonymous":
            return {}
        answer = httpx.post(
            f"{self.base}/auth/token",
            data={"username": self.emails[role], "password": PASSWORD},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture(scope="module")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """The API served by granian on a free port, on a fresh seeded database."""
    work = tmp_path_factory.mktemp("schemathesis")
    url = _seeded_database(work / "api.db")
    log_path = work / "granian.log"
    with granian_api(url, log_path, workers=1, rate_limit=1_000_000) as base:
        api = LiveApi(base, {str(role): email for role, email, _ in DEMO_ACCOUNTS}, {})
        api.headers = {role: api.sign_in(role) for role in ROLES}
        yield api
    errors = [line for line in log_path.read_text().splitlines() if "Traceback" in line]
    assert not errors, log_path.read_text()


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every operation, from the app's document (the same app the server
    runs: read here, at collection, without a server)."""
    from healthcareplus.api.v1.app import create_v1_app

    document = create_v1_app().openapi()
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "put", "post", "delete", "patch")
    ]


@pytest.fixture(scope="module")
def api_schema(live_api: LiveApi) -> Any:
    """The document as the live server publishes it."""
    return schemathesis.openapi.from_url(f"{live_api.base}/openapi.json", config=CONFIG)


def test_the_server_publishes_the_same_operations(api_schema: Any) -> None:
    published = [
        (operation.ok().method.upper(), operation.ok().path)
        for operation in api_schema.get_all_operations()
    ]
    assert sorted(published) == sorted(_operations())


@pytest.mark.parametrize(("method", "path"), _operations(), ids=lambda v: str(v))
def test_the_live_api_keeps_its_document(
    method: str, path: str, api_schema: Any, live_api: LiveApi
) -> None:
    operation = api_schema[path][method]
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )
    signs_out = path == "/auth/logout"

    @given(case=cases)
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    def run(case: Any) -> None:
        for role in ROLES:
            headers = live_api.sign_in(role) if signs_out else live_api.headers[role]
            response = case.call(base_url=live_api.base, headers=headers, timeout=60)
            sent = {**(case.headers or {}), **headers}
            try:
                case.validate_response(response, checks=CHECKS, headers=sent)
            except Exception as exc:
                exc.add_note(f"as the {role}")
                raise

    run()
