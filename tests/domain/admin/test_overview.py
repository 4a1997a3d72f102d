"""The landing figures: exact, and the appointment figures read from the counters except
today's visits still ahead (so their cost does not grow with history)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event
from sqlmodel import Session

from healthcareplus.core.models import AppointmentStatus
from healthcareplus.domain.admin.overview import overview
from tests.factories import create_appointment, create_doctor, local

TODAY = date(2026, 11, 27)
NOW = local(TODAY, "12:00")
S = AppointmentStatus


def test_the_figures_count_today_the_visits_ahead_and_all_time(session: Session) -> None:
    doctor = create_doctor(session)

    def visit(day: date, at: str, status: str = S.CONFIRMED) -> None:
        create_appointment(session, doctor=doctor, start_at=local(day, at), status=status)

    visit(TODAY - timedelta(days=1), "10:00")  # yesterday, never closed
    visit(TODAY, "09:00", S.COMPLETED)  # today, done
    visit(TODAY, "11:45")  # today, started before noon: not ahead
    visit(TODAY, "12:00")  # today, starting now: ahead
    visit(TODAY, "17:00")  # today, later: ahead
    visit(TODAY, "18:00", S.CANCELLED)  # today, cancelled: not ahead
    visit(TODAY + timedelta(days=1), "00:15")  # just after midnight clinic time: tomorrow
    visit(TODAY + timedelta(days=9), "10:00", S.NO_SHOW)
    figures = overview(session, now=NOW)
    assert figures.appointments == 8
    assert figures.appointments_today == 5
    assert figures.upcoming_confirmed == 3  # 12:00, 17:00 and tomorrow's 00:15


def test_only_todays_appointments_are_read(session: Session) -> None:
    create_appointment(session, doctor=create_doctor(session), start_at=local(TODAY, "15:00"))
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", before)
    try:
        overview(session, now=NOW)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    reading = [s for s in seen if "FROM appointments" in s]
    assert len(reading) == 1 and "start_at <" in reading[0]  # today's range, nothing wider
