"""A doctor's own monthly report: the admins' monthly summary over only their
appointments (the same figures, the same CSV, PDF and Excel files)."""

from __future__ import annotations

from sqlmodel import Session

from healthcareplus.domain.admin.doctor_self_service import own_doctor
from healthcareplus.domain.reports.monthly_summary import MonthlySummary, monthly_summary


def doctor_monthly_summary(
    session: Session, *, actor_id: object, year: int, month: int
) -> MonthlySummary:
    """The signed-in doctor's month; ``Forbidden`` for anyone who is not an active doctor."""
    return monthly_summary(session, year=year, month=month, doctor=own_doctor(session, actor_id))


__all__ = ["doctor_monthly_summary"]
