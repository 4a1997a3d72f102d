"""Shared fixtures: an isolated, migrated database per test (SQLite by default, a fresh
PostgreSQL database for tests that ask for ``pg_url``)."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".e2e"  # gitignored scratch space for databases, logs and screenshots
WORK.mkdir(exist_ok=True)

# Settings must be in place before the app's modules read them. Never use a developer's DB.
os.environ["HCP_ENV"] = "test"
os.environ.pop("HCP_DATABASE_URL", None)
os.environ["REFLEX_DB_URL"] = f"sqlite:///{WORK / 'default-unit.db'}"
os.environ["HCP_MOCK_GATEWAY_PATH"] = str(WORK / "mock-gateway-unit.db")
# This run's own secret key and admin code (made on first use, as on a first start).
os.environ["HCP_INSTANCE_DIR"] = str(WORK / "instance")
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"

from sqlmodel import Session  # noqa: E402

from healthcareplus.core.config import get_settings  # noqa: E402
from healthcareplus.core.db import dispose_engines, get_engine  # noqa: E402
from healthcareplus.core.migrations import upgrade  # noqa: E402
from tests.services import service_missing  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get(
    "HCP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per test run; each test gets a copy of it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    dispose_engines()
    return path


@pytest.fixture
def db_url(
    _migrated_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh migrated SQLite database, also made the app's default for this test."""
    path = tmp_path / "test.db"
    shutil.copy(_migrated_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("REFLEX_DB_URL", url)
    get_settings.cache_clear()
    yield url
    dispose_engines()
    get_settings.cache_clear()


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with Session(get_engine(db_url), expire_on_commit=False) as s:
        yield s


def _postgres_available() -> bool:
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(POSTGRES_ADMIN_URL)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture
def pg_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new, migrated PostgreSQL database for this test only, dropped afterwards."""
    import sqlalchemy as sa

    if not _postgres_available():
        service_missing("PostgreSQL", POSTGRES_ADMIN_URL)
    name = f"hcp_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    upgrade(url)
    monkeypatch.setenv("REFLEX_DB_URL", url)
    get_settings.cache_clear()
    try:
        yield url
    finally:
        dispose_engines()
        get_settings.cache_clear()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def either_db_url(request: pytest.FixtureRequest) -> str:
    """A fresh database, once SQLite and once PostgreSQL: for rules that must hold on both."""
    return str(request.getfixturevalue("db_url" if request.param == "sqlite" else "pg_url"))


@pytest.fixture
def either_db(either_db_url: str) -> Iterator[Session]:
    with Session(get_engine(either_db_url), expire_on_commit=False) as s:
        yield s


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser journeys run last: Playwright's sync API keeps an event loop running in the
    main thread, which async (pytest-asyncio) tests collected after it could not use."""
    items.sort(key=lambda item: "/tests/e2e/" in str(item.path))
