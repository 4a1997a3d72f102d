"""Signing in, refreshing and signing out through the API, on SQLite and PostgreSQL: the
website's rules (throttling, blocked and deactivated accounts, sessions ending) hold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import TooManyAttempts
from healthcareplus.core.models import ApiToken, Role, UserSession
from healthcareplus.domain.accounts import sessions, throttle
from healthcareplus.domain.accounts.auth import authenticate
from healthcareplus.domain.accounts.credentials import change_password
from healthcareplus.domain.admin.patients import block_patient
from tests.api.v1.conftest import PASSWORD, V1, make_user, problem, sign_in, tokens

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_sign_in_gives_a_working_pair_and_me_tells_who(any_client, any_db: Session) -> None:
    asha = make_user(any_db, email="asha@example.in", name="Asha Rao")

    response = sign_in(any_client, "  ASHA@example.in ")  # as the website: trimmed, any case
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["access_token"].startswith("hcp_at_")
    assert body["refresh_token"].startswith("hcp_rt_")
    assert 880 <= body["expires_in"] <= 900  # 15 minutes
    assert body["refresh_expires_in"] > 6 * 24 * 3600  # the session's idle window (7 days)

    me = any_client.get(f"{V1}/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json() == {
        "id": asha.id,
        "name": "Asha Rao",
        "email": "asha@example.in",
        "role": "patient",
        "auth": "bearer",
        "scopes": ["appointments:read", "appointments:write", "catalog:read"],
        "api_key": None,
    }
    # The database keeps hashes only, and the login is one of the account's devices.
    stored = any_db.exec(select(ApiToken.token_hash)).all()
    assert body["access_token"] not in stored and len(stored) == 2
    devices = sessions.active_sessions(any_db, user_id=asha.id, current_token=None, now=utcnow())
    assert [d.device for d in devices] == ["API client"]


def test_wrong_password_and_unknown_email_are_the_same_401(any_client, any_db: Session) -> None:
    make_user(any_db, email="asha@example.in")
    for email, password in (("asha@example.in", "Wrong#Pass1"), ("nobody@example.in", PASSWORD)):
        body = problem(sign_in(any_client, email, password), 401, "sign-in-failed")
        assert body["detail"] == "Invalid email or password"
    response = sign_in(any_client, "asha@example.in", "Wrong#Pass1")
    assert response.headers["www-authenticate"].startswith("Bearer")
    missing = problem(any_client.post(f"{V1}/auth/token", data={"username": "x"}), 422)
    assert [(e["location"], e["field"]) for e in missing["errors"]] == [("body", "password")]


def test_failed_sign_ins_lock_the_api_and_the_website_alike(any_client, any_db: Session) -> None:
    make_user(any_db, email="asha@example.in")
    for _ in range(5):
        problem(sign_in(any_client, "asha@example.in", "Wrong#Pass1"), 401)

    locked = sign_in(any_client, "asha@example.in")  # even the right password waits
    body = problem(locked, 429, "sign-in-throttled")
    wait = int(locked.headers["retry-after"])  # 30 s, less the moments since the last failure
    assert 25 <= wait <= 30
    assert body["detail"] == f"Too many failed sign-in attempts. Try again in {wait} seconds."
    # The same client (the test client's address) is held back on the website too.
    with pytest.raises(TooManyAttempts):
        authenticate(
            any_db,
            email="asha@example.in",
            password=PASSWORD,
            client_key=throttle.client_key_for("testclient"),
            roles=(Role.PATIENT,),
        )


def test_forwarded_for_counts_only_behind_trusted_proxies(client, db, monkeypatch) -> None:
    from tests.api.v1.conftest import set_env

    make_user(db, email="asha@example.in")

    def fail_from(address: str) -> int:
        headers = {"X-Forwarded-For": address}
        return sign_in(client, "asha@example.in", "Wrong#Pass1", headers=headers).status_code

    # No trusted proxy: the header is the client's own words, so every spoofed address
    # is still the one client, and it is locked after five failures.
    assert [fail_from(f"203.0.113.{n}") for n in range(6)] == [401] * 5 + [429]

    set_env(monkeypatch, trusted_proxy_hops=1)
    # Behind one proxy the header's last entry is the client: another address is not locked.
    assert fail_from("198.51.100.7") == 401
    assert (
        sign_in(client, "asha@example.in", headers={"X-Forwarded-For": "198.51.100.8"}).status_code
        == 200
    )


def test_refresh_rotates_and_a_reused_refresh_token_ends_the_sign_in(any_client, any_db) -> None:
    make_user(any_db, email="asha@example.in")
    first = tokens(any_client, "asha@example.in")

    rotated = any_client.post(f"{V1}/auth/refresh", json={"refresh_token": first.refresh})
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh_token"] != first.refresh and second["access_token"] != first.access
    new_headers = {"Authorization": f"Bearer {second['access_token']}"}
    assert any_client.get(f"{V1}/me", headers=new_headers).status_code == 200
    # The old pair is retired: its access token no longer works.
    problem(any_client.get(f"{V1}/me", headers=first.headers), 401, "invalid-token")

    # The old refresh token again (a stolen copy): refused, and the whole sign-in ends.
    reused = any_client.post(f"{V1}/auth/refresh", json={"refresh_token": first.refresh})
    assert "already used" in problem(reused, 401, "invalid-token")["detail"]
    problem(any_client.get(f"{V1}/me", headers=new_headers), 401, "invalid-token")
    again = any_client.post(f"{V1}/auth/refresh", json={"refresh_token": second["refresh_token"]})
    problem(again, 401, "invalid-token")
    revoked = any_db.exec(select(UserSession.revoked_reason)).all()
    assert revoked == ["refresh_token_reused"]


@pytest.mark.parametrize(
    "value", ["", "hcp_rt_short", "hcp_at_" + "a" * 43, "x" * 600, "hcp_rt_" + "é" * 43]
)
def test_malformed_refresh_tokens_are_refused(client, value: str) -> None:
    response = client.post(f"{V1}/auth/refresh", json={"refresh_token": value})
    assert response.status_code in (401, 422)
    problem(response, response.status_code)


def test_logout_ends_every_token_of_the_sign_in(any_client, any_db: Session) -> None:
    make_user(any_db, email="asha@example.in")
    mine, other_device = (
        tokens(any_client, "asha@example.in"),
        tokens(any_client, "asha@example.in"),
    )

    assert any_client.post(f"{V1}/auth/logout", headers=mine.headers).status_code == 204
    problem(any_client.get(f"{V1}/me", headers=mine.headers), 401, "invalid-token")
    refused = any_client.post(f"{V1}/auth/refresh", json={"refresh_token": mine.refresh})
    problem(refused, 401, "invalid-token")
    # Another sign-in of the same account is not affected.
    assert any_client.get(f"{V1}/me", headers=other_device.headers).status_code == 200

    # Signing out with the refresh token alone (the access token expired).
    body = {"refresh_token": other_device.refresh}
    assert any_client.post(f"{V1}/auth/logout", json=body).status_code == 204
    problem(any_client.get(f"{V1}/me", headers=other_device.headers), 401)
    problem(any_client.post(f"{V1}/auth/logout", json=body), 401, "invalid-token")
    problem(any_client.post(f"{V1}/auth/logout"), 401, "unauthorized")


def test_a_blocked_patients_tokens_stop_at_once(any_client, any_db: Session) -> None:
    admin = make_user(any_db, role=Role.ADMIN)
    asha = make_user(any_db, email="asha@example.in")
    pair = tokens(any_client, "asha@example.in")

    block_patient(
        any_db, patient_id=asha.id, reason="Abusive calls", actor_id=admin.id, now=utcnow()
    )
    any_db.commit()

    problem(any_client.get(f"{V1}/me", headers=pair.headers), 401, "invalid-token")
    refused = any_client.post(f"{V1}/auth/refresh", json={"refresh_token": pair.refresh})
    problem(refused, 401, "invalid-token")
    blocked = problem(sign_in(any_client, "asha@example.in"), 401, "sign-in-failed")
    assert blocked["detail"] == "This account has been blocked. Contact the clinic."


@pytest.mark.parametrize("change", ["blocked", "deactivated", "role"])
def test_the_account_is_checked_on_every_request(client, db: Session, change: str) -> None:
    """Even without revoking anything, a changed account's token stops working."""
    user = make_user(db, role=Role.DOCTOR, email="doc@example.in")
    pair = tokens(client, "doc@example.in")
    assert client.get(f"{V1}/me", headers=pair.headers).status_code == 200
    user.is_blocked = change == "blocked"
    user.is_active = change != "deactivated"
    user.role = Role.PATIENT if change == "role" else Role.DOCTOR
    db.add(user)
    db.commit()
    problem(client.get(f"{V1}/me", headers=pair.headers), 401, "invalid-token")
    problem(client.post(f"{V1}/auth/refresh", json={"refresh_token": pair.refresh}), 401)


