"""Application settings, read from the environment with the ``HCP_`` prefix.

Reflex itself reads its own overrides as ``REFLEX_<FIELD>``; the database URL is the one
setting both share, so ``REFLEX_DB_URL`` (when set) wins over ``HCP_DATABASE_URL``.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from healthcareplus.core.instance_secrets import instance_secrets, is_published

DEFAULT_DATABASE_URL = "sqlite:///healthcareplus.core.db"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


class ConfigurationError(RuntimeError):
    """The settings are not safe for the chosen environment."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HCP_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = DEFAULT_DATABASE_URL
    # No defaults: unset, development and test use this installation's own random values
    # (``instance_secrets``, kept in ``instance_dir``); production refuses to start.
    secret_key: str = ""
    admin_code: str = ""
    instance_dir: str = "instance"
    clinic_timezone: str = "Asia/Kolkata"
    hold_minutes: int = Field(default=10, ge=1, le=120)
    # How long a waitlist offer holds its freed slot for the waiter (HCP_WAITLIST_OFFER_MINUTES).
    waitlist_offer_minutes: int = Field(default=15, ge=1, le=24 * 60)
    # How long a doctor who confirms bookings himself has to answer a request (it lapses
    # then, or at the visit's start if sooner).
    request_answer_hours: int = Field(default=24, ge=1, le=14 * 24)
    min_notice_minutes: int = Field(default=60, ge=0, le=24 * 60)
    booking_horizon_days: int = Field(default=30, ge=1, le=365)
    payment_success_rate: float = Field(default=0.9, ge=0.0, le=1.0)
    # The mock gateway's own ledger (a file, so every worker and a restarted one share it).
    mock_gateway_path: str = "mock_gateway.db"
    # How long a payment waits for the gateway before telling the patient it is still
    # processing; well under ``payment_stuck_minutes``, after which reconciliation asks the
    # gateway what happened to the attempt.
    gateway_timeout_seconds: float = Field(default=20.0, gt=0, le=120)
    payment_stuck_minutes: int = Field(default=5, ge=1, le=60)
    # A session ends after this long unused (sliding), and in any case this long after
    # sign-in (absolute cap).
    session_idle_hours: int = Field(default=24 * 7, ge=1, le=24 * 90)
    session_max_days: int = Field(default=30, ge=1, le=365)
    # Sign-in throttling: failures of one account from one client before it must wait, and
    # failures from one client across accounts (password spraying) before it must wait.
    login_max_failures: int = Field(default=5, ge=1)
    login_client_max_failures: int = Field(default=50, ge=1)
    login_window_minutes: int = Field(default=15, ge=1)
    # The longest wait the exponential back-off imposes (the first wait is 30 seconds).
    login_max_backoff_minutes: int = Field(default=15, ge=1, le=24 * 60)
    # How many reverse proxies in front of the app append to X-Forwarded-For; 0 = none
    # (the socket's peer address is the client).
    trusted_proxy_hops: int = Field(default=0, ge=0, le=10)
    download_link_seconds: int = Field(default=120, ge=10, le=3600)
    # How long a new account's emailed set-your-password link works (single use).
    invite_link_hours: int = Field(default=72, ge=1, le=24 * 14)
    page_size: int = Field(default=12, ge=1, le=100)
    # Email: smtp://[user:password@]host:port (STARTTLS when offered) or smtps:// (TLS from
    # the start); unset, messages are kept in the app's outbox instead of sent.
    smtp_url: str = ""
    # A CA bundle (PEM) the SMTP server's certificate is checked against; "" = the system's.
    smtp_ca_file: str = ""
    mail_from: str = "HealthCarePlus <no-reply@healthcareplus.in>"
    # Where patients reach the app: the links in emails start with it.
    public_url: str = "http://localhost:3000"
    # The job worker's queue: Redis when set (several workers, several machines), else a
    # SQLite file in the instance folder.
    redis_url: str = ""
    # Texts (SMS, WhatsApp): "record" = the development provider, which records each text
    # in instance/text-messages.jsonl (status "recorded", nothing reaches a phone); "off" =
    # texts are kept in the outbox. No real SMS/WhatsApp gateway is connected yet.
    text_provider: Literal["record", "off"] = "record"
    # Reminders before a visit (hours, comma separated) and when an unpaid hold is nudged.
    reminder_hours: str = "24,2"
    hold_nudge_minutes: int = Field(default=3, ge=0, le=60)  # 0: no nudge
    # A message that failed this many times is marked failed and shown to admins.
    delivery_max_attempts: int = Field(default=5, ge=1, le=20)
    # How long a worker's claim on a message holds: a worker killed mid-send leaves a claim
    # that lapses after this, and the message is sent again.
    delivery_lease_seconds: int = Field(default=120, ge=1, le=3600)
    # PostgreSQL connections each app process keeps open, and how many more it may open
    # for a burst (closed again after it). Keep the pool at least the number of requests a
    # process serves at once (40 threads), or busy processes open and close a connection
    # for many requests; processes x (pool + overflow) must stay under max_connections.
    db_pool_size: int = Field(default=40, ge=1, le=500)
    db_pool_overflow: int = Field(default=10, ge=0, le=500)
    # The REST API (/api/v1): bearer access tokens live this long; refresh tokens live as
    # long as a browser login (HCP_SESSION_IDLE_HOURS unused, HCP_SESSION_MAX_DAYS at most).
    api_access_token_minutes: int = Field(default=15, ge=1, le=60)
    # API rate limits, per fixed window: requests from one client address, and requests
    # with one login's tokens or one API key (both apply). Counted in Redis when
    # HCP_REDIS_URL is set, else in the database.
    api_rate_window_seconds: int = Field(default=60, ge=1, le=3600)
    api_rate_per_address: int = Field(default=300, ge=1)
    api_rate_per_token: int = Field(default=120, ge=1)
    # Idempotency-Key: a key and its first answer are kept this long after first use.
    api_idempotency_hours: int = Field(default=24, ge=1, le=24 * 30)

    @field_validator("clinic_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except ZoneInfoNotFoundError:  # a KeyError, which pydantic would not report
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @property
    def effective_database_url(self) -> str:
        return os.environ.get("REFLEX_DB_URL") or self.database_url

    @property
    def clinic_zone(self) -> ZoneInfo:
        return ZoneInfo(self.clinic_timezone)

    def check_safe_for_env(self) -> None:
        """Refuse published secrets anywhere, and production without strong ones."""
        problems = []
        for name, value in (
            ("HCP_SECRET_KEY", self.secret_key),
            ("HCP_ADMIN_CODE", self.admin_code),
        ):
            if value and is_published(value):
                problems.append(f"{name} is a value that has been published; choose a new one")
        if self.env == "production":
            if len(self.secret_key) < 32:
                problems.append("HCP_SECRET_KEY must be set to a random value of 32+ characters")
            if len(self.admin_code.strip()) < 12:
                problems.append("HCP_ADMIN_CODE must be set to a private code of 12+ characters")
        if problems:
            where = " in production" if self.env == "production" else ""
            raise ConfigurationError(f"Refusing to start{where}: " + "; ".join(problems))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings; outside production, unset secrets come from the instance folder."""
    settings = Settings()
    if settings.env == "production" or (settings.secret_key and settings.admin_code):
        return settings
    stored = instance_secrets(PROJECT_ROOT / settings.instance_dir)  # absolute paths win
    return settings.model_copy(
        update={key: getattr(settings, key) or stored[key] for key in ("secret_key", "admin_code")}
    )
