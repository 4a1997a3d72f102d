"""The admin's view of every message, and sending a failed one again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus.core.errors import Conflict, Forbidden, NotFound
from healthcareplus.core.models import AuditEvent, Notification, PendingNews, Role, User
from healthcareplus.domain.notifications import message_log
from healthcareplus.domain.notifications.pending_news import MAX_ATTEMPTS
from tests.factories import create_appointment, create_doctor, create_user

T0 = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)


def message(session: Session, user: User, n: int, **values: object) -> Notification:
    row = Notification(
        key=f"test:{n}:{user.id}",
        event="payment_succeeded",
        user_id=user.id or 0,
        channel="email",
        to_address=user.email,
        subject=f"Message {n}",
        body="Body",
        status="sent",
        created_at=T0 + timedelta(minutes=n),
        due_at=T0 + timedelta(minutes=n),
    )
    for name, value in values.items():
        setattr(row, name, value)
    session.add(row)
    session.commit()
    return row


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN)


@pytest.fixture
def patient(session: Session) -> User:
    return create_user(session, role=Role.PATIENT)


def test_messages_newest_first_with_filters_and_counts(session: Session, patient: User) -> None:
    message(session, patient, 1)
    message(session, patient, 2, status="failed", attempts=5, last_error="SMTP 550")
    message(session, patient, 3, channel="in_app", status="sent")

    page = message_log.list_messages(session)
    assert [row.subject for row in page.items] == ["Message 3", "Message 2", "Message 1"]
    failed = message_log.list_messages(session, status="failed").items
    assert [(r.subject, r.attempts, r.last_error, r.can_retry) for r in failed] == [
        ("Message 2", 5, "SMTP 550", True)
    ]
    assert [r.subject for r in message_log.list_messages(session, channel="in_app").items] == [
        "Message 3"
    ]
    assert message_log.list_messages(session, status="nonsense").paging.total == 3
    assert message_log.status_counts(session) == {
        "queued": 0, "sent": 2, "recorded": 0, "kept": 0, "skipped": 0, "failed": 1
    }  # fmt: skip
    assert page.items[0].recipient.endswith(f"<{patient.email}>")


def test_an_admin_sends_a_failed_message_again_and_it_is_audited(
    session: Session, admin: User, patient: User
) -> None:
    failed = message(session, patient, 1, status="failed", attempts=5, last_error="SMTP 550")
    now = T0 + timedelta(days=1)

    message_log.retry_message(session, message_id=failed.id, actor_id=admin.id, now=now)
    session.commit()

    session.refresh(failed)
    assert (failed.status, failed.attempts, failed.last_error, failed.due_at) == (
        "queued", 0, "", now
    )  # fmt: skip
    (entry,) = session.exec(select(AuditEvent).where(AuditEvent.action == "message_retried"))
    assert (entry.actor_user_id, entry.entity_id) == (admin.id, str(failed.id))


def test_only_failed_or_kept_messages_go_again(
    session: Session, admin: User, patient: User
) -> None:
    sent = message(session, patient, 1)
    with pytest.raises(Conflict):
        message_log.retry_message(session, message_id=sent.id, actor_id=admin.id, now=T0)
    for bad in (10_000, "1", None):
        with pytest.raises(NotFound):
            message_log.retry_message(session, message_id=bad, actor_id=admin.id, now=T0)  # type: ignore[arg-type]


def test_only_an_admin_sends_again(session: Session, patient: User) -> None:
    failed = message(session, patient, 1, status="failed")
    with pytest.raises(Forbidden):
        message_log.retry_message(
            session, message_id=failed.id, actor_id=patient.id, actor_role=Role.PATIENT, now=T0
        )
    session.refresh(failed)
    assert failed.status == "failed"


def pending(session: Session, patient: User, attempts: int, error: str = "") -> PendingNews:
    visit = create_appointment(session, doctor=create_doctor(session), start_at=T0, patient=patient)
    row = PendingNews(
        event="cancelled", appointment_id=visit.id, occurrence=1, moves=0, appointment="{}",
        created_at=T0, attempts=attempts, last_error=error,
    )  # fmt: skip
    session.add(row)
    session.commit()
    return row


def test_letters_waiting_and_those_that_failed_every_try(
    session: Session, admin: User, patient: User
) -> None:
    pending(session, patient, 0)
    pending(session, patient, MAX_ATTEMPTS - 1, "ValueError: once")  # still being tried
    stuck = pending(session, patient, MAX_ATTEMPTS, "KeyError: 'start_at'")

    letters = message_log.letters_to_write(session)
    assert letters.waiting == 2
    assert [(s.id, s.event, s.error) for s in letters.stuck] == [
        (stuck.id, "cancelled", "KeyError: 'start_at'")
    ]

    message_log.retry_letters(session, pending_id=stuck.id, actor_id=admin.id, now=T0)
    session.commit()
    session.refresh(stuck)
    assert (stuck.attempts, stuck.last_error) == (0, "")  # the worker takes it again
    assert message_log.letters_to_write(session) == message_log.LettersToWrite(3, ())
    (entry,) = session.exec(select(AuditEvent).where(AuditEvent.action == "letters_retried"))
    assert (entry.actor_user_id, entry.appointment_id) == (admin.id, stuck.appointment_id)


def test_only_an_admin_retries_only_letters_that_failed_every_try(
    session: Session, admin: User, patient: User
) -> None:
    trying = pending(session, patient, 1, "ValueError: once")
    stuck = pending(session, patient, MAX_ATTEMPTS, "KeyError")
    for bad in (trying.id, 10_000, "1", None):
        with pytest.raises(NotFound):
            message_log.retry_letters(session, pending_id=bad, actor_id=admin.id, now=T0)  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        message_log.retry_letters(
            session, pending_id=stuck.id, actor_id=patient.id, actor_role=Role.PATIENT, now=T0
        )
    session.expire_all()
    assert [p.attempts for p in session.exec(select(PendingNews)).all()] == [1, MAX_ATTEMPTS]
