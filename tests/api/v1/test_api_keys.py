"""API keys: admins make, list and revoke them (audited); a key acts for its admin within
its scopes, and stops when revoked, expired or its admin loses access."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import Depends
from sqlmodel import Session, select

from healthcareplus.api.v1 import create_v1_app
from healthcareplus.api.v1.callers import Caller, needs_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import ApiKey, AuditEvent, Role, User
from tests.api.v1.conftest import V1, TestClient, make_user, problem, tokens

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
KEYS = f"{V1}/admin/api-keys"


@pytest.fixture
def admin_headers(client, db: Session) -> dict[str, str]:
    make_user(db, role=Role.ADMIN, email="meera@example.in", name="Meera Iyer")
    return tokens(client, "meera@example.in").headers


def new_key(client, headers, **body) -> dict:
    response = client.post(KEYS, headers=headers, json={"name": "Front desk", **body})
    assert response.status_code == 201, response.text
    return response.json()


def test_an_admin_makes_lists_and_revokes_a_key(client, db: Session, admin_headers) -> None:
    made = client.post(
        KEYS,
        headers=admin_headers,
        json={"name": "  Reception   display ", "scopes": ["catalog:read", "appointments:read"]},
    )
    assert made.status_code == 201
    body = made.json()
    assert made.headers["location"] == f"/admin/api-keys/{body['id']}"
    assert made.headers["cache-control"] == "no-store"
    key = body["key"]
    assert key.startswith("hcp_key_") and body["prefix"] == key[:16]
    assert body["name"] == "Reception display" and body["status"] == "active"
    assert body["scopes"] == ["appointments:read", "catalog:read"]
    assert body["created_by"]["name"] == "Meera Iyer"
    stored = db.exec(select(ApiKey)).one()
    assert stored.token_hash != key and key not in str(stored.model_dump())

    listed = client.get(KEYS, headers=admin_headers).json()["items"]
    assert len(listed) == 1 and "key" not in listed[0] and listed[0]["prefix"] == body["prefix"]

    me = client.get(f"{V1}/me", headers={"X-API-Key": key}).json()
    assert me["auth"] == "api_key" and me["role"] == "admin" and me["name"] == "Meera Iyer"
    assert me["api_key"] == {"id": body["id"], "name": "Reception display"}
    assert me["scopes"] == ["appointments:read", "catalog:read"]
    db.expire_all()
    assert db.get(ApiKey, body["id"]).last_used_at is not None

    assert client.delete(f"{KEYS}/{body['id']}", headers=admin_headers).status_code == 204
    problem(client.get(f"{V1}/me", headers={"X-API-Key": key}), 401, "invalid-token")
    assert client.delete(f"{KEYS}/{body['id']}", headers=admin_headers).status_code == 204
    assert client.get(KEYS, headers=admin_headers).json()["items"][0]["status"] == "revoked"
    assert client.get(KEYS, params={"include_revoked": "false"}, headers=admin_headers).json() == {
        "items": []
    }
    problem(client.delete(f"{KEYS}/999", headers=admin_headers), 404, "not-found")

    audits = db.exec(select(AuditEvent.action, AuditEvent.entity, AuditEvent.detail)).all()
    assert [(a, e) for a, e, _ in audits] == [
        ("api_key_created", "api_key"),
        ("api_key_revoked", "api_key"),
    ]
    assert audits[0][2]["scopes"] == "appointments:read, catalog:read"
    assert key not in str(audits)


def test_only_admins_signed_in_as_people_manage_keys(client, db: Session, admin_headers) -> None:
    key = new_key(client, admin_headers, scopes=["admin:read", "admin:write"])["key"]
    make_user(db, email="asha@example.in")
    patient = tokens(client, "asha@example.in").headers
    for headers, status, slug in (
        ({}, 401, "unauthorized"),
        (patient, 403, "forbidden"),
        ({"X-API-Key": key}, 403, "forbidden"),  # a key never mints keys
    ):
        problem(client.get(KEYS, headers=headers), status, slug)
        problem(
            client.post(KEYS, headers=headers, json={"name": "x", "scopes": ["admin:read"]}),
            status,
            slug,
        )
        problem(client.delete(f"{KEYS}/1", headers=headers), status, slug)
    assert len(db.exec(select(ApiKey)).all()) == 1


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": "x", "scopes": ["catalog:read"]}, ["name"]),
        ({"name": "Front desk", "scopes": []}, ["scopes"]),
        ({"name": "Front desk", "scopes": ["root"]}, ["scopes"]),
        (
            {
                "name": "Front desk",
                "scopes": ["catalog:read"],
                "expires_at": "2020-01-01T00:00:00Z",
            },
            ["expires_at"],
        ),
        (
            {"name": "Front desk", "scopes": ["catalog:read"], "expires_at": "2027-01-01T00:00"},
            ["expires_at"],
        ),
        ({"name": "a\u0000b", "scopes": ["catalog:read"]}, ["name"]),
        ({"name": "Front desk", "scopes": ["catalog:read"], "owner": 1}, ["owner"]),
        ({"scopes": "catalog:read"}, ["name", "scopes"]),
    ],
)
def test_a_refused_key_names_its_fields(client, admin_headers, body, fields) -> None:
    found = problem(client.post(KEYS, headers=admin_headers, json=body), 422, "validation-failed")
    assert sorted(e["field"] for e in found["errors"]) == fields


def test_a_key_stops_when_it_expires_or_its_admin_loses_access(client, db, admin_headers) -> None:
    soon = (utcnow() + timedelta(days=1)).isoformat()
    made = new_key(client, admin_headers, scopes=["catalog:read"], expires_at=soon)
    headers = {"X-API-Key": made["key"]}
    assert client.get(f"{V1}/me", headers=headers).status_code == 200
    row = db.get(ApiKey, made["id"])
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.add(row)
    db.commit()
    problem(client.get(f"{V1}/me", headers=headers), 401, "invalid-token")
    assert client.get(KEYS, headers=admin_headers).json()["items"][0]["status"] == "expired"

    other = new_key(client, admin_headers, scopes=["catalog:read"])
    headers = {"X-API-Key": other["key"]}
    user = db.get(User, db.get(ApiKey, other["id"]).created_by_user_id)
    user.is_active = False  # the admin who made it is deactivated
    db.add(user)
    db.commit()
    problem(client.get(f"{V1}/me", headers=headers), 401, "invalid-token")


def test_scopes_decide_what_a_key_may_do(client, db: Session, admin_headers) -> None:
    """A route needing a scope, on the real API app: keys by their scopes, people by role."""
    app = create_v1_app()

    @app.get("/needs-appointments-read")
    def guarded(caller: Caller = Depends(needs_scope("appointments:read"))) -> dict[str, str]:
        return {"kind": caller.kind}

    @app.get("/needs-admin-write")
    def admin_only(caller: Caller = Depends(needs_scope("admin:write"))) -> dict[str, str]:
        return {"kind": caller.kind}

    catalog_key = new_key(client, admin_headers, scopes=["catalog:read"])["key"]
    reader_key = new_key(client, admin_headers, scopes=["appointments:read"])["key"]
    make_user(db, email="asha@example.in")
    patient = tokens(client, "asha@example.in").headers
    with TestClient(app) as local:
        assert local.get("/needs-appointments-read", headers={"X-API-Key": reader_key}).json() == {
            "kind": "api_key"
        }
        refused = problem(
            local.get("/needs-appointments-read", headers={"X-API-Key": catalog_key}),
            403,
            "insufficient-scope",
        )
        assert refused["detail"] == "This needs the scope appointments:read."
        assert local.get("/needs-appointments-read", headers=patient).json() == {"kind": "person"}
        problem(local.get("/needs-admin-write", headers=patient), 403, "insufficient-scope")
        assert local.get("/needs-admin-write", headers=admin_headers).status_code == 200
        problem(local.get("/needs-admin-write", headers={"X-API-Key": reader_key}), 403)
        problem(local.get("/needs-admin-write"), 401, "unauthorized")


def test_a_key_made_used_and_revoked_on_both_databases(any_client, any_db: Session) -> None:
    make_user(any_db, role=Role.ADMIN, email="meera@example.in")
    admin = tokens(any_client, "meera@example.in").headers
    made = any_client.post(
        KEYS, headers=admin, json={"name": "Kiosk", "scopes": ["catalog:read", "admin:read"]}
    ).json()
    key = {"X-API-Key": made["key"]}
    assert any_client.get(f"{V1}/me", headers=key).json()["scopes"] == [
        "admin:read",
        "catalog:read",
    ]
    assert any_client.delete(f"{KEYS}/{made['id']}", headers=admin).status_code == 204
    problem(any_client.get(f"{V1}/me", headers=key), 401, "invalid-token")
