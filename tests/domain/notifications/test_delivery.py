"""Delivery of queued email through a real SMTP server running in the test process
(aiosmtpd): what arrives, retries with back-off, giving up, at-least-once after a worker
dies, never twice at once across workers, and keeping email when no server is set."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from icalendar import Calendar
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.db import get_engine
from healthcareplus.core.models import Appointment, Doctor, Notification, Role, User
from healthcareplus.domain.booking.appointments import cancel
from healthcareplus.domain.notifications import delivery
from healthcareplus.domain.notifications.delivery import (
    DeliveryReport,
    deliver_due,
    senders_from_settings,
)
from healthcareplus.domain.notifications.smtp import SmtpSender, message_id
from tests.factories import create_booking, create_doctor, link_doctor_user, local

MONDAY = date(2026, 11, 23)
NOW = local(date(2026, 11, 20), "09:00")
MAIL_FROM = "HealthCarePlus <no-reply@healthcareplus.in>"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """An aiosmtpd handler keeping every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


def start_server(inbox: Inbox, **options: Any) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    return controller, port


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    yield Inbox()


@pytest.fixture
def smtp(inbox: Inbox) -> Iterator[SmtpSender]:
    controller, port = start_server(inbox)
    try:
        yield SmtpSender(f"smtp://127.0.0.1:{port}", MAIL_FROM)
    finally:
        controller.stop()


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Change HCP_ settings for one test (the cached settings are dropped both ways)."""
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def book(session: Session, start: str = "10:00", doctor: Doctor | None = None) -> Appointment:
    if doctor is None:
        doctor = create_doctor(session, name="Dr. Meera Iyer")
        link_doctor_user(session, doctor)
    return create_booking(session, doctor=doctor, start_at=local(MONDAY, start), now=NOW)


def emails(url: str) -> list[Notification]:
    with Session(get_engine(url)) as session:
        return list(
            session.exec(
                select(Notification)
                .where(Notification.channel == "email")
                .order_by(col(Notification.id))
            ).all()
        )


def test_a_confirmation_is_emailed_end_to_end(
    db_url: str, session: Session, inbox: Inbox, smtp: SmtpSender
) -> None:
    booked = book(session)
    patient = session.get(User, booked.patient_id)
    assert patient is not None

    report = deliver_due(now=NOW, senders={"email": smtp}, url=db_url)

    assert report == DeliveryReport(sent=2, news=1)  # the letters written, then sent
    rows = emails(db_url)
    assert [(r.status, r.sent_at, r.attempts, r.claimed_until) for r in rows] == [
        ("sent", NOW, 1, None)
    ] * 2
    (mine,) = [r for r in rows if r.user_id == patient.id]
    (envelope,) = [e for e in inbox.envelopes if e.rcpt_tos == [patient.email]]
    assert envelope.mail_from == "no-reply@healthcareplus.in"
    mail = message_from_bytes(envelope.content, policy=policy.default)
    assert mail["From"] == MAIL_FROM and mail["To"] == patient.email
    assert mail["Subject"] == mine.subject
    assert mail["Message-ID"] == message_id(mine.key)
    assert mail.get_content_type() == "multipart/mixed"
    alternative, invitation = mail.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    text, html = alternative.get_payload()
    assert text.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    assert "₹500" in text.get_content() and booked.transaction_id in text.get_content()
    assert f'href="http://localhost:3000/appointments/{booked.id}"' in html.get_content()
    assert invitation.get_content_type() == "text/calendar"
    assert invitation.get_param("method") == "REQUEST"
    cal = Calendar.from_ical(invitation.get_content())
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(cal.walk("VEVENT")[0]["UID"]) == f"{booked.id}@healthcareplus.in"

    again = deliver_due(now=NOW + timedelta(hours=1), senders={"email": smtp}, url=db_url)
    assert again == DeliveryReport() and len(inbox.envelopes) == 2


def test_a_cancellation_sends_a_calendar_cancel(
    db_url: str, session: Session, inbox: Inbox, smtp: SmtpSender
) -> None:
    booked = book(session)
    deliver_due(now=NOW, senders={"email": smtp}, url=db_url)
    cancel(
        session,
        appointment_id=booked.id,
        actor_id=booked.patient_id,
        actor_role=Role.PATIENT,
        reason="Feeling better",
        now=NOW + timedelta(minutes=5),
    )
    session.commit()

    report = deliver_due(now=NOW + timedelta(minutes=5), senders={"email": smtp}, url=db_url)

    assert report.sent == 2
    for mail in inbox.messages()[2:]:
        assert mail["Subject"].startswith("Appointment cancelled")
        (invitation,) = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
        assert invitation.get_param("method") == "CANCEL"
        cal = Calendar.from_ical(invitation.get_content())
        event = cal.walk("VEVENT")[0]
        assert str(cal["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
        assert int(event["SEQUENCE"]) == 1


def test_a_failure_backs_off_and_gives_up_after_the_last_attempt(
    db_url: str, session: Session, settings_env: pytest.MonkeyPatch
) -> None:
    settings_env.setenv("HCP_DELIVERY_MAX_ATTEMPTS", "4")
    book(session)
    nobody = {"email": SmtpSender(f"smtp://127.0.0.1:{free_port()}", MAIL_FROM)}  # closed

    assert deliver_due(now=NOW, senders=nobody, url=db_url) == DeliveryReport(retried=2, news=1)
    rows = emails(db_url)
    assert {(r.status, r.attempts, r.due_at, r.claimed_until) for r in rows} == {
        ("queued", 1, NOW + timedelta(minutes=2), None)
    }
    assert all("ConnectionRefusedError" in r.last_error for r in rows)
    not_yet = NOW + timedelta(minutes=1)
    assert deliver_due(now=not_yet, senders=nobody, url=db_url) == DeliveryReport()

    at = NOW + timedelta(minutes=2)
    for attempts, wait in ((2, 4), (3, 8)):  # 2^attempts minutes
        assert deliver_due(now=at, senders=nobody, url=db_url) == DeliveryReport(retried=2)
        due = at + timedelta(minutes=wait)
        assert {(r.status, r.attempts, r.due_at) for r in emails(db_url)} == {
            ("queued", attempts, due)
        }
        at = due

    assert deliver_due(now=at, senders=nobody, url=db_url) == DeliveryReport(failed=2)
    assert {(r.status, r.attempts, r.sent_at) for r in emails(db_url)} == {("failed", 4, None)}
    assert deliver_due(now=at + timedelta(days=1), senders=nobody, url=db_url) == DeliveryReport()


def test_two_workers_at_once_send_each_message_exactly_once(
    either_db_url: str, inbox: Inbox, smtp: SmtpSender, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(get_engine(either_db_url), expire_on_commit=False) as session:
        doctor = create_doctor(session, name="Dr. Meera Iyer")
        link_doctor_user(session, doctor)
        for start in ("10:00", "10:15", "10:30"):
            book(session, start, doctor)
    # Both workers pick their candidates before either claims: only the claim's
    # compare-and-set can keep them from sending the same messages.
    both_looked = threading.Barrier(2, timeout=20)
    candidates = delivery._candidates

    def in_step(*args: Any) -> list[int]:
        found = candidates(*args)
        both_looked.wait()
        return found

    monkeypatch.setattr(delivery, "_candidates", in_step)
    reports: list[DeliveryReport] = []

    def worker() -> None:
        reports.append(deliver_due(now=NOW, senders={"email": smtp}, url=either_db_url))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    rows = emails(either_db_url)
    assert len(rows) == 6 and len(reports) == 2
    assert sum(r.sent for r in reports) == 6
    received = sorted(m["Message-ID"] for m in inbox.messages())
    assert received == sorted(message_id(r.key) for r in rows)  # each once, none twice
    assert {(r.status, r.attempts) for r in rows} == {("sent", 1)}


class Killed(BaseException):
    """The worker process dying mid-send (nothing after it runs)."""


def test_a_message_whose_worker_died_is_sent_again_after_the_lease(
    db_url: str, session: Session, inbox: Inbox, smtp: SmtpSender
) -> None:
    book(session)

    class SendsThenDies:
        channel = "email"

        def send(self, message: Notification) -> None:
            smtp.send(message)
            raise Killed  # before the worker could record the send

    with pytest.raises(Killed):
        deliver_due(now=NOW, senders={"email": SendsThenDies()}, batch=1, url=db_url)
    first, second = emails(db_url)
    assert (first.status, first.attempts, first.claimed_until) == (
        "queued",
        1,
        NOW + timedelta(seconds=120),
    )

    # While the claim lasts, another worker leaves the message alone (it sends the other).
    during = deliver_due(now=NOW + timedelta(seconds=60), senders={"email": smtp}, url=db_url)
    assert during == DeliveryReport(sent=1) and len(inbox.envelopes) == 2

    after = NOW + timedelta(seconds=121)
    assert deliver_due(now=after, senders={"email": smtp}, url=db_url) == DeliveryReport(sent=1)
    first = emails(db_url)[0]
    assert (first.status, first.attempts, first.sent_at) == ("sent", 2, after)
    ids = [m["Message-ID"] for m in inbox.messages()]
    assert ids.count(message_id(first.key)) == 2  # the duplicate a receiver can drop
    assert len(ids) == 3


def test_without_an_smtp_url_email_is_kept_in_the_app(
    db_url: str, session: Session, settings_env: pytest.MonkeyPatch
) -> None:
    settings_env.delenv("HCP_SMTP_URL", raising=False)
    booked = book(session)
    senders = senders_from_settings()
    # the app itself and webhooks always deliver
    assert set(senders) == {"in_app", "sms", "whatsapp", "webhook"}

    assert deliver_due(now=NOW, senders=senders, url=db_url) == DeliveryReport(kept=2, news=1)
    assert {(r.status, r.sent_at, r.attempts) for r in emails(db_url)} == {("kept", None, 0)}
    session.expire_all()
    in_app = session.exec(
        select(Notification).where(
            Notification.appointment_id == booked.id, Notification.channel == "in_app"
        )
    ).all()
    assert len(in_app) == 2 and {m.status for m in in_app} == {"sent"}


def test_the_settings_make_an_smtp_sender(settings_env: pytest.MonkeyPatch) -> None:
    settings_env.setenv("HCP_SMTP_URL", "smtps://mailer:secret@smtp.example.in:465")
    settings_env.setenv("HCP_MAIL_FROM", "Clinic <care@example.in>")
    senders = senders_from_settings()
    assert set(senders) == {"in_app", "email", "sms", "whatsapp", "webhook"}
    sender = senders["email"]
    assert isinstance(sender, SmtpSender) and sender.channel == "email"
    assert (sender.url, sender.mail_from) == (
        "smtps://mailer:secret@smtp.example.in:465",
        "Clinic <care@example.in>",
    )
    with pytest.raises(ValueError):
        SmtpSender("http://smtp.example.in", "x@example.in")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_the_url_credentials_sign_in(db_url: str, session: Session, inbox: Inbox) -> None:
    seen: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        assert isinstance(data, LoginPassword)
        seen.append((data.login, data.password))
        return AuthResult(success=data.password == b"p@ss:word")

    controller, port = start_server(
        inbox, authenticator=authenticator, auth_required=True, auth_require_tls=False
    )
    try:
        sender = SmtpSender(f"smtp://asha%40clinic.in:p%40ss%3Aword@127.0.0.1:{port}", MAIL_FROM)
        book(session)
        assert deliver_due(now=NOW, senders={"email": sender}, url=db_url).sent == 2
    finally:
        controller.stop()
    assert seen[0] == (b"asha@clinic.in", b"p@ss:word") and len(inbox.envelopes) == 2


def test_datetime_now_must_be_aware(db_url: str) -> None:
    with pytest.raises(ValueError):
        deliver_due(now=datetime(2026, 11, 20, 9, 0), senders={}, url=db_url)
