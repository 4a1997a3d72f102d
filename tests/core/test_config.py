from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from healthcareplus.core.config import (
    DEFAULT_DATABASE_URL,
    ConfigurationError,
    Settings,
    get_settings,
)

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "q8Vx2LrT9mZ4kP1wYc7N-f3Hs0Qe6Ju5Bn8Wd"
GOOD_CODE = "Clinic-Secret-2030"
# The values earlier versions published as development defaults.
OLD_SECRET_KEY = "dev-secret-change-me"
OLD_ADMIN_CODE = "HCP-ADMIN-DEV"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """No HCP_* settings and no REFLEX_DB_URL from the surrounding environment (only a
    fresh instance folder, so no test writes secrets into the project)."""
    for key in list(os.environ):
        if key.startswith("HCP_"):
            monkeypatch.delenv(key)
    monkeypatch.delenv("REFLEX_DB_URL", raising=False)
    monkeypatch.setenv("HCP_INSTANCE_DIR", str(tmp_path / "instance"))
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def production(**values: str) -> Settings:
    return Settings(env="production", **values)


# --- check_safe_for_env --------------------------------------------------------------------


@pytest.mark.usefixtures("clean_env")
def test_production_with_all_defaults_names_both_settings() -> None:
    with pytest.raises(ConfigurationError) as error:
        production().check_safe_for_env()
    message = str(error.value)
    assert message.startswith("Refusing to start in production")
    assert "HCP_SECRET_KEY" in message and "HCP_ADMIN_CODE" in message


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(
    "secret",
    [OLD_SECRET_KEY, "", "short-secret-of-31-characters.."],
    ids=["published", "empty", "too-short"],
)
def test_production_refuses_a_bad_secret_key(secret: str) -> None:
    with pytest.raises(ConfigurationError) as error:
        production(secret_key=secret, admin_code=GOOD_CODE).check_safe_for_env()
    assert "HCP_SECRET_KEY" in str(error.value)
    assert "HCP_ADMIN_CODE" not in str(error.value)


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(
    "code", [OLD_ADMIN_CODE, "", "12345678901"], ids=["published", "missing", "too-short"]
)
def test_production_refuses_a_bad_admin_code(code: str) -> None:
    with pytest.raises(ConfigurationError) as error:
        production(secret_key=GOOD_SECRET, admin_code=code).check_safe_for_env()
    assert "HCP_ADMIN_CODE" in str(error.value)
    assert "HCP_SECRET_KEY" not in str(error.value)


@pytest.mark.usefixtures("clean_env")
def test_production_with_good_values_passes() -> None:
    settings = production(secret_key=GOOD_SECRET, admin_code=GOOD_CODE)
    settings.check_safe_for_env()  # no error
    assert settings.env == "production"


@pytest.mark.parametrize("env", ["development", "test"])
def test_no_secret_has_a_default(clean_env: pytest.MonkeyPatch, env: str) -> None:
    settings = Settings(env=env)
    assert (settings.secret_key, settings.admin_code) == ("", "")


@pytest.mark.parametrize("env", ["development", "test", "production"])
@pytest.mark.parametrize(
    "values",
    [
        {"secret_key": OLD_SECRET_KEY, "admin_code": GOOD_CODE},
        {"secret_key": GOOD_SECRET, "admin_code": OLD_ADMIN_CODE},
        {"secret_key": GOOD_SECRET, "admin_code": f" {OLD_ADMIN_CODE.lower()} "},
    ],
)
def test_published_values_are_refused_in_every_environment(
    clean_env: pytest.MonkeyPatch, env: str, values: dict[str, str]
) -> None:
    with pytest.raises(ConfigurationError, match="has been published"):
        Settings(env=env, **values).check_safe_for_env()


def test_settings_come_from_hcp_environment_variables(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("HCP_ENV", "production")
    clean_env.setenv("HCP_SECRET_KEY", GOOD_SECRET)
    clean_env.setenv("HCP_ADMIN_CODE", OLD_ADMIN_CODE)
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError, match="HCP_ADMIN_CODE"):
        get_settings().check_safe_for_env()
    clean_env.setenv("HCP_ADMIN_CODE", GOOD_CODE)
    assert get_settings().admin_code == OLD_ADMIN_CODE  # cached until cleared
    get_settings.cache_clear()
    get_settings().check_safe_for_env()


def test_development_is_the_default_env(clean_env: pytest.MonkeyPatch) -> None:
    assert Settings().env == "development"
    Settings().check_safe_for_env()


def test_unknown_env_is_rejected(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("HCP_ENV", "prod")
    with pytest.raises(ValidationError, match="env"):
        Settings()


# --- database URL --------------------------------------------------------------------------


def test_reflex_db_url_wins_over_hcp_database_url(clean_env: pytest.MonkeyPatch) -> None:
    assert Settings().effective_database_url == DEFAULT_DATABASE_URL
    clean_env.setenv("HCP_DATABASE_URL", "postgresql+psycopg://app@db/hcp")
    assert Settings().effective_database_url == "postgresql+psycopg://app@db/hcp"
    clean_env.setenv("REFLEX_DB_URL", "sqlite:///reflex.db")
    assert Settings().effective_database_url == "sqlite:///reflex.db"
    assert Settings().database_url == "postgresql+psycopg://app@db/hcp"


def test_empty_reflex_db_url_falls_back(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("HCP_DATABASE_URL", "sqlite:///hcp.db")
    clean_env.setenv("REFLEX_DB_URL", "")
    assert Settings().effective_database_url == "sqlite:///hcp.db"


# --- clinic time zone and bounds ------------------------------------------------------------


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize("zone", ["Mars/Olympus", "Asia/Bombay_", "", "../etc/passwd"])
def test_unknown_clinic_timezone_is_rejected(zone: str) -> None:
    with pytest.raises(ValidationError, match="clinic_timezone"):
        Settings(clinic_timezone=zone)


def test_unknown_clinic_timezone_from_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("HCP_CLINIC_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        Settings()


@pytest.mark.usefixtures("clean_env")
def test_known_clinic_timezone() -> None:
    assert Settings().clinic_zone == ZoneInfo("Asia/Kolkata")
    assert Settings(clinic_timezone="Europe/London").clinic_zone == ZoneInfo("Europe/London")


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(
    "values",
    [
        {"hold_minutes": 0},
        {"session_max_days": 366},
        {"payment_success_rate": 1.5},
        {"login_max_failures": 0},
        {"page_size": 0},
    ],
)
def test_out_of_range_numbers_are_rejected(values: dict[str, float]) -> None:
    with pytest.raises(ValidationError):
        Settings(**values)


# --- the app refuses to start in production with unsafe settings ----------------------------


def _import_app(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HCP_", "REFLEX_"))}
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = f"{venv_bin}{os.pathsep}{env.get('PATH', '')}"
    env["REFLEX_DB_URL"] = f"sqlite:///{tmp_path / 'app.db'}"
    env["HCP_ENV"] = "production"
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-c", "import healthcareplus.healthcareplus"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_app_refuses_to_start_in_production_without_secrets(tmp_path: Path) -> None:
    result = _import_app(tmp_path)
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert "HCP_SECRET_KEY" in result.stderr and "HCP_ADMIN_CODE" in result.stderr


def test_app_starts_in_production_with_good_secrets(tmp_path: Path) -> None:
    result = _import_app(tmp_path, HCP_SECRET_KEY=GOOD_SECRET, HCP_ADMIN_CODE=GOOD_CODE)
    assert result.returncode == 0, result.stderr
    assert "Refusing" not in result.stderr