def test_password_change_and_sign_out_everywhere_end_api_sign_ins(client, db: Session) -> None:
    asha = make_user(db, email="asha@example.in")
    pair = tokens(client, "asha@example.in")
    change_password(
        db,
        user_id=asha.id,
        current_password=PASSWORD,
        new_password="New#Horse10",
        confirm_password="New#Horse10",
        client_key="browser",
        now=utcnow(),
    )
    db.commit()
    problem(client.get(f"{V1}/me", headers=pair.headers), 401, "invalid-token")
    problem(client.post(f"{V1}/auth/refresh", json={"refresh_token": pair.refresh}), 401)

    pair = tokens(client, "asha@example.in", "New#Horse10")
    sessions.sign_out_everywhere(db, user_id=asha.id, now=utcnow())
    db.commit()
    problem(client.get(f"{V1}/me", headers=pair.headers), 401, "invalid-token")


def test_an_expired_access_token_is_refused_and_refresh_still_works(client, db: Session) -> None:
    make_user(db, email="asha@example.in")
    pair = tokens(client, "asha@example.in")
    for row in db.exec(select(ApiToken).where(col(ApiToken.kind) == "access")):
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.add(row)
    db.commit()
    problem(client.get(f"{V1}/me", headers=pair.headers), 401, "invalid-token")
    assert (
        client.post(f"{V1}/auth/refresh", json={"refresh_token": pair.refresh}).status_code == 200
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer"},
        {"Authorization": "bearer    "},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Bearer hcp_rt_" + "a" * 43},  # a refresh token is no access token
        {"Authorization": "Bearer " + "a" * 5000},
        {"Authorization": "Bearer hcp_at_" + "a" * 43, "X-API-Key": "hcp_key_" + "b" * 43},
        {"X-API-Key": ""},
        {"X-API-Key": "hcp_key_" + "b" * 43},
    ],
)
def test_bad_credentials_are_401_problems_even_on_public_routes(client, headers) -> None:
    for path in ("/me", "/cities"):
        body = problem(client.get(f"{V1}{path}", headers=headers), 401, "invalid-token")
        assert body["detail"]


