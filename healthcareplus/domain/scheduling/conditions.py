"""The vocabulary of the lifecycle's slot rule: conditions on an appointment that render
both as a SQL expression (for queries) and as a Python predicate (for loaded rows), so
"holds the slot" is written once (``lifecycle.HOLDS_SLOT``) and means the same in both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from sqlalchemy import ColumnElement, and_, false, not_, or_, true
from sqlmodel import col

from healthcareplus.core.models import Appointment


class Condition:
    def sql(self, now: datetime) -> ColumnElement[bool]:
        raise NotImplementedError

    def test(self, appointment: Appointment, now: datetime) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class StatusIn(Condition):
    statuses: frozenset[str]

    def sql(self, now: datetime) -> ColumnElement[bool]:
        return col(Appointment.status).in_(sorted(self.statuses))

    def test(self, appointment: Appointment, now: datetime) -> bool:
        return appointment.status in self.statuses


@dataclass(frozen=True)
class PaymentIs(Condition):
    payment_status: str

    def sql(self, now: datetime) -> ColumnElement[bool]:
        return col(Appointment.payment_status) == self.payment_status

    def test(self, appointment: Appointment, now: datetime) -> bool:
        return appointment.payment_status == self.payment_status


@dataclass(frozen=True)
class HoldOpen(Condition):
    """The payment hold has not run out (a pending row without an expiry never lapses)."""

    def sql(self, now: datetime) -> ColumnElement[bool]:
        hold = col(Appointment.hold_expires_at)
        return or_(hold.is_(None), hold > now)

    def test(self, appointment: Appointment, now: datetime) -> bool:
        hold = appointment.hold_expires_at
        return hold is None or hold > now


@dataclass(frozen=True)
class _Combined(Condition):
    """Every one (``AllOf``) or at least one (``AnyOf``) of the parts."""

    parts: tuple[Condition, ...]
    every: ClassVar[bool]

    def sql(self, now: datetime) -> ColumnElement[bool]:
        clauses = (p.sql(now) for p in self.parts)
        return and_(true(), *clauses) if self.every else or_(false(), *clauses)

    def test(self, appointment: Appointment, now: datetime) -> bool:
        return (all if self.every else any)(p.test(appointment, now) for p in self.parts)


class AllOf(_Combined):
    every = True


class AnyOf(_Combined):
    every = False


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def sql(self, now: datetime) -> ColumnElement[bool]:
        return not_(self.part.sql(now))

    def test(self, appointment: Appointment, now: datetime) -> bool:
        return not self.part.test(appointment, now)


__all__ = ["AllOf", "AnyOf", "Condition", "HoldOpen", "Not", "PaymentIs", "StatusIn"]
