"""Admin webhook endpoints over HTTP: who may (an admin, or an admin's key with
admin:read / admin:write; never a patient, a doctor or anonymous), the secret shown only
when made or rotated, every change audited, and the delivery attempts listed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select
from starlette.testclient import TestClient

from healthcareplus.core.models import AuditEvent, Notification, Role, WebhookAttempt
from tests.api.v1.conftest import V1, make_user, problem, tokens
from tests.api.v1.staff_data import api_key

HOOKS = f"{V1}/admin/webhooks"
NEW = {"url": "https://hooks.example.in/hcp", "events": ["appointment.confirmed"]}


def admin_headers(client: TestClient, db: Session) -> dict[str, str]:
    admin = make_user(db, role=Role.ADMIN)
    return tokens(client, admin.email).headers


def actions(db: Session) -> list[str]:
    db.expire_all()
    rows = db.exec(select(AuditEvent).where(AuditEvent.entity == "webhook")).all()
    return [row.action for row in sorted(rows, key=lambda r: r.id or 0)]


def test_an_admin_manages_endpoints_and_the_secret_is_shown_once(
    client: TestClient, db: Session
) -> None:
    headers = admin_headers(client, db)
    made = client.post(HOOKS, headers=headers, json={**NEW, "description": "Billing"})
    assert made.status_code == 201, made.text
    assert made.headers["Cache-Control"] == "no-store"
    body = made.json()
    secret, endpoint_id = body["secret"], body["id"]
    assert secret.startswith("whsec_") and made.headers["Location"] == f"{HOOKS}/{endpoint_id}"
    assert body["events"] == ["appointment.confirmed"] and body["is_active"] is True

    read = client.get(f"{HOOKS}/{endpoint_id}", headers=headers)
    listed = client.get(HOOKS, headers=headers)
    assert read.status_code == listed.status_code == 200
    assert "secret" not in read.json() and secret not in read.text + listed.text
    assert [item["id"] for item in listed.json()["items"]] == [endpoint_id]

    changed = client.patch(
        f"{HOOKS}/{endpoint_id}",
        headers=headers,
        json={"events": ["payment.refunded", "appointment.cancelled"], "is_active": False},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["events"] == ["appointment.cancelled", "payment.refunded"]
    assert changed.json()["is_active"] is False and changed.json()["disabled_at"]

    rotated = client.post(f"{HOOKS}/{endpoint_id}/rotate-secret", headers=headers)
    assert rotated.status_code == 200 and rotated.json()["secret"] not in (secret, "")
    assert client.delete(f"{HOOKS}/{endpoint_id}", headers=headers).status_code == 204
    assert actions(db) == ["webhook_created", "webhook_updated", "webhook_secret_rotated"]
    assert client.patch(f"{HOOKS}/{endpoint_id}", headers=headers, json={"is_active": True})
    assert actions(db)[-1] == "webhook_updated"
    events = db.exec(select(AuditEvent).where(AuditEvent.entity == "webhook")).all()
    assert all(secret not in str(e.detail) for e in events)


def test_bad_fields_are_refused_with_problem_details(client: TestClient, db: Session) -> None:
    headers = admin_headers(client, db)
    refused = client.post(
        HOOKS,
        headers=headers,
        json={"url": "http://hooks.example.in/x", "events": ["appointment.exploded"]},
    )
    fields = {e["field"] for e in problem(refused, 422, "validation-failed")["errors"]}
    assert fields >= {"url", "events"}
    unknown = client.post(HOOKS, headers=headers, json={**NEW, "secret": "mine"})
    problem(unknown, 422)
    problem(client.get(f"{HOOKS}/999", headers=headers), 404)
    problem(client.get(f"{HOOKS}/999/deliveries", headers=headers), 404)
    assert actions(db) == []


def test_patients_doctors_anonymous_and_unscoped_keys_are_refused(
    client: TestClient, db: Session
) -> None:
    headers = admin_headers(client, db)
    endpoint_id = client.post(HOOKS, headers=headers, json=NEW).json()["id"]
    reader = api_key(client, headers, "admin:read")
    catalog = api_key(client, headers, "catalog:read")
    patient = tokens(client, make_user(db, role=Role.PATIENT).email).headers
    doctor = tokens(client, make_user(db, role=Role.DOCTOR).email).headers
    writes = [
        ("POST", HOOKS, NEW),
        ("PATCH", f"{HOOKS}/{endpoint_id}", {"is_active": False}),
        ("POST", f"{HOOKS}/{endpoint_id}/rotate-secret", None),
        ("DELETE", f"{HOOKS}/{endpoint_id}", None),
    ]
    reads = [
        ("GET", HOOKS, None),
        ("GET", f"{HOOKS}/{endpoint_id}", None),
        ("GET", f"{HOOKS}/{endpoint_id}/deliveries", None),
    ]
    cases = [({}, 401, "unauthorized"), (patient, 403, None), (doctor, 403, None)]
    for who, code, slug in cases:
        for method, url, json in writes + reads:
            problem(client.request(method, url, headers=who, json=json), code, slug)
    for method, url, json in writes + reads:
        problem(client.request(method, url, headers=catalog, json=json), 403, "insufficient-scope")
    for method, url, json in writes:
        problem(client.request(method, url, headers=reader, json=json), 403, "insufficient-scope")
    for method, url, _ in reads:
        assert client.request(method, url, headers=reader).status_code == 200
    assert actions(db) == ["webhook_created"]
    writer = api_key(client, headers, "admin:read", "admin:write")
    assert client.post(HOOKS, headers=writer, json=NEW).status_code == 201


def test_deliveries_are_listed_newest_first_with_paging(client: TestClient, db: Session) -> None:
    headers = admin_headers(client, db)
    made = client.post(HOOKS, headers=headers, json=NEW).json()
    admin_id = db.exec(select(AuditEvent)).one().actor_user_id
    at = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
    message = Notification(
        key="webhook:test:1",
        event="appointment.confirmed",
        user_id=admin_id or 0,
        channel="webhook",
        to_address=str(made["id"]),
        subject="appointment.confirmed to endpoint",
        body='{"id":"evt_abc","type":"appointment.confirmed"}',
        status="sent",
        attempts=3,
        due_at=at,
    )
    db.add(message)
    db.commit()
    for n, code in enumerate((500, None, 200)):
        db.add(
            WebhookAttempt(
                notification_id=message.id or 0,
                endpoint_id=made["id"],
                attempted_at=at + timedelta(minutes=n),
                status_code=code,
                error="" if code == 200 else f"error {n}",
                duration_ms=12,
            )
        )
    db.commit()

    page = client.get(f"{HOOKS}/{made['id']}/deliveries?page_size=2", headers=headers)
    assert page.status_code == 200, page.text
    body = page.json()
    assert [i["status_code"] for i in body["items"]] == [200, None]
    assert body["items"][0]["delivery_id"] == "evt_abc"
    assert body["items"][0]["message_status"] == "sent"
    assert body["paging"]["total"] == 3 and body["paging"]["has_next"] is True
    rest = client.get(f"{HOOKS}/{made['id']}/deliveries?page=2&page_size=2", headers=headers)
    assert [i["error"] for i in rest.json()["items"]] == ["error 0"]
