"""The audit log page's query: joined actors, filters, newest first, pagination."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session

from healthcareplus.core.models import Appointment, Role, User
from healthcareplus.domain.admin.actions import mark_paid, process_refund
from healthcareplus.domain.admin.audit_log import describe_detail, list_events
from healthcareplus.domain.admin.timetable import block_slot
from healthcareplus.domain.payments.ledger import audit_event
from tests.factories import create_booking, create_doctor, create_user, local

MONDAY = date(2026, 11, 23)
TUESDAY = date(2026, 11, 24)


def add(
    session: Session,
    *,
    at: datetime,
    action: str = "booked",
    actor: User | None = None,
    appointment: Appointment | None = None,
    reason: str | None = None,
    detail: dict | None = None,
) -> None:
    audit_event(
        session,
        action=action,
        appointment_id=appointment.id if appointment else None,
        actor_id=actor.id if actor else None,
        actor_role=actor.role if actor else None,
        now=at,
        reason=reason,
        detail=detail,
    )
    session.commit()


@pytest.fixture
def people(session: Session) -> dict[str, User]:
    ana = create_user(session, role=Role.ADMIN, name="Ana Admin")
    ravi = create_user(session, role=Role.ADMIN, name="Ravi Kumar")
    return {"ana": ana, "ravi": ravi}


def test_rows_join_the_actor_and_come_newest_first(session, people):
    ana = people["ana"]
    add(session, at=local(MONDAY, "09:00"), action="no_show", actor=ana, reason="Did not come")
    add(session, at=local(MONDAY, "11:30"), action="expired_by_sweep")
    add(session, at=local(MONDAY, "11:30"), action="slot_blocked", actor=people["ravi"])

    page = list_events(session)

    assert (page.total, page.page, page.pages, page.has_previous, page.has_next) == (
        3,
        1,
        1,
        False,
        False,
    )
    # Same instant: the later entry first.
    assert [r.action for r in page.rows] == ["slot_blocked", "expired_by_sweep", "no_show"]
    blocked, system, no_show = page.rows
    assert (blocked.actor_name, blocked.actor_role, blocked.action_label) == (
        "Ravi Kumar",
        "admin",
        "Blocked a slot",
    )
    assert (system.actor_name, system.actor_email, system.actor_role) == ("System", "", "")
    assert system.action_label == "Expired by sweep"
    assert (no_show.actor_name, no_show.actor_email) == ("Ana Admin", ana.email)
    assert (no_show.when_label, no_show.reason, no_show.action_label) == (
        "Mon, 23 Nov 2026 · 09:00 AM",
        "Did not come",
        "Marked no-show",
    )
    assert no_show.at == local(MONDAY, "09:00").isoformat()


def test_admin_actions_appear_with_who_what_and_why(session, people):
    doctor = create_doctor(session, name="Dr. Meera Rao", fee_paise=50_000)
    booked_at = local(date(2026, 11, 20), "09:00")
    clinic = create_booking(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "09:00"),
        now=booked_at,
        method="pay_at_clinic",
    )
    paid = create_booking(session, doctor=doctor, start_at=local(MONDAY, "09:15"), now=booked_at)
    now = local(MONDAY, "12:00")
    mark_paid(session, appointment_id=clinic.id, admin_id=people["ana"].id, now=now)
    process_refund(
        session, appointment_id=paid.id, admin_id=people["ravi"].id, reason="Late start", now=now
    )
    block_slot(
        session,
        doctor_id=doctor.id,
        start_at=local(TUESDAY, "09:00"),
        admin_id=people["ana"].id,
        reason="Training",
        now=now,
    )

    rows = list_events(session, actor_query="ana ad").rows
    assert [r.action for r in rows] == ["slot_blocked", "marked_paid"]
    blocked, marked = rows
    assert (blocked.entity, blocked.entity_id, blocked.appointment_id) == (
        "doctor",
        str(doctor.id),
        "",
    )
    assert (blocked.reason, blocked.details) == (
        "Training",
        "Doctor: Dr. Meera Rao · Slot: Tue, 24 Nov 2026 09:00 AM",
    )
    session.refresh(clinic)
    assert (marked.short_id, marked.appointment_id) == (clinic.id[:8], clinic.id)
    assert marked.details == f"Transaction: {clinic.transaction_id} · Amount: ₹500"

    [refund] = list_events(session, actor_query="RAVI").rows
    assert (refund.action_label, refund.reason, refund.actor_role) == (
        "Refunded",
        "Late start",
        "admin",
    )


def test_actor_filter_matches_name_or_email_substring(session, people):
    ana, ravi = people["ana"], people["ravi"]
    ana.email = "ana.ops@healthcareplus.in"
    session.add(ana)
    session.commit()
    add(session, at=local(MONDAY, "09:00"), actor=ana)
    add(session, at=local(MONDAY, "09:05"), actor=ravi)
    add(session, at=local(MONDAY, "09:10"))

    def actors(query: str) -> list[str]:
        return [r.actor_name for r in list_events(session, actor_query=query).rows]

    assert actors("ops@health") == ["Ana Admin"]
    assert actors("  kumar ") == ["Ravi Kumar"]
    assert actors("") == ["System", "Ravi Kumar", "Ana Admin"]
    assert actors("%") == []  # a wildcard is a plain character
    assert actors("nobody") == []
    assert actors("a" * 10_000) == []


def test_appointment_filter_is_an_id_prefix(session, people):
    doctor = create_doctor(session)
    booked_at = local(date(2026, 11, 20), "09:00")
    one = create_booking(session, doctor=doctor, start_at=local(MONDAY, "09:00"), now=booked_at)
    two = create_booking(session, doctor=doctor, start_at=local(MONDAY, "09:15"), now=booked_at)

    def ids(prefix: str) -> set[str]:
        return {r.appointment_id for r in list_events(session, appointment_id=prefix).rows}

    assert ids(one.id[:8]) == {one.id}
    assert ids(one.id.upper()) == {one.id}
    assert ids(f"  {two.id} ") == {two.id}
    assert ids("") == {one.id, two.id}
    assert ids("zz") == set()  # not a possible id
    assert ids("%") == set()
    assert ids(one.id + "0") == set()
    # booked + payment_succeeded for each
    assert list_events(session, appointment_id=one.id).total == 2


def test_date_range_uses_clinic_dates_inclusive(session, people):
    ana = people["ana"]
    add(session, at=local(MONDAY, "00:30"), actor=ana, action="early")  # Sunday in UTC
    add(session, at=local(MONDAY, "23:59"), actor=ana, action="late")
    add(session, at=local(TUESDAY, "00:00"), actor=ana, action="next_day")
    add(session, at=local(MONDAY, "00:00") - timedelta(seconds=1), actor=ana, action="before")

    def actions(**kw) -> list[str]:
        return [r.action for r in list_events(session, **kw).rows]

    assert actions(date_from=MONDAY, date_to=MONDAY) == ["late", "early"]
    assert actions(date_from=TUESDAY) == ["next_day"]
    assert actions(date_to=MONDAY - timedelta(days=1)) == ["before"]
    assert actions(date_from=TUESDAY, date_to=MONDAY) == ["next_day", "late", "early"]  # swapped


def test_pagination_counts_clamps_and_keeps_order(session, people):
    start = local(MONDAY, "09:00")
    for minute in range(7):
        add(session, at=start + timedelta(minutes=minute), action=f"step_{minute}")

    first = list_events(session, page_size=3)
    assert (first.total, first.pages, first.page, first.has_previous, first.has_next) == (
        7,
        3,
        1,
        False,
        True,
    )
    assert [r.action for r in first.rows] == ["step_6", "step_5", "step_4"]
    last = list_events(session, page=3, page_size=3)
    assert [r.action for r in last.rows] == ["step_0"]
    assert (last.has_previous, last.has_next) == (True, False)
    assert list_events(session, page=99, page_size=3).page == 3
    assert list_events(session, page=-5, page_size=3).page == 1
    assert list_events(session, page_size=10_000).page_size == 200
    assert list_events(session, page_size=0).page_size == 1
    empty = list_events(session, actor_query="nobody")
    assert (empty.total, empty.pages, empty.page, empty.rows) == (0, 1, 1, ())


def test_describe_detail_is_readable() -> None:
    assert describe_detail({"from_status": "pending_payment", "refunded": False}) == (
        "Was: pending payment · Refunded: no"
    )
    assert describe_detail({"amount_paise": 123_456}) == "Amount: ₹1,234.56"
    assert describe_detail({"from": "2026-11-23T04:30:00+00:00", "to": "bad"}) == (
        "From: Mon, 23 Nov 2026 10:00 AM · To: bad"
    )
    assert describe_detail({"weird_key": 3, "transaction_id": None}) == "Weird key: 3"
    assert describe_detail({"time_off_id": 9}) == ""
    assert describe_detail(["not", "a", "dict"]) == ""
