"""The job worker's background sweep: reconciles stuck payments, pushes refunds to the gateway,
prunes old sign-in attempts and expires lapsed holds, each in its own unit of work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus import jobs
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import (
    ApiToken,
    Appointment,
    LoginAttempt,
    PasswordLink,
    Payment,
    UserSession,
)
from healthcareplus.domain.payments.methods import PaymentDetails
from healthcareplus.jobs import sweep_once
from tests.factories import (
    create_appointment,
    create_doctor,
    create_lapsed_hold,
    create_patient,
)
from tests.gateways import ScriptedGateway


def test_sweep_confirms_a_charged_stuck_attempt_and_expires_a_lapsed_hold(session: Session):
    now = utcnow()
    doctor, patient = create_doctor(session), create_patient(session)
    stuck = create_appointment(
        session,
        doctor=doctor,
        patient=patient,
        start_at=now + timedelta(days=2),
        status="pending_payment",
        hold_expires_at=now - timedelta(minutes=2),
        payment_status="Processing",
    )
    lapsed = create_appointment(
        session,
        doctor=doctor,
        patient=patient,
        start_at=now + timedelta(days=3),
        status="pending_payment",
        hold_expires_at=now - timedelta(minutes=1),
    )
    key = f"{stuck.id}:abc"
    stuck.payment_attempt_key = key
    session.add(stuck)
    session.add(
        Payment(
            appointment_id=stuck.id,
            method="upi",
            amount_paise=stuck.fee_paise,
            status="Processing",
            idempotency_key=key,
            created_at=now - timedelta(minutes=10),
        )
    )
    session.commit()
    gateway = ScriptedGateway([True])  # the bank charged, but the app never heard back
    gateway.charge(amount_paise=stuck.fee_paise, details=PaymentDetails("upi"), idempotency_key=key)

    assert sweep_once(gateway) == 1  # the lapsed hold; the paid one is confirmed instead
    rows = {
        a.id: (a.status, a.payment_status)
        for a in session.exec(select(Appointment).execution_options(populate_existing=True))
    }
    assert rows == {stuck.id: ("confirmed", "Success"), lapsed.id: ("expired", "Pending")}
    assert gateway.net_charged_paise(stuck.id) == stuck.fee_paise


def test_sweep_prunes_the_sign_in_attempts_no_throttling_rule_reads(session: Session) -> None:
    now = utcnow()
    for name, succeeded, age in [
        ("failed-in-window", False, timedelta(minutes=10)),  # counts towards a back-off
        ("failed-long-ago", False, timedelta(minutes=20)),  # older than window and cap
        ("signed-in-lately", True, timedelta(days=29)),  # a known client
        ("signed-in-long-ago", True, timedelta(days=31)),
    ]:
        session.add(
            LoginAttempt(
                email=f"{name}@example.com",
                client_key="client",
                succeeded=succeeded,
                attempted_at=now - age,
            )
        )
    session.commit()

    assert sweep_once(ScriptedGateway([])) == 0

    kept = session.exec(select(LoginAttempt.email).order_by(LoginAttempt.email)).all()
    assert kept == ["failed-in-window@example.com", "signed-in-lately@example.com"]


def test_a_failed_prune_does_not_stop_the_sweep(
    session: Session, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    now = utcnow()
    lapsed = create_lapsed_hold(session, now=now)

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(jobs, "PRUNES", tuple((what, broken) for what, _ in jobs.PRUNES))

    assert sweep_once(ScriptedGateway([])) == 1
    session.refresh(lapsed)
    assert lapsed.status == "expired"
    assert "could not prune old sign-in attempts" in caplog.text
    assert "could not prune old download grants" in caplog.text
    assert "could not prune expired API tokens" in caplog.text
    assert "could not prune expired idempotency keys" in caplog.text


def test_sweep_prunes_ended_password_links_and_expired_api_tokens(session: Session) -> None:
    now = utcnow()
    user = create_patient(session)
    login = UserSession(user_id=user.id or 0, token_hash="h" * 64, expires_at=now)
    session.add(login)
    session.flush()
    # Tokens are kept a day after they expire; password links (for the audit) 30 days.
    for name, token_ago, link_ago in [
        ("fresh", timedelta(hours=23), timedelta(days=29)),
        ("stale", timedelta(hours=25), timedelta(days=31)),
    ]:
        session.add(
            ApiToken(
                session_id=login.id or 0,
                user_id=user.id or 0,
                kind="access",
                token_hash=f"{name:x<64}",
                expires_at=now - token_ago,
            )
        )
        session.add(
            PasswordLink(
                token_hash=f"{name:y<64}",
                user_id=user.id or 0,
                purpose="invite",
                expires_at=now - link_ago,
            )
        )
    session.commit()

    sweep_once(ScriptedGateway([]))

    assert session.exec(select(ApiToken.token_hash)).all() == [f"{'fresh':x<64}"]
    assert session.exec(select(PasswordLink.token_hash)).all() == [f"{'fresh':y<64}"]
