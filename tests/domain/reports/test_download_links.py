"""Signed download links: only the untouched, unexpired token for its own file works."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import Forbidden
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.reports import download_links as tokens

NOW = datetime(2026, 3, 20, 6, 30, tzinfo=UTC)
PARAMS = {"status": "confirmed", "from": "2026-03-01", "to": "2026-03-31"}


def _payload(token: str) -> dict:
    body = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _encode(body: dict) -> str:
    raw = json.dumps(body, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_fresh_token_grants_its_user_and_params() -> None:
    token = tokens.issue(user_id=7, purpose="appointments_csv", params=PARAMS, now=NOW)

    grant = tokens.verify(token, purpose="appointments_csv", now=NOW + timedelta(seconds=299))
    assert grant == tokens.DownloadGrant(user_id=7, params=PARAMS)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert _payload(token)["exp"] == int(NOW.timestamp()) + 300


def test_expired_tokens_are_refused() -> None:
    token = tokens.issue(user_id=7, purpose="monthly_pdf", params={}, now=NOW, ttl_seconds=60)
    assert tokens.verify(token, purpose="monthly_pdf", now=NOW + timedelta(seconds=59))
    with pytest.raises(Forbidden, match="expired"):
        tokens.verify(token, purpose="monthly_pdf", now=NOW + timedelta(seconds=60))
    with pytest.raises(Forbidden, match="expired"):
        tokens.verify(token, purpose="monthly_pdf", now=NOW + timedelta(days=1))


@pytest.mark.parametrize("other", ["monthly_csv", "monthly_pdf", "nonsense"])
def test_a_token_only_opens_its_own_file(other: str) -> None:
    token = tokens.issue(user_id=7, purpose="appointments_csv", params=PARAMS, now=NOW)
    with pytest.raises(Forbidden, match="not valid"):
        tokens.verify(token, purpose=other, now=NOW)  # type: ignore[arg-type]


def test_tampered_tokens_are_refused() -> None:
    token = tokens.issue(user_id=7, purpose="appointments_csv", params=PARAMS, now=NOW)
    body, signature = token.split(".")
    payload = _payload(token)
    forged = [
        # Another user, wider filters, a later expiry, each with the original signature.
        _encode({**payload, "u": 1}) + "." + signature,
        _encode({**payload, "q": {}}) + "." + signature,
        _encode({**payload, "exp": payload["exp"] + 86_400}) + "." + signature,
        # A flipped signature character, a dropped signature, junk, an empty string.
        body + "." + ("A" if signature[0] != "A" else "B") + signature[1:],
        body + ".",
        body,
        "not-a-token",
        "",
        "x" * 5000,
        "ü.ü",
    ]
    for bad in forged:
        with pytest.raises(Forbidden, match="not valid"):
            tokens.verify(bad, purpose="appointments_csv", now=NOW)


def test_tokens_signed_with_another_secret_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    token = tokens.issue(user_id=7, purpose="monthly_csv", params={}, now=NOW)
    monkeypatch.setenv("HCP_SECRET_KEY", "another-secret-of-enough-length")
    get_settings.cache_clear()
    try:
        with pytest.raises(Forbidden):
            tokens.verify(token, purpose="monthly_csv", now=NOW)
    finally:
        monkeypatch.delenv("HCP_SECRET_KEY")
        get_settings.cache_clear()
    assert tokens.verify(token, purpose="monthly_csv", now=NOW).user_id == 7


def test_issue_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError):
        tokens.issue(user_id=1, purpose="everything", params={}, now=NOW)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        tokens.issue(user_id=1, purpose="monthly_csv", params={}, now=NOW, ttl_seconds=0)
    with pytest.raises(ValueError):
        tokens.issue(user_id=1, purpose="monthly_csv", params={"a": 1}, now=NOW)  # type: ignore[dict-item]


def test_export_link_carries_the_filters_without_the_page() -> None:
    filters = AdminFilters(
        hospital_id=3,
        date_from=date(2026, 3, 1),
        date_to=date(2026, 3, 31),
        status="cancelled",
        sort="start_asc",
        page=4,
    )
    link = tokens.export_link(42, filters, NOW)

    parts = urlsplit(link)
    assert parts.path == "/api/admin/exports/appointments.csv" and not parts.netloc
    [token] = parse_qs(parts.query)["token"]
    grant = tokens.verify(token, purpose="appointments_csv", now=NOW)
    assert grant.user_id == 42
    assert grant.params == {
        "hospital": "3",
        "from": "2026-03-01",
        "to": "2026-03-31",
        "status": "cancelled",
        "sort": "start_asc",
    }
    assert AdminFilters.from_query(grant.params) == filters.without_page()


def test_monthly_links() -> None:
    for fmt, path, purpose in (
        ("csv", "/api/admin/reports/monthly.csv", "monthly_csv"),
        ("pdf", "/api/admin/reports/monthly.pdf", "monthly_pdf"),
    ):
        link = tokens.monthly_link(5, year=2026, month=2, fmt=fmt, now=NOW)
        parts = urlsplit(link)
        assert parts.path == path
        grant = tokens.verify(parse_qs(parts.query)["token"][0], purpose=purpose, now=NOW)
        assert grant == tokens.DownloadGrant(user_id=5, params={"month": "2026-02"})
    with pytest.raises(ValueError):
        tokens.monthly_link(5, year=2026, month=2, fmt="xlsx", now=NOW)  # type: ignore[arg-type]