def test_me_needs_a_credential(client) -> None:
    response = client.get(f"{V1}/me")
    problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")
    # Another scheme (an OAuth2 client's Basic credentials) names no caller.
    basic = {"Authorization": "Basic Og=="}
    problem(client.get(f"{V1}/me", headers=basic), 401, "unauthorized")
    assert client.get(f"{V1}/cities", headers=basic).status_code == 200


def test_the_token_endpoint_ignores_client_basic_credentials(client, db: Session) -> None:
    """Swagger UI's password flow sends ``Basic base64(client_id:secret)`` along."""
    make_user(db, email="asha@example.in")
    response = sign_in(client, "asha@example.in", headers={"Authorization": "Basic Og=="})
    assert response.status_code == 200


def test_signing_out_the_api_device_on_the_security_page_ends_its_tokens(client, db) -> None:
    asha = make_user(db, email="asha@example.in")
    pair = tokens(client, "asha@example.in")
    [device] = sessions.active_sessions(db, user_id=asha.id, current_token=None, now=utcnow())
    assert device.device == "API client"
    sessions.revoke_own_session(db, user_id=asha.id, session_id=device.id, now=utcnow())
    db.commit()
    problem(client.get(f"{V1}/me", headers=pair.headers), 401, "invalid-token")
    problem(client.post(f"{V1}/auth/refresh", json={"refresh_token": pair.refresh}), 401)
