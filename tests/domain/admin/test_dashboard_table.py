"""The dashboard's appointment table: filters, sorts, pages, row contents and the
action flags each row carries (the actions themselves: test_admin_actions.py)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from healthcareplus.core.errors import NotFound
from healthcareplus.domain.admin.dashboard_table import get_appointment_row, list_appointments
from healthcareplus.domain.admin.filters import AdminFilters
from tests.admin_data import AdminClinic, build_admin_clinic


@pytest.fixture
def clinic(session: Session) -> AdminClinic:
    return build_admin_clinic(session)


def test_list_is_latest_visit_first_and_paged(session: Session, clinic: AdminClinic) -> None:
    page = list_appointments(session, filters=AdminFilters(), now=clinic.now, page_size=5)
    order = ["a10", "a7", "a6", "a5", "a4", "a8", "a3", "a11", "a2", "a1", "a12", "a9"]
    ids = {clinic[k].id: k for k in clinic.appointments}
    # a3 and a11 share a start time: the id breaks the tie, so compare as a set there.
    assert [ids[i.id] for i in page.items] == order[:5]
    assert (page.total, page.page, page.pages, page.first_item, page.last_item) == (12, 1, 3, 1, 5)
    assert (page.has_prev, page.has_next) == (False, True)
    last = list_appointments(
        session, filters=AdminFilters(page=9), now=clinic.now, page_size=5
    )  # past the end: the last page
    assert (last.page, last.first_item, last.last_item, last.has_next) == (3, 11, 12, False)
    assert [ids[i.id] for i in last.items] == ["a12", "a9"]
    middle = list_appointments(session, filters=AdminFilters(page=2), now=clinic.now, page_size=5)
    assert [ids[i.id] for i in middle.items][:1] == ["a8"]
    assert {ids[i.id] for i in middle.items[1:3]} == {"a3", "a11"}


@pytest.mark.parametrize(
    ("sort", "first_three"),
    [
        ("start_asc", ["a9", "a12", "a1"]),
        ("fee_desc", ["a10", "a11", "a12"]),
        ("booked_desc", ["a6", "a4", "a5"]),
    ],
)
def test_list_sorts(session: Session, clinic: AdminClinic, sort: str, first_three: list) -> None:
    ids = {clinic[k].id: k for k in clinic.appointments}
    page = list_appointments(session, filters=AdminFilters(sort=sort), now=clinic.now)
    assert [ids[i.id] for i in page.items][:3] == first_three


def test_list_filters_and_row_contents(session: Session, clinic: AdminClinic) -> None:
    filters = AdminFilters(doctor_id=clinic.anil.id, payment_status="Pending")
    page = list_appointments(session, filters=filters, now=clinic.now)
    ids = {clinic[k].id: k for k in clinic.appointments}
    assert [ids[i.id] for i in page.items] == ["a7", "a6", "a5"]
    row = get_appointment_row(session, appointment_id=clinic["a5"].id, now=clinic.now)
    assert row == page.items[2]
    assert (row.patient_name, row.patient_email, row.doctor_name) == (
        "Meera Nair",
        "meera.nair@example.com",
        "Dr. Anil Rao",
    )
    assert (row.hospital_name, row.city_name, row.short_id) == (
        "Sunrise Hospital",
        "Bangalore",
        clinic["a5"].id[:8],
    )
    assert (row.date_label, row.time_label) == ("Wed, 11 Mar 2026", "09:30 AM")
    assert (row.status, row.time_status, row.payment_status, row.payment_method) == (
        "confirmed",
        "upcoming",
        "Pending",
        "Pay at Clinic",
    )
    assert (row.fee_label, row.transaction_id, row.reason) == ("₹500", "", "Visit a5")
    assert (row.can_cancel, row.can_no_show, row.can_refund, row.can_mark_paid) == (
        True,
        False,
        False,
        True,
    )
    cancelled = get_appointment_row(session, appointment_id=clinic["a3"].id, now=clinic.now)
    assert (cancelled.time_status, cancelled.cancel_reason, cancelled.payment_status) == (
        "cancelled",
        "Patient travelling",
        "Refunded",
    )
    assert not any(
        (cancelled.can_cancel, cancelled.can_no_show, cancelled.can_refund, cancelled.can_mark_paid)
    )


def test_row_actions_follow_the_rules(session: Session, clinic: AdminClinic) -> None:
    def flags(key: str) -> tuple[bool, bool, bool, bool]:
        r = get_appointment_row(session, appointment_id=clinic[key].id, now=clinic.now)
        return (r.can_cancel, r.can_no_show, r.can_refund, r.can_mark_paid)

    def shown(key: str) -> tuple[str, str, str]:
        r = get_appointment_row(session, appointment_id=clinic[key].id, now=clinic.now)
        return (r.status, r.time_status, r.display_status)

    # A confirmed visit that is over but not marked yet reads "visit passed", not done.
    assert shown("a8") == ("confirmed", "completed", "visit_passed")
    assert shown("a1") == ("completed", "completed", "completed")
    assert shown("a4") == ("confirmed", "upcoming", "upcoming")
    assert shown("a2") == ("no_show", "missed", "missed")
    assert shown("a7") == ("expired", "expired", "expired")

    assert flags("a4") == (True, False, False, False)  # future, paid: cancel refunds it
    assert flags("a8") == (True, True, True, False)  # started an hour ago, paid
    assert flags("a6") == (True, False, False, False)  # live hold
    assert flags("a7") == (False, False, False, False)  # expired hold
    assert flags("a2") == (False, False, True, False)  # no-show, still paid
    assert flags("a10") == (True, False, False, True)  # Pay at Clinic, future


@pytest.mark.parametrize(
    "bad", ["nope", "", "1; DROP TABLE appointments", "x" * 80, None, 42, "0" * 36]
)
def test_unknown_or_malformed_ids_are_not_found(
    session: Session, clinic: AdminClinic, bad: object
) -> None:
    with pytest.raises(NotFound, match="Appointment not found."):
        get_appointment_row(session, appointment_id=bad, now=clinic.now)  # type: ignore[arg-type]
