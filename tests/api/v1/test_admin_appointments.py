"""The admin dashboard over the API: every filter gives what the dashboard's own domain
call gives, the statistics match its cards and tables, and the actions change (and
audit) exactly what the dashboard's buttons do; refused actions change nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Appointment, AuditEvent
from healthcareplus.domain.admin import dashboard
from healthcareplus.domain.admin.dashboard_table import list_appointments
from healthcareplus.domain.admin.filters import AdminFilters
from tests.api.v1.conftest import V1, problem
from tests.api.v1.staff_data import AdminWorld, booked, build_admin_world, refused_unchanged

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
LIST = f"{V1}/admin/appointments"


@pytest.fixture
def world(client, db: Session) -> AdminWorld:
    return build_admin_world(client, db)


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["items"]]


def test_every_filter_gives_what_the_dashboard_gives(client, db, world) -> None:
    c = world.clinic
    today, tomorrow = c.today, c.today + timedelta(days=1)
    cases: list[tuple[dict[str, Any], dict[str, str], int]] = [
        ({}, {}, 12),
        ({"doctor_id": c.anil.id}, {"doctor": str(c.anil.id)}, 7),
        ({"hospital_id": c.lakeside.id}, {"hospital": str(c.lakeside.id)}, 2),
        ({"city_id": c.mumbai.id}, {"city": str(c.mumbai.id)}, 2),
        ({"status": "cancelled"}, {"status": "cancelled"}, 2),
        ({"payment_status": "Refunded"}, {"payment": "Refunded"}, 1),
        ({"date": tomorrow.isoformat()}, {"date": tomorrow.isoformat()}, 2),
        (
            {"date_from": (today - timedelta(days=1)).isoformat(),
             "date_to": (today - timedelta(days=2)).isoformat()},  # backwards: turned round
            {"from": (today - timedelta(days=2)).isoformat(),
             "to": (today - timedelta(days=1)).isoformat()},
            4,
        ),
        ({"sort": "fee_desc", "city_id": c.bangalore.id},
         {"sort": "fee_desc", "city": str(c.bangalore.id)}, 10),
        ({"sort": "start_asc", "doctor_id": c.anil.id, "status": "confirmed"},
         {"sort": "start_asc", "doctor": str(c.anil.id), "status": "confirmed"}, 2),
    ]  # fmt: skip
    for params, url, count in cases:
        found = _ids(client.get(LIST, params=params, headers=world.admin_headers))
        expected = list_appointments(db, filters=AdminFilters.from_query(url), now=utcnow())
        assert found == [row.id for row in expected.items], params
        assert len(found) == count, params


def test_pages_and_one_appointment(client, world) -> None:
    first = client.get(LIST, params={"page_size": 5}, headers=world.reader_key).json()
    assert first["page"] == {
        "total": 12, "page": 1, "pages": 3, "page_size": 5, "has_prev": False, "has_next": True
    }  # fmt: skip
    last = client.get(LIST, params={"page_size": 5, "page": 99}, headers=world.admin_headers)
    assert last.json()["page"]["page"] == 3 and len(last.json()["items"]) == 2
    pages = [
        client.get(LIST, params={"page_size": 5, "page": p}, headers=world.admin_headers)
        for p in (1, 2, 3)
    ]
    every = {row["id"] for page in pages for row in page.json()["items"]}
    assert len(every) == 12

    one = client.get(f"{LIST}/{world['a4'].id}", headers=world.reader_key)
    row = one.json()
    assert row["patient_name"] == "Meera Nair" and row["doctor_name"] == "Dr. Anil Rao"
    assert row["payment_status"] == "Success" and row["can_cancel"] and not row["can_refund"]
    assert row["start_at"].startswith(world["a4"].start_at.strftime("%Y-%m-%dT%H:%M"))
    assert row["fee_paise"] == 50_000 and row["fee_label"] == "₹500"
    problem(client.get(f"{LIST}/{'0' * 8}-0000-4000-8000-000000000000", headers=world.reader_key),
            404, "not-found")  # fmt: skip


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "cheapest"}, "sort"),
        ({"status": "lost"}, "status"),
        ({"payment_status": "paid"}, "payment_status"),
        ({"date": "9999-12-31"}, "date"),
        ({"date_from": "1999-12-31"}, "date_from"),
        ({"doctor_id": 0}, "doctor_id"),
        ({"page_size": 101}, "page_size"),
    ],
)
def test_a_bad_filter_is_refused_by_name(client, world, params, field) -> None:
    for path in (LIST, f"{V1}/admin/statistics", f"{V1}/admin/reports/appointments.csv"):
        if field == "page_size" and path != LIST:
            continue
        body = problem(client.get(path, params=params, headers=world.admin_headers), 422)
        assert [(e["location"], e["field"]) for e in body["errors"]] == [("query", field)]


def test_the_statistics_are_the_dashboards(client, db, world) -> None:
    c = world.clinic
    stats = client.get(f"{V1}/admin/statistics", headers=world.reader_key).json()
    cards = dashboard.dashboard_stats(db, filters=AdminFilters(), now=utcnow())
    assert stats["cards"] == {**vars(cards)}
    assert stats["bookings_per_day"]["total"] <= 12
    assert {h["hospital_name"] for h in stats["hospital_bookings"]} == {
        "Sunrise Hospital", "Lakeside Clinic", "Harbour Hospital"
    }  # fmt: skip
    assert stats["top_doctors"][0]["doctor_name"] == "Dr. Anil Rao"
    assert sum(m["count"] for m in stats["payment_methods"]) == 9

    mumbai = client.get(
        f"{V1}/admin/statistics", params={"city_id": c.mumbai.id}, headers=world.admin_headers
    ).json()
    assert mumbai["cards"]["bookings"] == 2 and mumbai["cards"]["doctors"] == 1

    hospitals = client.get(
        f"{V1}/admin/statistics/hospitals", params={"page_size": 2}, headers=world.reader_key
    ).json()
    assert hospitals["page"]["total"] == 3 and hospitals["page"]["pages"] == 2
    assert hospitals["items"][0]["hospital_name"] == "Sunrise Hospital"
    assert hospitals["items"][0]["bookings"] == 8
    doctors = client.get(f"{V1}/admin/statistics/doctors", headers=world.reader_key).json()
    assert [d["doctor_name"] for d in doctors["items"]][0] == "Dr. Anil Rao"
    assert {d["doctor_name"]: d["is_active"] for d in doctors["items"]}["Dr. Bela Shah"] is False


def _audits(db: Session) -> list[tuple[str, int | None, str | None]]:
    db.expire_all()
    return list(
        db.exec(
            select(AuditEvent.action, AuditEvent.actor_user_id, AuditEvent.appointment_id)
            .where(AuditEvent.entity.is_(None) | (AuditEvent.entity != "api_key"))  # type: ignore[union-attr]
            .order_by(AuditEvent.id)
        ).all()
    )


def test_the_actions(client, db, world) -> None:
    c, admin = world.clinic, world.admin.id
    gone_by = booked(db, c.anil, c.patient, c.today - timedelta(days=1), "11:00")
    cancelled = client.post(
        f"{LIST}/{world['a4'].id}/cancel",
        headers=world.admin_headers,
        json={"reason": "Doctor unavailable"},
    )
    assert cancelled.status_code == 200, cancelled.text
    body = cancelled.json()
    assert body["action"] == "admin_cancelled" and body["message"].endswith(
        "refunded to the patient."
    )
    assert body["appointment"]["status"] == "cancelled"
    assert body["appointment"]["payment_status"] == "Refunded"
    assert body["appointment"]["cancel_reason"] == "Doctor unavailable"

    no_show = client.post(f"{LIST}/{gone_by.id}/no-show", headers=world.writer_key)
    assert no_show.json()["appointment"]["status"] == "no_show"
    refund = client.post(
        f"{LIST}/{world['a2'].id}/refund", headers=world.writer_key, json={"reason": "Goodwill"}
    )
    assert refund.json()["appointment"]["payment_status"] == "Refunded"
    paid = client.post(f"{LIST}/{world['a5'].id}/mark-paid", headers=world.admin_headers)
    assert paid.json()["action"] == "marked_paid"
    assert paid.json()["appointment"]["transaction_id"].startswith("HCP-")
    # Every action is audited as the admin, through the key too.
    assert sorted((a, who) for a, who, _ in _audits(db)) == [
        ("admin_cancelled", admin), ("marked_paid", admin), ("no_show", admin),
        ("refunded", admin), ("refunded", admin),
    ]  # fmt: skip


def test_refused_actions_change_nothing(client, db, world) -> None:
    headers = world.admin_headers
    refused_unchanged(
        client,
        db,
        [
            ("POST", f"/admin/appointments/{world['a3'].id}/cancel", {"reason": "Again"}),
            ("POST", f"/admin/appointments/{world['a10'].id}/refund", {"reason": "Unpaid"}),
            ("POST", f"/admin/appointments/{world['a4'].id}/refund", {"reason": "Still ahead"}),
            ("POST", f"/admin/appointments/{world['a4'].id}/mark-paid", None),
            ("POST", f"/admin/appointments/{world['a10'].id}/no-show", None),
        ],
        headers,
        409,
        "conflict",
    )
    body = problem(
        client.post(f"{LIST}/{world['a4'].id}/refund", headers=headers, json={"reason": "x y"}),
        409,
    )
    assert body["detail"].startswith("This visit is still ahead. Cancel the appointment instead")
    refused_unchanged(
        client,
        db,
        [
            ("POST", f"/admin/appointments/{world['a4'].id}/cancel", {"reason": "x"}),
            ("POST", f"/admin/appointments/{world['a4'].id}/cancel", {}),
            ("POST", f"/admin/appointments/{world['a4'].id}/cancel", {"reason": "ok", "x": 1}),
        ],
        headers,
        422,
        "validation-failed",
    )
    refused_unchanged(
        client,
        db,
        [("POST", "/admin/appointments/nope/cancel", {"reason": "Gone away"})],
        headers,
        404,
        "not-found",
    )
    db.expire_all()
    assert db.get(Appointment, world["a4"].id).status == "confirmed"


def test_a_retried_refund_or_cancel_with_its_key_happens_once(client, db, world) -> None:
    from healthcareplus.core.models import Payment

    refund_path = f"{LIST}/{world['a2'].id}/refund"
    keyed = {**world.writer_key, "Idempotency-Key": "refund-a2-1"}
    first = client.post(refund_path, headers=keyed, json={"reason": "Goodwill"})
    again = client.post(refund_path, headers=keyed, json={"reason": "Goodwill"})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    db.expire_all()
    refunds = db.exec(
        select(Payment).where(
            Payment.appointment_id == world["a2"].id, Payment.status == "Refunded"
        )
    ).all()
    assert len(refunds) == 1
    # The same key with another body is refused; without a key a retry is refused anew.
    problem(client.post(refund_path, headers=keyed, json={"reason": "Other"}), 422,
            "idempotency-key-reused")  # fmt: skip
    problem(client.post(refund_path, headers=world.writer_key, json={"reason": "Goodwill"}), 409)

    cancel_path = f"{LIST}/{world['a4'].id}/cancel"
    cancel_keyed = {**world.admin_headers, "Idempotency-Key": "cancel-a4"}
    done = client.post(cancel_path, headers=cancel_keyed, json={"reason": "Doctor unavailable"})
    replay = client.post(cancel_path, headers=cancel_keyed, json={"reason": "Doctor unavailable"})
    assert (done.status_code, replay.status_code) == (200, 200)
    assert replay.json() == done.json()
    assert [a for a, _, ref in _audits(db) if ref == world["a4"].id].count("admin_cancelled") == 1
