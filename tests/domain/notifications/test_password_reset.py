"""A forgotten password: a reset link emailed to the account's mailbox, single use, one
hour, at most three an hour, and an answer that never tells whether an account exists."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.errors import Forbidden, ValidationFailed
from healthcareplus.core.models import AuditEvent, Notification, PasswordLink, Role, User
from healthcareplus.domain.accounts import password_links as links
from healthcareplus.domain.accounts import passwords
from healthcareplus.domain.accounts.auth import authenticate
from healthcareplus.domain.accounts.sessions import create_session, resolve_session
from healthcareplus.domain.notifications.password_reset import (
    MAX_LINKS_PER_HOUR,
    RESET_EVENT,
    SENT,
    request_password_reset,
)
from tests.factories import create_patient, create_user, local

NOW = local(date(2026, 11, 20), "09:00")
NEW = "Fresh#Start42"


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)


def emails(session: Session, user: User) -> list[Notification]:
    session.expire_all()
    query = select(Notification).where(
        Notification.user_id == user.id, Notification.event == RESET_EVENT
    )
    return list(session.exec(query.order_by(col(Notification.id))).all())


def token_of(message: Notification) -> str:
    url = re.search(r"https?://\S+/set-password\?token=[\w-]+", message.body)
    assert url, message.body
    return parse_qs(urlsplit(url.group(0)).query)["token"][0]


def test_the_link_reaches_only_the_mailbox_and_sets_a_new_password(session: Session) -> None:
    patient = create_patient(session, name="Asha Rao", email="asha@example.in")
    signed_in = create_session(session, user_id=patient.id, role=Role.PATIENT, now=NOW)
    session.commit()

    answer = request_password_reset(session, email="  Asha@Example.in ", now=NOW)
    session.commit()

    assert answer == SENT
    [message] = emails(session, patient)  # the email only: no in-app copy of the secret
    assert (message.channel, message.to_address) == ("email", "asha@example.in")
    assert message.subject == "Reset your HealthCarePlus password"
    assert "Dear Asha Rao" in message.body and "works once, for 1 hour(s);" in message.body
    link = session.exec(select(PasswordLink).where(PasswordLink.user_id == patient.id)).one()
    assert (link.purpose, link.expires_at - link.created_at) == ("reset", timedelta(hours=1))

    token = token_of(message)
    links.set_password_with_link(
        session, token=token, password=NEW, confirm=NEW, now=NOW + timedelta(minutes=59)
    )
    session.commit()
    holder = authenticate(
        session, email=patient.email, password=NEW, client_key="k", roles=(Role.PATIENT,), now=NOW
    )
    assert holder.id == patient.id
    assert resolve_session(session, token=signed_in, now=NOW) is None  # signed out everywhere
    with pytest.raises(Forbidden, match="already been used"):  # single use
        links.set_password_with_link(session, token=token, password=NEW, confirm=NEW, now=NOW)


def test_the_link_lapses_after_an_hour(session: Session) -> None:
    patient = create_patient(session)
    request_password_reset(session, email=patient.email, now=NOW)
    session.commit()
    token = token_of(emails(session, patient)[0])
    with pytest.raises(Forbidden, match="expired"):
        links.set_password_with_link(
            session, token=token, password=NEW, confirm=NEW, now=NOW + timedelta(hours=1)
        )


def test_a_newer_request_ends_the_older_link(session: Session) -> None:
    patient = create_patient(session)
    request_password_reset(session, email=patient.email, now=NOW)
    request_password_reset(session, email=patient.email, now=NOW + timedelta(minutes=5))
    session.commit()
    first, second = (token_of(m) for m in emails(session, patient))
    later = NOW + timedelta(minutes=6)
    with pytest.raises(Forbidden):
        links.set_password_with_link(session, token=first, password=NEW, confirm=NEW, now=later)
    session.rollback()
    links.set_password_with_link(session, token=second, password=NEW, confirm=NEW, now=later)


def test_the_answer_is_the_same_with_or_without_an_account(session: Session) -> None:
    blocked = create_patient(session, email="blocked@example.in")
    blocked.is_blocked = True
    inactive = create_user(session, role=Role.ADMIN)
    inactive.is_active = False
    session.add_all([blocked, inactive])
    session.commit()
    for address in ("nobody@example.in", "blocked@example.in", inactive.email):
        assert request_password_reset(session, email=address, now=NOW) == SENT
    session.commit()
    assert session.exec(select(PasswordLink)).all() == []
    assert session.exec(select(Notification)).all() == []


def test_at_most_three_links_an_hour_then_again_after_it(session: Session) -> None:
    patient = create_patient(session)
    for minute in range(MAX_LINKS_PER_HOUR + 2):
        answer = request_password_reset(
            session, email=patient.email, now=NOW + timedelta(minutes=minute), client_key="c1"
        )
        assert answer == SENT
    session.commit()
    assert len(emails(session, patient)) == MAX_LINKS_PER_HOUR
    limited = session.exec(
        select(AuditEvent).where(AuditEvent.action == "password_reset_limited")
    ).all()
    assert [(e.entity_id, e.detail) for e in limited] == [(str(patient.id), {"client": "c1"})] * 2

    # The hour counts from each link: a minute after the first is an hour old, one more.
    request_password_reset(session, email=patient.email, now=NOW + timedelta(minutes=60))
    session.commit()
    assert len(emails(session, patient)) == MAX_LINKS_PER_HOUR + 1


def test_every_link_sent_is_audited(session: Session) -> None:
    doctor_login = create_user(session, role=Role.DOCTOR)
    request_password_reset(session, email=doctor_login.email, now=NOW, client_key="k")
    session.commit()
    [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "password_reset_sent"))
    assert (event.actor_user_id, event.entity, event.entity_id) == (
        None,
        "user",
        str(doctor_login.id),
    )


@pytest.mark.parametrize("bad", ["", "   ", "not-an-email", "a@b", None, 42, ["x@example.in"]])
def test_what_is_not_an_email_address_is_refused(session: Session, bad: object) -> None:
    with pytest.raises(ValidationFailed):
        request_password_reset(session, email=bad, now=NOW)
