"""Payments never lose money: whatever the gateway does (answers late, answers after the
app died, answers twice), each confirmed booking ends with exactly one net charge, and a
charge nobody waits on any more is refunded automatically and audited."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.models import Appointment, AuditEvent, Payment, PaymentStatus
from healthcareplus.domain.booking.appointments import book
from healthcareplus.domain.payments.checkout import STILL_PROCESSING, pay
from healthcareplus.domain.payments.gateway import GatewayResult, MockGateway
from healthcareplus.domain.payments.methods import PaymentDetails
from healthcareplus.domain.payments.reconciliation import (
    push_refund,
    reconcile_attempt,
    stuck_attempt_keys,
    unsettled_refund_ids,
)
from healthcareplus.domain.scheduling.lifecycle import PROCESSING
from tests.factories import create_doctor, create_patient, local
from tests.gateways import BlockingGateway, ScriptedGateway

NOW = local(date(2026, 11, 20), "09:00")
SLOT = local(date(2026, 11, 23), "10:00")
UPI = {"upi_vpa": "asha@okaxis"}
FEE = 80_000


@pytest.fixture
def url(either_db_url: str) -> str:
    """Every scenario runs on SQLite and on a fresh PostgreSQL database."""
    return either_db_url


@pytest.fixture
def session(either_db: Session) -> Session:
    return either_db


def _booking(session: Session) -> tuple[Appointment, int]:
    doctor = create_doctor(session, fee_paise=FEE)
    patient = create_patient(session)
    appointment = book(
        session, patient_id=patient.id, doctor_id=doctor.id, start_at=SLOT, reason="Fever", now=NOW
    )
    session.commit()
    return appointment, patient.id


def _wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait for the gateway's own thread (a released charge records its answer there)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the gateway never recorded the charge"
        time.sleep(0.01)


def _fresh(session: Session, appointment_id: str) -> Appointment:
    row = session.get(Appointment, appointment_id, populate_existing=True)
    assert row is not None
    return row


def _pay(session: Session, appointment: Appointment, patient_id: int, gateway, now, **kw):
    outcome = pay(
        session,
        appointment_id=appointment.id,
        patient_id=patient_id,
        method="upi",
        form=UPI,
        gateway=gateway,
        now=now,
        **kw,
    )
    session.commit()
    return outcome


def _sweep(session: Session, gateway, now) -> None:
    for key in stuck_attempt_keys(session, now=now):
        reconcile_attempt(session, key=key, gateway=gateway, now=now)
        session.commit()
    for payment_id in unsettled_refund_ids(session):
        push_refund(session, payment_id=payment_id, gateway=gateway, now=now)
        session.commit()


def test_slow_gateway_past_the_window_then_a_second_attempt_nets_one_charge(session):
    appointment, patient_id = _booking(session)
    gateway = BlockingGateway()
    # attempt 1: the bank does not answer within the timeout
    first = _pay(session, appointment, patient_id, gateway, NOW, timeout=0.2)
    assert first.pending and first.failure_reason == STILL_PROCESSING
    assert _fresh(session, appointment.id).payment_status == PROCESSING
    # the stuck window passes; the bank still says "pending": the booking stops waiting
    later = NOW + timedelta(minutes=6)
    _sweep(session, gateway, later)
    assert _fresh(session, appointment.id).payment_status == PaymentStatus.FAILED
    # the bank catches up (attempt 1 charged) and attempt 2 is answered at once
    gateway.release()
    second = _pay(session, appointment, patient_id, gateway, later + timedelta(seconds=5))
    assert second.success
    # attempt 1's charge lands too: reconciliation finds it and refunds it
    _sweep(session, gateway, later + timedelta(minutes=6))
    row = _fresh(session, appointment.id)
    assert (row.status, row.payment_status) == ("confirmed", "Success")
    assert row.transaction_id == second.transaction_id
    assert gateway.net_charged_paise(appointment.id) == FEE  # two charges, one refunded
    audit = session.exec(select(AuditEvent.action)).all()
    assert "unwanted_charge_refunded" in audit


def test_a_late_success_never_confirms_or_spoils_a_later_attempt(session):
    appointment, patient_id = _booking(session)
    slow = BlockingGateway()
    _pay(session, appointment, patient_id, slow, NOW, timeout=0.2)
    _sweep(session, slow, NOW + timedelta(minutes=6))  # released: the patient may retry
    declined = ScriptedGateway([False])
    failed = _pay(session, appointment, patient_id, declined, NOW + timedelta(minutes=7))
    assert not failed.success
    slow.release()  # attempt 1 succeeds at the bank now
    _wait_until(lambda: slow.net_charged_paise(appointment.id) == FEE)  # its answer landed
    _sweep(session, slow, NOW + timedelta(minutes=12))
    row = _fresh(session, appointment.id)
    assert row.status == "pending_payment"  # not confirmed by attempt 1's late answer
    assert row.payment_status == PaymentStatus.FAILED  # attempt 2's failure stands
    assert slow.net_charged_paise(appointment.id) == 0  # attempt 1 refunded


def test_double_submit_charges_once(session, url):
    appointment, patient_id = _booking(session)
    gateway = ScriptedGateway([True, True], delay=0.2)
    results = []

    def submit() -> None:
        with Session(get_engine(url), expire_on_commit=False) as own:
            try:
                results.append(_pay(own, appointment, patient_id, gateway, NOW))
            except Exception as exc:  # the loser is told a payment is in progress
                results.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(gateway.charged) == 1
    assert gateway.net_charged_paise(appointment.id) == FEE
    assert _fresh(session, appointment.id).status == "confirmed"


class _DiesAfterCharging(MockGateway):
    """The bank charges, then the app process is killed before it hears the answer."""

    def _decide(self, amount_paise: int, details: PaymentDetails, key: str) -> GatewayResult:
        result = super()._decide(amount_paise, details, key)
        self._db.execute(
            "UPDATE charges SET state = 'succeeded', reference = 'X' WHERE key = ?", (key,)
        )
        self._db.commit()
        os.kill(os.getpid(), signal.SIGKILL)
        return result  # pragma: no cover


def _pay_and_die(db_url: str, ledger: str, appointment_id: str, patient_id: int) -> None:
    os.environ["REFLEX_DB_URL"] = db_url
    with Session(get_engine(db_url), expire_on_commit=False) as own:
        pay(
            own,
            appointment_id=appointment_id,
            patient_id=patient_id,
            method="upi",
            form=UPI,
            gateway=_DiesAfterCharging(1.0, path=ledger),
            now=NOW,
        )


def test_kill_9_after_the_bank_charged_is_confirmed_by_reconciliation(session, url, tmp_path):
    appointment, patient_id = _booking(session)
    ledger = str(Path(tmp_path) / "bank.db")
    child = multiprocessing.get_context("spawn").Process(
        target=_pay_and_die, args=(url, ledger, appointment.id, patient_id)
    )
    child.start()
    child.join(60)
    assert child.exitcode == -signal.SIGKILL
    assert _fresh(session, appointment.id).payment_status == PROCESSING
    bank = MockGateway(1.0, path=ledger)  # the same bank, asked by a fresh process
    _sweep(session, bank, NOW + timedelta(minutes=4))
    assert _fresh(session, appointment.id).payment_status == PROCESSING  # not stuck yet
    _sweep(session, bank, NOW + timedelta(minutes=6))
    row = _fresh(session, appointment.id)
    assert (row.status, row.payment_status) == ("confirmed", "Success")
    assert bank.net_charged_paise(appointment.id) == FEE
    [charge] = session.exec(select(Payment).where(Payment.appointment_id == appointment.id)).all()
    assert charge.status == PaymentStatus.SUCCESS and charge.settled_at is not None


def test_cancelling_a_paid_booking_refunds_it_at_the_gateway(session):
    from healthcareplus.core.models import Role
    from healthcareplus.domain.booking.appointments import cancel

    appointment, patient_id = _booking(session)
    gateway = ScriptedGateway([True])
    assert _pay(session, appointment, patient_id, gateway, NOW).success
    cancel(
        session,
        appointment_id=appointment.id,
        actor_id=patient_id,
        actor_role=Role.PATIENT,
        reason="",
        now=NOW + timedelta(minutes=1),
    )
    session.commit()
    assert gateway.net_charged_paise(appointment.id) == FEE  # recorded, not yet sent
    _sweep(session, gateway, NOW + timedelta(minutes=2))
    assert gateway.net_charged_paise(appointment.id) == 0
    assert unsettled_refund_ids(session) == []
