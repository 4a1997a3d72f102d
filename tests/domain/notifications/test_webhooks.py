"""Webhook deliveries to a real HTTP receiver in the test process: signed (and the
signature checks out, a tampered body or an old timestamp does not), retried with
back-off on a 500, never sent again after a 2xx, every attempt recorded, skipped once the
endpoint is off; queued only to subscribed endpoints, in the lifecycle's transaction."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.db import get_engine, session_scope
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.models import (
    Appointment,
    Doctor,
    Notification,
    Payment,
    PaymentStatus,
    PendingNews,
    Role,
    User,
    WebhookAttempt,
)
from healthcareplus.domain.booking.appointments import cancel
from healthcareplus.domain.notifications import webhooks
from healthcareplus.domain.notifications.centre import list_notifications, unread_count
from healthcareplus.domain.notifications.delivery import DeliveryReport, deliver_due
from healthcareplus.domain.notifications.news_letters import write_pending_news
from healthcareplus.domain.notifications.payment_news import refund_processed
from healthcareplus.domain.notifications.webhook_delivery import SkipMessage, WebhookSender
from healthcareplus.domain.notifications.webhook_signing import (
    signature_header,
    verify_signature,
)
from tests.factories import create_booking, create_doctor, create_user, local
from tests.webhook_receiver import Receiver, running_receiver

MONDAY = date(2026, 11, 23)
NOW = local(date(2026, 11, 20), "09:00")
EVERYTHING = list(webhooks.EVENTS)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as r:
        yield r


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN, name="Anita Admin")


def register(session: Session, admin: User, url: str, events: list[str] = EVERYTHING) -> tuple:
    issued = webhooks.create_endpoint(
        session,
        actor_id=admin.id or 0,
        actor_role=Role.ADMIN,
        url=url,
        events=events,
        description="Billing system",
        now=NOW,
    )
    session.commit()
    return issued.view.id, issued.secret


def book(session: Session, method: str = "upi") -> Appointment:
    doctor = create_doctor(session, name="Dr. Meera Iyer")
    return create_booking(
        session, doctor=doctor, start_at=local(MONDAY, "10:00"), now=NOW, method=method
    )


def hooks(url: str, *, written: bool = True) -> list[Notification]:
    """The webhook messages, after the worker has written the pending letters (``written``)."""
    if written:
        with session_scope(url) as s:
            write_pending_news(s, now=NOW)
    with Session(get_engine(url)) as s:
        query = select(Notification).where(Notification.channel == "webhook")
        return list(s.exec(query.order_by(col(Notification.id))).all())


def attempts(url: str) -> list[WebhookAttempt]:
    with Session(get_engine(url)) as s:
        return list(s.exec(select(WebhookAttempt).order_by(col(WebhookAttempt.id))).all())


def deliver(url: str, at: datetime) -> DeliveryReport:
    """A pass sending webhooks only (the emails are kept and the letters written: neither
    counted here)."""
    report = deliver_due(now=at, senders={"webhook": WebhookSender(url=url)}, url=url)
    return replace(report, kept=0, news=0)


def test_a_confirmation_arrives_signed_and_once(
    db_url: str, session: Session, admin: User, receiver: Receiver
) -> None:
    endpoint_id, secret = register(session, admin, receiver.url)
    assert secret.startswith("whsec_") and len(secret) == 49
    booked = book(session)
    (row,) = hooks(db_url)
    assert (row.status, row.to_address, row.user_id, row.event) == (
        "queued",
        str(endpoint_id),
        admin.id,
        "appointment.confirmed",
    )
    assert unread_count(session, user_id=admin.id or 0) == 0  # never in anyone's centre
    assert list_notifications(session, user_id=admin.id or 0).items == ()

    assert deliver(db_url, NOW) == DeliveryReport(sent=1)

    (got,) = receiver.requests
    body = json.loads(got.body)
    assert got.path == "/hooks"
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["User-Agent"] == "HealthCarePlus-Webhooks/1"
    assert got.headers["HCP-Event"] == "appointment.confirmed"
    assert got.headers["HCP-Delivery"] == body["id"] and body["id"].startswith("evt_")
    assert body["type"] == "appointment.confirmed" and body["created"].endswith("Z")
    data = body["data"]["appointment"]
    assert data["id"] == booked.id and data["status"] == "confirmed"
    assert data["payment_status"] == "Success" and data["fee_paise"] == booked.fee_paise
    assert data["doctor_name"] == "Dr. Meera Iyer"
    assert data["start_at"] == booked.start_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert "reason" not in data and "Fever" not in got.body.decode()  # no medical details

    header = got.headers["HCP-Signature"]
    now = datetime.now(UTC)
    assert verify_signature(secret, header, got.body, now=now)
    assert not verify_signature(
        secret, header, got.body.replace(b"confirmed", b"cancelled"), now=now
    )
    assert not verify_signature(secret, header, got.body, now=now + timedelta(minutes=6))
    assert not verify_signature("whsec_other", header, got.body, now=now)

    (attempt,) = attempts(db_url)
    assert (attempt.endpoint_id, attempt.status_code, attempt.error) == (endpoint_id, 200, "")
    assert attempt.notification_id == row.id and attempt.duration_ms >= 0
    assert [r.status for r in hooks(db_url)] == ["sent"]

    assert deliver(db_url, NOW + timedelta(hours=1)) == DeliveryReport()  # no duplicate
    assert len(receiver.requests) == 1 and len(attempts(db_url)) == 1


def test_a_500_is_retried_with_back_off_then_delivered_once(
    db_url: str, session: Session, admin: User, receiver: Receiver
) -> None:
    endpoint_id, secret = register(session, admin, receiver.url)
    book(session)
    receiver.answers = [500, 503]

    assert deliver(db_url, NOW) == DeliveryReport(retried=1)
    (row,) = hooks(db_url)
    assert (row.status, row.attempts, row.due_at) == ("queued", 1, NOW + timedelta(minutes=2))
    assert row.last_error == "WebhookFailed: HTTP 500"
    assert deliver(db_url, NOW + timedelta(minutes=1)) == DeliveryReport()  # not due yet
    assert deliver(db_url, NOW + timedelta(minutes=2)) == DeliveryReport(retried=1)
    assert hooks(db_url)[0].due_at == NOW + timedelta(minutes=6)
    assert deliver(db_url, NOW + timedelta(minutes=6)) == DeliveryReport(sent=1)
    assert deliver(db_url, NOW + timedelta(days=1)) == DeliveryReport()

    assert [a.status_code for a in attempts(db_url)] == [500, 503, 200]
    assert [a.error for a in attempts(db_url)] == ["HTTP 500", "HTTP 503", ""]
    assert len(receiver.requests) == 3
    assert len({r.headers["HCP-Delivery"] for r in receiver.requests}) == 1  # same id
    now = datetime.now(UTC)
    assert all(
        verify_signature(secret, r.headers["HCP-Signature"], r.body, now=now)
        for r in receiver.requests
    )
    (row,) = hooks(db_url)
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")


def test_an_unreachable_endpoint_is_recorded_and_fails_after_the_last_attempt(
    db_url: str, session: Session, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HCP_DELIVERY_MAX_ATTEMPTS", "2")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    register(session, admin, f"http://127.0.0.1:{port}/closed")
    book(session)

    assert deliver(db_url, NOW) == DeliveryReport(retried=1)
    assert deliver(db_url, NOW + timedelta(minutes=2)) == DeliveryReport(failed=1)
    assert [(a.status_code, a.error.split(":")[0]) for a in attempts(db_url)] == [
        (None, "ConnectError")
    ] * 2
    assert hooks(db_url)[0].status == "failed"


def test_a_turned_off_endpoint_is_skipped_not_sent(
    db_url: str, session: Session, admin: User, receiver: Receiver
) -> None:
    endpoint_id, _ = register(session, admin, receiver.url)
    book(session)
    (row,) = hooks(db_url)
    webhooks.update_endpoint(
        session,
        actor_id=admin.id or 0,
        actor_role=Role.ADMIN,
        endpoint_id=endpoint_id,
        is_active=False,
        now=NOW,
    )
    session.commit()
    with pytest.raises(SkipMessage):  # a sender that claimed it just before: no request
        WebhookSender(url=db_url).send(row)

    assert deliver(db_url, NOW) == DeliveryReport()
    assert [r.status for r in hooks(db_url)] == ["skipped"]
    assert receiver.requests == [] and attempts(db_url) == []
    book_again = create_booking(
        session,
        doctor=session.exec(select(Doctor)).one(),
        start_at=local(MONDAY, "11:00"),
        now=NOW,
    )
    assert book_again.status == "confirmed" and len(hooks(db_url)) == 1  # nothing new queued


def test_only_subscribed_events_are_queued(
    db_url: str, session: Session, admin: User, receiver: Receiver
) -> None:
    cancelled_only, _ = register(session, admin, receiver.url, ["appointment.cancelled"])
    register(session, admin, receiver.url, ["appointment.completed"])
    booked = book(session)
    assert hooks(db_url) == []

    cancel(
        session,
        appointment_id=booked.id,
        actor_id=booked.patient_id,
        actor_role=Role.PATIENT,
        reason="Feeling better",
        now=NOW + timedelta(minutes=5),
    )
    session.commit()

    (row,) = hooks(db_url)
    assert (row.event, row.to_address) == ("appointment.cancelled", str(cancelled_only))
    assert json.loads(row.body)["data"]["appointment"]["status"] == "cancelled"


def test_webhooks_are_queued_in_the_changes_transaction(
    db_url: str, session: Session, admin: User
) -> None:
    register(session, admin, "http://localhost:9/hooks", ["appointment.cancelled"])
    booked = book(session)
    cancel(
        session,
        appointment_id=booked.id,
        actor_id=booked.patient_id,
        actor_role=Role.PATIENT,
        reason="Feeling better",
        now=NOW + timedelta(minutes=5),
    )
    cancelling = select(PendingNews).where(PendingNews.event == "cancelled")
    (pending,) = session.exec(cancelling).all()  # with the change, not yet committed
    assert pending.appointment_id == booked.id
    assert hooks(db_url, written=False) == []
    session.rollback()
    assert hooks(db_url) == []  # nothing pending, nothing written
    still = session.get(Appointment, booked.id, populate_existing=True)
    assert still is not None and still.status == "confirmed"


def test_a_processed_refund_is_told_once(db_url: str, session: Session, admin: User) -> None:
    register(session, admin, "http://localhost:9/hooks", ["payment.refunded"])
    booked = book(session)
    cancel(
        session,
        appointment_id=booked.id,
        actor_id=booked.patient_id,
        actor_role=Role.PATIENT,
        reason="Feeling better",
        now=NOW + timedelta(minutes=5),
    )
    session.commit()
    assert hooks(db_url) == []  # refunded online: told once the gateway acknowledges
    refund = session.exec(
        select(Payment).where(Payment.status == PaymentStatus.REFUNDED.value)
    ).one()
    refund.settled_at = NOW + timedelta(hours=1)
    refund_processed(session, refund, now=NOW + timedelta(hours=1))
    session.commit()

    (row,) = hooks(db_url)
    body = json.loads(row.body)
    assert body["type"] == "payment.refunded" and row.event == "payment.refunded"
    assert body["data"]["refund"] == {"id": refund.id, "amount_paise": 50_000, "method": "upi"}
    assert body["data"]["appointment"]["payment_status"] == "Refunded"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "http://example.com/hooks",
        "https://user:pw@example.com/hooks",
        "https://example.com/#frag",
        "https://exa mple.com/",
        "https:///nohost",
        "https://example.com/" + "a" * 500,
        "",
    ],
)
def test_refused_addresses(url: str) -> None:
    with pytest.raises(ValueError):
        webhooks.clean_url(url, env="test")


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.5/hooks",
        "https://169.254.169.254/latest",
        "https://[::1]/x",
        "https://localhost/x",
        "http://127.0.0.1/x",
        "https://192.168.1.1/x",
    ],
)
def test_internal_addresses_are_refused_in_production(url: str) -> None:
    with pytest.raises(ValueError):
        webhooks.clean_url(url, env="production")


def test_allowed_addresses() -> None:
    assert webhooks.clean_url(" https://hooks.example.com/a?b=1 ", env="production") == (
        "https://hooks.example.com/a?b=1"
    )
    for local_url in ("http://localhost:8080/x", "http://127.0.0.1/x", "http://[::1]:9/x"):
        assert webhooks.clean_url(local_url, env="development") == local_url


def test_create_refuses_bad_fields_together(session: Session, admin: User) -> None:
    with pytest.raises(ValidationFailed) as refused:
        webhooks.create_endpoint(
            session,
            actor_id=admin.id or 0,
            actor_role=Role.ADMIN,
            url="http://example.com",
            events=["appointment.exploded"],
            now=NOW,
        )
    assert set(refused.value.fields) == {"url", "events"}


def test_signature_rules() -> None:
    now = datetime.now(UTC)
    t = int(now.timestamp())
    header = signature_header("whsec_a", '{"x":1}', timestamp=t)
    assert verify_signature("whsec_a", header, b'{"x":1}', now=now)
    assert verify_signature("whsec_a", f"t={t},v1=00,{header.split(',')[1]}", '{"x":1}', now=now)
    for bad in (
        "",
        "t=1",
        f"v1={header.split('v1=')[1]}",
        f"t=x,v1={header.split('v1=')[1]}",
        "é" * 10,
    ):
        assert not verify_signature("whsec_a", bad, '{"x":1}', now=now)
    assert not verify_signature("whsec_a", header, '{"x":1}', now=now - timedelta(seconds=301))
