"""Row builder for ``seed_appointments``: one plain dict per appointment and payment.

The timestamps tell a consistent story: booked 1 hour to 30 days ahead and never in the
future, paid a few minutes after booking (or at the visit for Pay-at-Clinic), cancelled
before the visit, refunded after the cancellation, completed after the slot ended.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from healthcareplus.core.db import table_of
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from healthcareplus.seed import data

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MINUTE = timedelta(minutes=1)
_METHODS = tuple(m.value for m in PaymentMethod)
_METHOD_WEIGHTS = (45, 20, 10, 10, 15)  # upi, card, netbanking, wallet, pay_at_clinic
_CLINIC = PaymentMethod.PAY_AT_CLINIC.value
_ONLINE = tuple(m for m in _METHODS if m != _CLINIC)

_PENDING = PaymentStatus.PENDING.value
_SUCCESS = PaymentStatus.SUCCESS.value
_FAILED = PaymentStatus.FAILED.value
_REFUNDED = PaymentStatus.REFUNDED.value

# Transaction codes: an affine bijection of a counter onto 6 base-36 characters, so they
# look random, are reproducible, and never repeat for distinct counters below 36**6.
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CODE_SPACE = 36**6
_CODE_MULT = 5**13  # coprime with 36**6 = 2**6 * 3**6
_CODE_ADD = 123_456_789

# Every column, so each executemany row has the same keys (Core applies no Python defaults).
_APPOINTMENT_KEYS = tuple(c.name for c in table_of(Appointment).columns)
_PAYMENT_KEYS = tuple(c.name for c in table_of(Payment).columns if c.name != "id")


@dataclass(frozen=True, slots=True)
class DoctorInfo:
    id: int
    hospital_id: int
    fee_paise: int
    reasons: tuple[str, ...]


def transaction_code(counter: int) -> str:
    value = (counter * _CODE_MULT + _CODE_ADD) % _CODE_SPACE
    chars = []
    for _ in range(6):
        value, digit = divmod(value, 36)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


class AppointmentFactory:
    """Appends rows to the caller's batch lists; all randomness comes from ``rng``."""

    def __init__(
        self,
        *,
        rng: random.Random,
        now: datetime,
        zone: ZoneInfo,
        hold: timedelta,
        doctors: list[DoctorInfo],
        patients: list[int],
        first_counter: int,
    ) -> None:
        self.rng, self.now, self.zone, self.hold = rng, now, zone, hold
        self.doctors, self.patients = doctors, patients
        self.counter = first_counter
        self._blank_appointment = {**dict.fromkeys(_APPOINTMENT_KEYS), "awaiting_doctor": False}
        self._blank_payment = dict.fromkeys(_PAYMENT_KEYS)

    def _between(self, a: datetime, b: datetime) -> datetime:
        if b <= a:
            return a
        return a + timedelta(seconds=int(self.rng.random() * (b - a).total_seconds()))

    def _booked_at(self, start: datetime, latest: datetime) -> datetime:
        """Usually a few days ahead (exponential, mean 3 days), at most 30 days."""
        latest = min(latest, start - 60 * _MINUTE)
        earliest = min(start - timedelta(days=30), latest)
        lead = self.rng.expovariate(1 / (3 * 86_400))
        return latest - timedelta(seconds=int(min(lead, (latest - earliest).total_seconds())))

    def _payment(self, row: dict[str, Any], status: str, at: datetime) -> dict[str, Any]:
        payment = dict(self._blank_payment)
        method = row["payment_method"]
        payment.update(
            appointment_id=row["id"],
            method=method,
            amount_paise=row["fee_paise"],
            status=status,
            created_at=at,
        )
        rng = self.rng
        if method == "card":
            payment["card_brand"] = rng.choice(data.CARD_BRANDS)
            payment["card_last4"] = f"{rng.randrange(10_000):04d}"
        elif method == "upi":
            payment["upi_vpa"] = (
                f"{rng.randrange(7 * 10**9, 10**10)}@{rng.choice(data.UPI_HANDLES)}"
            )
        elif method == "netbanking":
            payment["bank"] = rng.choice(data.BANKS)
        elif method == "wallet":
            payment["wallet"] = rng.choice(data.WALLETS)
        return payment

    def _pay(self, row: dict[str, Any], paid_at: datetime, payments: list[dict[str, Any]]) -> None:
        code = transaction_code(self.counter)
        self.counter += 1
        row["transaction_id"] = f"HCP-{paid_at.astimezone(self.zone):%Y%m%d}-{code}"
        row["payment_status"] = _SUCCESS
        row["paid_at"] = paid_at
        payment = self._payment(row, _SUCCESS, paid_at)
        payment["transaction_id"] = row["transaction_id"]
        payments.append(payment)

    def _online_paid_at(self, booked: datetime) -> datetime:
        return min(self.now, booked + timedelta(seconds=self.rng.randint(20, 240)))

    def build(
        self,
        *,
        minute: int,
        doctor: DoctorInfo,
        length: int,
        taking: bool,
        appointments: list[dict[str, Any]],
        payments: list[dict[str, Any]],
    ) -> None:
        rng, now = self.rng, self.now
        start = _EPOCH + timedelta(minutes=minute)
        end = start + timedelta(minutes=length)
        patient = rng.choice(self.patients)
        method = rng.choices(_METHODS, _METHOD_WEIGHTS)[0]
        finished = end + 30 * _MINUTE <= now
        row = dict(self._blank_appointment)
        row.update(
            id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            patient_id=patient,
            doctor_id=doctor.id,
            hospital_id=doctor.hospital_id,
            start_at=start,
            end_at=end,
            reason=rng.choice(doctor.reasons),
            payment_status=_PENDING,
            payment_method=method,
            fee_paise=doctor.fee_paise,
        )
        appointments.append(row)
        if taking:
            if finished:
                status = (
                    AppointmentStatus.COMPLETED if rng.random() < 0.9 else AppointmentStatus.NO_SHOW
                )
            elif start - now > timedelta(hours=2) and rng.random() < 0.04:
                status = AppointmentStatus.PENDING_PAYMENT
            else:
                status = AppointmentStatus.CONFIRMED
        else:
            cancel_share = 0.65 if finished else 0.8
            status = (
                AppointmentStatus.CANCELLED
                if rng.random() < cancel_share
                else AppointmentStatus.EXPIRED
            )
        row["status"] = AppointmentStatus(status).value
        booked = self._booked_at(start, now - _MINUTE)
        row["booked_at"] = booked

        if status == AppointmentStatus.PENDING_PAYMENT:
            booked = now - timedelta(seconds=rng.randrange(int(self.hold.total_seconds()) - 60))
            row.update(booked_at=booked, hold_expires_at=booked + self.hold, payment_method=None)
        elif status == AppointmentStatus.CONFIRMED:
            if method != _CLINIC:
                self._pay(row, self._online_paid_at(booked), payments)
        elif status == AppointmentStatus.COMPLETED:
            if method == _CLINIC:
                paid_at = start + timedelta(minutes=rng.randrange(length))
            else:
                paid_at = self._online_paid_at(booked)
            self._pay(row, paid_at, payments)
            row["completed_at"] = end + timedelta(seconds=rng.randrange(25 * 60))
        elif status == AppointmentStatus.NO_SHOW:
            if method != _CLINIC:
                self._pay(row, self._online_paid_at(booked), payments)
            row["no_show_at"] = min(now, start + timedelta(minutes=rng.randint(15, 45)))
        elif status == AppointmentStatus.CANCELLED:
            self._cancel(row, booked, start, payments)
        else:  # expired: the hold ran out, sometimes after a failed payment attempt
            booked = self._booked_at(start, now - self.hold - _MINUTE)
            row.update(booked_at=booked, hold_expires_at=booked + self.hold, payment_method=None)
            if rng.random() < 0.3:
                row.update(payment_method=rng.choice(_ONLINE), payment_status=_FAILED)
                failed = self._payment(row, _FAILED, booked + 2 * _MINUTE)
                failed["failure_reason"] = rng.choice(data.PAYMENT_FAILURES)
                payments.append(failed)

    def _cancel(
        self,
        row: dict[str, Any],
        booked: datetime,
        start: datetime,
        payments: list[dict[str, Any]],
    ) -> None:
        rng, now = self.rng, self.now
        row.update(
            cancelled_by_user_id=row["patient_id"], cancel_reason=rng.choice(data.CANCEL_REASONS)
        )
        if rng.random() < 0.3:  # abandoned while the hold was running
            row.update(payment_method=None, hold_expires_at=booked + self.hold)
            row["cancelled_at"] = self._between(booked, min(booked + self.hold, now))
            return
        if row["payment_method"] == _CLINIC:  # confirmed to pay at the clinic: nothing to refund
            row["cancelled_at"] = self._between(booked + _MINUTE, min(start, now))
            return
        paid_at = self._online_paid_at(booked)
        self._pay(row, paid_at, payments)
        cancelled_at = self._between(paid_at, min(start, now))
        refunded_at = min(now, cancelled_at + timedelta(seconds=rng.randint(30, 600)))
        row.update(cancelled_at=cancelled_at, refunded_at=refunded_at, payment_status=_REFUNDED)
        payments.append(self._payment(row, _REFUNDED, refunded_at))
