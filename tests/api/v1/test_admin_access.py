"""Who may call the admin endpoints: every one of them refuses anonymous callers (401),
patients and doctors (403), and API keys without the scope (403); a refused write
changes nothing. The list below must name every admin operation of the document."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from healthcareplus.core.models import Role, WebhookEndpoint
from tests.api.v1.conftest import V1, make_user, problem
from tests.api.v1.staff_data import (
    AdminWorld,
    Call,
    build_admin_world,
    refused_unchanged,
    send,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _calls(world: AdminWorld, other_admin: int) -> tuple[list[Call], list[Call]]:
    """(reads, writes) of every admin endpoint, with valid arguments."""
    c = world.clinic
    a4, anil, soon = world["a4"].id, c.anil.id, c.today + timedelta(days=1)
    slot = {"doctor_id": anil, "start_at": f"{soon.isoformat()}T05:30:00Z"}
    doctor = {
        "name": "Kavya Menon", "specialization": "Cardiologist", "qualification": "MBBS, MD",
        "experience_years": 9, "fee_rupees": 700, "gender": "Female", "languages": ["English"],
        "hospital_id": c.sunrise.id, "phone": "98450 12345",
    }  # fmt: skip
    patient = {"name": "Meera Nair", "phone": "98450 11111"}
    hospital = {
        "city_id": c.bangalore.id, "name": "New Clinic", "address": "1 MG Road, Bengaluru",
        "specialties": ["General Physician"],
    }  # fmt: skip
    reads: list[Call] = [
        ("GET", "/admin/appointments", None),
        ("GET", f"/admin/appointments/{a4}", None),
        ("GET", "/admin/statistics", None),
        ("GET", "/admin/statistics/hospitals", None),
        ("GET", "/admin/statistics/doctors", None),
        ("GET", f"/admin/timetable?doctor_id={anil}", None),
        ("GET", "/admin/doctors", None),
        ("GET", f"/admin/doctors/{anil}", None),
        ("GET", f"/admin/doctors/{anil}/follow-ups", None),
        ("GET", f"/admin/doctors/{anil}/weekly-hours", None),
        ("GET", "/admin/patients", None),
        ("GET", f"/admin/patients/{c.patient.id}", None),
        ("GET", f"/admin/patients/{c.patient.id}/appointments", None),
        ("GET", "/admin/cities", None),
        ("GET", f"/admin/cities/{c.mumbai.id}", None),
        ("GET", "/admin/hospitals", None),
        ("GET", f"/admin/hospitals/{c.harbour.id}", None),
        ("GET", "/admin/admins", None),
        ("GET", "/admin/audit-events", None),
        ("GET", "/admin/reports/appointments.csv", None),
        ("GET", "/admin/reports/monthly", None),
        ("GET", "/admin/reports/monthly.csv", None),
        ("GET", "/admin/reports/monthly.pdf", None),
        ("GET", "/admin/reports/monthly.xlsx", None),
    ]
    writes: list[Call] = [
        ("POST", f"/admin/appointments/{a4}/cancel", {"reason": "Doctor away"}),
        ("POST", f"/admin/appointments/{world['a8'].id}/no-show", None),
        ("POST", f"/admin/appointments/{world['a2'].id}/refund", {"reason": "Goodwill"}),
        ("POST", f"/admin/appointments/{world['a5'].id}/mark-paid", None),
        ("POST", "/admin/timetable/block", slot),
        ("POST", "/admin/timetable/unblock", slot),
        ("POST", "/admin/doctors", {**doctor, "email": "kavya@example.in"}),
        ("PUT", f"/admin/doctors/{anil}", doctor),
        ("POST", f"/admin/doctors/{anil}/deactivate", {"reason": "Left"}),
        ("POST", f"/admin/doctors/{c.bela.id}/reactivate", None),
        ("POST", f"/admin/doctors/{anil}/invitation", None),
        ("PUT", f"/admin/doctors/{anil}/weekly-hours", {"blocks": []}),
        ("PUT", f"/admin/patients/{c.patient.id}", patient),
        ("POST", f"/admin/patients/{c.patient.id}/block", {"reason": "Abusive calls"}),
        ("POST", f"/admin/patients/{c.patient.id}/unblock", None),
        ("POST", "/admin/cities", {"name": "Mysuru", "state": "Karnataka"}),
        ("PUT", f"/admin/cities/{c.mumbai.id}", {"name": "Bombay", "state": "Maharashtra"}),
        ("POST", "/admin/hospitals", hospital),
        ("PUT", f"/admin/hospitals/{c.harbour.id}", hospital),
        ("POST", "/admin/admins", {"name": "Farah Khan", "email": "f@example.in",
                                   "phone": "98450 12345"}),
        ("POST", f"/admin/admins/{other_admin}/deactivate", None),
        ("POST", f"/admin/admins/{other_admin}/reactivate", None),
    ]  # fmt: skip
    return reads, writes


@pytest.fixture
def world(client, db: Session) -> AdminWorld:
    return build_admin_world(client, db)


@pytest.fixture
def calls(db: Session, world: AdminWorld) -> tuple[list[Call], list[Call]]:
    other = make_user(db, role=Role.ADMIN, email="farhan@example.in", name="Farhan Ali")
    reads, writes = _calls(world, other.id)
    return _with_webhooks(db, world, reads, writes)


def _with_webhooks(
    db: Session, world: AdminWorld, reads: list[Call], writes: list[Call]
) -> tuple[list[Call], list[Call]]:
    """The webhook endpoints' operations, on an endpoint registered here."""
    hook = WebhookEndpoint(
        url="https://hooks.example.in/hcp",
        events=["appointment.confirmed"],
        secret_seed="seed-for-the-access-tests",
        created_by_user_id=world.admin.id or 0,
    )
    db.add(hook)
    db.commit()
    one = f"/admin/webhooks/{hook.id}"
    new = {"url": "https://hooks.example.in/new", "events": ["payment.refunded"]}
    reads = [*reads, ("GET", "/admin/webhooks", None), ("GET", one, None)]
    reads.append(("GET", f"{one}/deliveries", None))
    writes = [*writes, ("POST", "/admin/webhooks", new), ("PATCH", one, {"description": "x"})]
    writes += [("POST", f"{one}/rotate-secret", None), ("DELETE", one, None)]
    return reads, writes


