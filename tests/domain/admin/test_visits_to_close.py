"""The "Needs attention" list: confirmed visits whose start has come, oldest first, in the
dashboard's place filters; closed, future, pending and cancelled visits are not in it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from healthcareplus.core.models import AppointmentStatus, PaymentStatus
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.admin.visits_to_close import visits_to_close
from tests.factories import create_appointment, create_doctor, create_hospital

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
S = AppointmentStatus


def test_only_open_visits_whose_start_has_come_oldest_first(session: Session) -> None:
    doctor = create_doctor(session)

    def visit(hours: float, status: str = S.CONFIRMED, **kw: object) -> str:
        start = NOW + timedelta(hours=hours)
        return create_appointment(
            session,
            doctor=doctor,
            start_at=start,
            status=status,
            **kw,  # type: ignore[arg-type]
        ).id

    yesterday, started_now, an_hour_ago = visit(-24), visit(0), visit(-1)
    visit(0.25)  # starts in 15 minutes
    visit(-2, S.COMPLETED, payment_status=PaymentStatus.SUCCESS)
    visit(-3, S.NO_SHOW)
    visit(-4, S.CANCELLED)
    visit(-5, S.PENDING_PAYMENT, hold_expires_at=NOW - timedelta(hours=5))
    visit(-6, S.EXPIRED)
    found = visits_to_close(session, filters=AdminFilters(), now=NOW)
    assert [row.id for row in found.items] == [yesterday, an_hour_ago, started_now]
    assert found.total == 3
    assert all(row.can_no_show for row in found.items)
    assert {row.display_status for row in found.items} <= {"visit_passed", "upcoming"}


def test_the_place_filters_narrow_it_and_the_others_do_not(session: Session) -> None:
    here, there = create_hospital(session), create_hospital(session)
    ours, theirs = create_doctor(session, hospital=here), create_doctor(session, hospital=there)
    mine = create_appointment(session, doctor=ours, start_at=NOW - timedelta(days=3)).id
    other = create_appointment(session, doctor=theirs, start_at=NOW - timedelta(days=2)).id

    def ids(**filters: object) -> list[str]:
        found = visits_to_close(session, filters=AdminFilters(**filters), now=NOW)  # type: ignore[arg-type]
        return [row.id for row in found.items]

    assert ids() == [mine, other]
    assert ids(hospital_id=here.id) == [mine]
    assert ids(doctor_id=theirs.id) == [other]
    assert ids(city_id=there.city_id) == [other]
    # A date range of today, or a status filter, does not hide a visit still to close.
    today = NOW.date()
    assert ids(date_from=today, date_to=today, status=S.CANCELLED) == [mine, other]


def test_pages_of_the_list(session: Session) -> None:
    doctor = create_doctor(session)
    starts = [NOW - timedelta(days=30 - n) for n in range(12)]
    made = [create_appointment(session, doctor=doctor, start_at=s).id for s in starts]
    first = visits_to_close(session, filters=AdminFilters(), now=NOW, page_size=5)
    last = visits_to_close(session, filters=AdminFilters(), now=NOW, page=3, page_size=5)
    assert (first.total, first.pages, [r.id for r in first.items]) == (12, 3, made[:5])
    assert [r.id for r in last.items] == made[10:]