def test_the_list_covers_every_admin_operation(client, calls) -> None:
    document = client.get(f"{V1}/openapi.json").json()
    operations = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if path.startswith("/admin/") and not path.startswith("/admin/api-keys")
    }
    reads, writes = calls
    templates = {
        (m, document_path)
        for m, p, _ in reads + writes
        for document_path, _item in document["paths"].items()
        if _matches(document_path, p.split("?")[0]) and m.lower() in _item
    }
    assert templates == operations


def _matches(template: str, path: str) -> bool:
    parts, given = template.split("/"), path.split("/")
    return len(parts) == len(given) and all(
        t == g or (t.startswith("{") and t.endswith("}")) for t, g in zip(parts, given, strict=True)
    )


def test_anonymous_callers_are_refused(client, db, calls) -> None:
    reads, writes = calls
    refused_unchanged(client, db, reads + writes, {}, 401, "unauthorized")


def test_patients_and_doctors_are_refused(client, db, world, calls) -> None:
    reads, writes = calls
    for headers in (world.patient_headers, world.doctor_headers):
        refused_unchanged(client, db, reads + writes, headers, 403, "insufficient-scope")


def test_keys_need_the_scope(client, db, world, calls) -> None:
    reads, writes = calls
    refused_unchanged(client, db, reads + writes, world.catalog_key, 403, "insufficient-scope")
    refused_unchanged(client, db, writes, world.reader_key, 403, "insufficient-scope")
    body = problem(send(client, writes[0], world.reader_key), 403)
    assert body["detail"] == "This needs the scope admin:write."
    for call in reads:  # reading is enough with admin:read
        response = send(client, call, world.reader_key)
        assert response.status_code == 200, (call, response.text)


def test_a_deactivated_admins_key_stops(client, db, world, calls) -> None:
    world.admin.is_active = False
    db.add(world.admin)
    db.commit()
    reads, writes = calls
    refused_unchanged(client, db, reads[:2] + writes[:2], world.writer_key, 401, "invalid-token")
