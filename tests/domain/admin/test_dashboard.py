"""The dashboard's figures against a clinic whose every number is known (admin_data.py).

The SQL-heavy tests run on SQLite and on a fresh PostgreSQL database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session

from healthcareplus.core.config import get_settings
from healthcareplus.core.db import get_engine
from healthcareplus.core.models import Payment
from healthcareplus.domain.admin.dashboard import (
    CHART_DAYS,
    CHART_MAX_DAYS,
    bookings_per_day,
    chart_window,
    dashboard_stats,
    data_version,
)
from healthcareplus.domain.admin.dashboard_breakdowns import (
    bookings_per_doctor,
    bookings_per_hospital,
)
from healthcareplus.domain.admin.dashboard_charts import (
    TOP_DOCTORS,
    hospital_bookings,
    hospital_revenue,
    payment_method_mix,
    revenue_totals,
    top_doctors,
)
from healthcareplus.domain.admin.filters import AdminFilters
from tests.admin_data import AdminClinic, build_admin_clinic
from tests.factories import (
    create_appointment,
    create_doctor,
    create_patient,
    local,
    settle_payment,
)


@pytest.fixture
def db(either_db: Session) -> Session:
    return either_db


@pytest.fixture
def clinic(db: Session) -> AdminClinic:
    return build_admin_clinic(db)


class SqlLog:
    """The statements an engine runs inside ``with log:`` (in ``log.seen``)."""

    def __init__(self, url: str) -> None:
        self.engine = get_engine(url)
        self.seen: list[str] = []

    def _record(self, conn: object, cursor: object, statement: str, *args: object) -> None:
        self.seen.append(statement)

    def __enter__(self) -> SqlLog:
        self.seen.clear()
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)


def stats_tuple(db: Session, clinic: AdminClinic, **filters: object) -> tuple[int, ...]:
    s = dashboard_stats(db, filters=AdminFilters(**filters), now=clinic.now)
    return (
        s.doctors,
        s.active_doctors,
        s.bookings,
        s.confirmed,
        s.completed,
        s.cancelled,
        s.no_shows,
        s.pending_payments,
        s.successful_payments,
        s.refunded_payments,
        s.revenue_paise,
    )


# --- statistics ------------------------------------------------------------------------------


def test_unfiltered_statistics(db: Session, clinic: AdminClinic) -> None:
    s = dashboard_stats(db, filters=AdminFilters(), now=clinic.now)
    assert (s.doctors, s.active_doctors) == (4, 3)
    assert (s.bookings, s.confirmed, s.completed, s.cancelled, s.no_shows) == (12, 4, 3, 2, 1)
    # a5 and a10 (Pay at Clinic, unpaid) and a6 (live hold); not a7 (expired) or a11.
    assert s.pending_payments == 3
    assert (s.successful_payments, s.refunded_payments) == (6, 1)
    # Collected: a1 a2 a4 (500 each) + a8 a9 (600 each) + a12 (800) + a3 (500, refunded).
    assert (s.collected_paise, s.refunded_paise, s.revenue_paise) == (400_000, 50_000, 350_000)
    assert (s.collected_label, s.refunded_label, s.revenue_label) == ("₹4,000", "₹500", "₹3,500")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # doctors, active, bookings, confirmed, completed, cancelled, no-shows,
        # pending payments, successful, refunded, revenue
        ("city:mumbai", (1, 1, 2, 1, 0, 1, 0, 1, 0, 0, 0)),
        ("city:bangalore", (3, 2, 10, 3, 3, 1, 1, 2, 6, 1, 350_000)),
        ("hospital:sunrise", (2, 1, 8, 2, 2, 1, 1, 2, 4, 1, 230_000)),
        ("doctor:anil", (1, 1, 7, 2, 1, 1, 1, 2, 3, 1, 150_000)),
        ("doctor:anil+hospital:harbour", (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
        ("date:-2", (4, 3, 2, 0, 1, 0, 1, 0, 2, 0, 100_000)),
        ("range:-2..1", (4, 3, 7, 3, 1, 2, 1, 1, 4, 1, 210_000)),
        ("status:cancelled", (4, 3, 2, 0, 0, 2, 0, 0, 0, 1, 0)),
        ("payment:Refunded", (4, 3, 1, 0, 0, 1, 0, 0, 0, 1, 0)),
        ("payment:Pending", (4, 3, 5, 2, 0, 1, 0, 3, 0, 0, 0)),
    ],
)
def test_statistics_follow_every_filter(
    db: Session, clinic: AdminClinic, filters: str, expected: tuple[int, ...]
) -> None:
    kwargs: dict[str, object] = {}
    for part in filters.split("+"):
        key, value = part.split(":")
        if key == "city":
            kwargs["city_id"] = getattr(clinic, value).id
        elif key == "hospital":
            kwargs["hospital_id"] = getattr(clinic, value).id
        elif key == "doctor":
            kwargs["doctor_id"] = getattr(clinic, value).id
        elif key == "date":
            day = clinic.today + timedelta(days=int(value))
            kwargs["date_from"] = kwargs["date_to"] = day
        elif key == "range":
            first, last = (int(v) for v in value.split(".."))
            kwargs["date_from"] = clinic.today + timedelta(days=first)
            kwargs["date_to"] = clinic.today + timedelta(days=last)
        elif key == "status":
            kwargs["status"] = value
        else:
            kwargs["payment_status"] = value
    assert stats_tuple(db, clinic, **kwargs) == expected


def test_statistics_on_an_empty_database(session: Session) -> None:
    s = dashboard_stats(session, filters=AdminFilters(), now=datetime(2026, 3, 10, tzinfo=UTC))
    assert (s.doctors, s.bookings, s.pending_payments, s.revenue_paise) == (0, 0, 0, 0)
    assert s.revenue_label == "₹0"


# --- bookings per day ------------------------------------------------------------------------


def test_bookings_per_day_default_window(db: Session, clinic: AdminClinic) -> None:
    chart = bookings_per_day(db, filters=AdminFilters(), now=clinic.now)
    assert (chart.first_day, chart.last_day) == (clinic.today - timedelta(days=29), clinic.today)
    assert len(chart.days) == CHART_DAYS == 30 and not chart.truncated
    assert chart.caption == "Mon, 09 Feb 2026 – Tue, 10 Mar 2026"
    busy = {
        (date.fromisoformat(d.iso) - clinic.today).days: (
            d.total,
            d.confirmed,
            d.cancelled,
            d.no_shows,
            d.other,
        )
        for d in chart.days
        if d.total
    }
    # The last 30 days: a9 (today-20) is in, the visits from tomorrow on are not.
    assert busy == {
        -20: (1, 1, 0, 0, 0),
        -5: (1, 1, 0, 0, 0),
        -2: (2, 1, 0, 1, 0),
        -1: (2, 0, 2, 0, 0),
        0: (1, 1, 0, 0, 0),
    }
    assert (chart.busiest, chart.total) == (2, 7)
    today = [d for d in chart.days if d.is_today]
    assert [(d.iso, d.label, d.weekday) for d in today] == [("2026-03-10", "10 Mar", "Tue")]
    assert chart.days[-1].is_today and chart.days[0].iso == "2026-02-09"


def test_bookings_per_day_follow_filters(db: Session, clinic: AdminClinic) -> None:
    filters = AdminFilters(
        doctor_id=clinic.anil.id,
        date_from=clinic.today - timedelta(days=2),
        date_to=clinic.today + timedelta(days=2),
    )
    chart = bookings_per_day(db, filters=filters, now=clinic.now)
    assert [d.total for d in chart.days] == [2, 1, 0, 2, 2]
    assert [d.other for d in chart.days] == [0, 0, 0, 0, 2]
    cancelled = bookings_per_day(db, filters=AdminFilters(status="cancelled"), now=clinic.now).days
    assert sum(d.total for d in cancelled) == sum(d.cancelled for d in cancelled) == 2


def test_chart_window_rules() -> None:
    today = date(2026, 3, 10)
    day = date(2026, 1, 5)
    assert chart_window(AdminFilters(), today) == (date(2026, 2, 9), today, False)
    assert chart_window(AdminFilters(date_from=day, date_to=day), today) == (day, day, False)
    assert chart_window(AdminFilters(date_from=day), today) == (day, date(2026, 2, 3), False)
    assert chart_window(AdminFilters(date_to=day), today) == (date(2025, 12, 7), day, False)
    ninety = AdminFilters(date_from=date(2025, 10, 3), date_to=date(2025, 12, 31))
    assert chart_window(ninety, today) == (date(2025, 10, 3), date(2025, 12, 31), False)
    first, last, truncated = chart_window(
        AdminFilters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)), today
    )
    assert (first, last, truncated) == (date(2025, 10, 3), date(2025, 12, 31), True)
    assert (last - first).days + 1 == CHART_MAX_DAYS == 90


def test_bookings_per_day_use_clinic_days_across_a_dst_change(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New York springs forward on Sun 8 Mar 2026: a fixed UTC offset would put 23:30
    that evening on the 9th, and 00:15 on the 9th on the 8th."""
    monkeypatch.setenv("HCP_CLINIC_TIMEZONE", "America/New_York")
    get_settings.cache_clear()
    zone = get_settings().clinic_zone
    doctor = create_doctor(session)
    patient = create_patient(session)
    for day, hhmm in [(8, "23:30"), (9, "00:15"), (9, "23:45"), (7, "00:05")]:
        create_appointment(
            session,
            doctor=doctor,
            patient=patient,
            start_at=local(date(2026, 3, day), hhmm, zone=zone),
        )
    filters = AdminFilters(date_from=date(2026, 3, 7), date_to=date(2026, 3, 9))
    chart = bookings_per_day(session, filters=filters, now=datetime(2026, 3, 10, tzinfo=UTC))
    assert [(d.iso, d.total) for d in chart.days] == [
        ("2026-03-07", 1),
        ("2026-03-08", 1),
        ("2026-03-09", 2),
    ]
    get_settings.cache_clear()


def test_bookings_per_day_is_one_query_whatever_the_window(session: Session, db_url: str) -> None:
    statements = SqlLog(db_url)
    now = datetime(2026, 3, 10, tzinfo=UTC)
    for first in (date(2026, 3, 1), date(2025, 1, 1)):
        with statements:
            filters = AdminFilters(date_from=first, date_to=date(2026, 3, 9))
            bookings_per_day(session, filters=filters, now=now)
        assert len(statements.seen) == 1  # the per-day counters, never the appointments
        assert "appointment_tallies" in statements.seen[0]
        assert not re.search(r"\bappointments\b", statements.seen[0])


# --- per hospital / per doctor ------------------------------------------------------------------


def hospital_rows(db: Session, filters: AdminFilters, page: int = 1, size: int = 10) -> list:
    result = bookings_per_hospital(db, filters=filters, page=page, page_size=size)
    return [
        (
            h.hospital_name,
            h.city_name,
            h.doctors,
            h.active_doctors,
            h.bookings,
            h.confirmed,
            h.completed,
            h.cancelled,
            h.no_shows,
            h.revenue_label,
        )
        for h in result.items
    ]


def test_bookings_and_doctors_per_hospital(db: Session, clinic: AdminClinic) -> None:
    assert hospital_rows(db, AdminFilters()) == [
        ("Sunrise Hospital", "Bangalore", 2, 1, 8, 2, 2, 1, 1, "₹2,300"),
        ("Harbour Hospital", "Mumbai", 1, 1, 2, 1, 0, 1, 0, "₹0"),  # ties: by name
        ("Lakeside Clinic", "Bangalore", 1, 1, 2, 1, 1, 0, 0, "₹1,200"),
    ]
    # Date filters narrow the bookings, never the hospitals or their doctors.
    today_only = AdminFilters(date_from=clinic.today, date_to=clinic.today)
    assert hospital_rows(db, today_only) == [
        ("Lakeside Clinic", "Bangalore", 1, 1, 1, 1, 0, 0, 0, "₹600"),
        ("Harbour Hospital", "Mumbai", 1, 1, 0, 0, 0, 0, 0, "₹0"),
        ("Sunrise Hospital", "Bangalore", 2, 1, 0, 0, 0, 0, 0, "₹0"),
    ]
    assert [r[0] for r in hospital_rows(db, AdminFilters(city_id=clinic.bangalore.id))] == [
        "Sunrise Hospital",
        "Lakeside Clinic",
    ]
    by_doctor = hospital_rows(db, AdminFilters(doctor_id=clinic.chitra.id))
    assert by_doctor == [("Lakeside Clinic", "Bangalore", 1, 1, 2, 1, 1, 0, 0, "₹1,200")]


def test_hospital_pages(db: Session, clinic: AdminClinic) -> None:
    first = bookings_per_hospital(db, filters=AdminFilters(), page=1, page_size=2)
    assert (first.total, first.page, first.pages, first.has_prev, first.has_next) == (
        3,
        1,
        2,
        False,
        True,
    )
    assert (first.first_item, first.last_item) == (1, 2)
    beyond = bookings_per_hospital(db, filters=AdminFilters(), page=50, page_size=2)
    assert (beyond.page, beyond.first_item, beyond.last_item, beyond.has_next) == (2, 3, 3, False)
    assert [h.hospital_name for h in beyond.items] == ["Lakeside Clinic"]


def test_bookings_per_doctor(db: Session, clinic: AdminClinic) -> None:
    result = bookings_per_doctor(db, filters=AdminFilters())
    assert [
        (d.doctor_name, d.hospital_name, d.is_active, d.bookings, d.no_shows, d.revenue_label)
        for d in result.items
    ] == [
        ("Dr. Anil Rao", "Sunrise Hospital", True, 7, 1, "₹1,500"),
        ("Dr. Chitra Iyer", "Lakeside Clinic", True, 2, 0, "₹1,200"),
        ("Dr. Dinesh Kumar", "Harbour Hospital", True, 2, 0, "₹0"),
        ("Dr. Bela Shah", "Sunrise Hospital", False, 1, 0, "₹800"),
    ]
    pending = bookings_per_doctor(db, filters=AdminFilters(payment_status="Pending"))
    assert [(d.doctor_name, d.bookings) for d in pending.items] == [
        ("Dr. Anil Rao", 3),
        ("Dr. Dinesh Kumar", 2),
        ("Dr. Bela Shah", 0),  # idle doctors stay listed, after the busy ones
        ("Dr. Chitra Iyer", 0),
    ]
    page_two = bookings_per_doctor(db, filters=AdminFilters(), page=2, page_size=3)
    assert [d.doctor_name for d in page_two.items] == ["Dr. Bela Shah"]
    assert (page_two.total, page_two.pages, page_two.first_item) == (4, 2, 4)
    mumbai = bookings_per_doctor(db, filters=AdminFilters(city_id=clinic.mumbai.id))
    assert [d.doctor_name for d in mumbai.items] == ["Dr. Dinesh Kumar"]


def test_data_version_moves_with_audited_changes_and_expiries(
    db: Session, clinic: AdminClinic
) -> None:
    from sqlalchemy import event

    from healthcareplus.domain.payments.ledger import audit_event
    from healthcareplus.domain.scheduling.lifecycle import expire_lapsed_holds

    first = data_version(db)
    assert first == data_version(db) == "0"  # no audit entries yet
    audit_event(
        db, action="booked", appointment_id=clinic["a4"].id, actor_id=None, actor_role=None,
        now=clinic.now,
    )  # fmt: skip
    db.commit()
    second = data_version(db)
    assert second != first
    # A hold lapsing (the sweep writes no other trace a dashboard could see) moves it too.
    lapsed = create_appointment(
        db,
        doctor=clinic.anil,
        patient=clinic.patient,
        start_at=clinic.now + timedelta(days=3),
        status="pending_payment",
        hold_expires_at=clinic.now - timedelta(minutes=1),
    )
    assert expire_lapsed_holds(db, now=clinic.now) == 1
    db.commit()
    assert int(data_version(db)) > int(second)
    assert lapsed.id  # it expired through the one expiry statement

    # One read of the audit table's key; never a scan of the appointments.
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        data_version(db)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) == 1 and "appointments" not in statements[0]


# --- the other charts --------------------------------------------------------------------------


def test_bookings_per_hospital_chart(db: Session, clinic: AdminClinic) -> None:
    def bars(**filters: object) -> list[tuple[str, str, int]]:
        items = hospital_bookings(db, filters=AdminFilters(**filters))  # type: ignore[arg-type]
        return [(h.hospital_name, h.city_name, h.bookings) for h in items]

    assert bars() == [
        ("Sunrise Hospital", "Bangalore", 8),
        ("Harbour Hospital", "Mumbai", 2),  # ties: by name
        ("Lakeside Clinic", "Bangalore", 2),
    ]
    # Hospitals without a matching booking get no bar.
    assert bars(date_from=clinic.today, date_to=clinic.today) == [
        ("Lakeside Clinic", "Bangalore", 1)
    ]
    assert bars(payment_status="Pending") == [
        ("Sunrise Hospital", "Bangalore", 3),  # a5 a6 a7
        ("Harbour Hospital", "Mumbai", 2),  # a10 a11
    ]
    assert bars(doctor_id=clinic.chitra.id) == [("Lakeside Clinic", "Bangalore", 2)]
    assert bars(city_id=clinic.mumbai.id, status="confirmed") == [("Harbour Hospital", "Mumbai", 1)]
    assert [h.hospital_name for h in hospital_bookings(db, filters=AdminFilters(), limit=1)] == [
        "Sunrise Hospital"
    ]


def test_revenue_per_hospital_chart(db: Session, clinic: AdminClinic) -> None:
    def bars(**filters: object) -> list[tuple[str, int, int, int, int, str]]:
        items = hospital_revenue(db, filters=AdminFilters(**filters))  # type: ignore[arg-type]
        return [
            (
                h.hospital_name,
                h.collected_paise,
                h.refunded_paise,
                h.revenue_paise,
                h.revenue_rupees,
                h.revenue_label,
            )
            for h in items
        ]

    # Sunrise: a1 a2 a3 a4 (500 each) + a12 (800) paid, a3 refunded. Lakeside: a8 + a9.
    # Harbour's only payment row is a10's pending Pay-at-Clinic one: no bar.
    assert bars() == [
        ("Sunrise Hospital", 280_000, 50_000, 230_000, 2_300, "₹2,300"),
        ("Lakeside Clinic", 120_000, 0, 120_000, 1_200, "₹1,200"),
    ]
    assert bars(
        date_from=clinic.today - timedelta(days=2), date_to=clinic.today + timedelta(1)
    ) == [
        ("Sunrise Hospital", 200_000, 50_000, 150_000, 1_500, "₹1,500"),  # a1 a2 a3 a4
        ("Lakeside Clinic", 60_000, 0, 60_000, 600, "₹600"),  # a8
    ]
    day = clinic.today - timedelta(days=1)  # a3 (paid, refunded) and a11 (never paid)
    assert bars(date_from=day, date_to=day) == [("Sunrise Hospital", 50_000, 50_000, 0, 0, "₹0")]
    assert bars(doctor_id=clinic.bela.id) == [("Sunrise Hospital", 80_000, 0, 80_000, 800, "₹800")]
    assert bars(city_id=clinic.mumbai.id) == []
    # The chart's hospitals add up to the revenue card.
    for filters in (AdminFilters(), AdminFilters(hospital_id=clinic.sunrise.id)):
        card = dashboard_stats(db, filters=filters, now=clinic.now).revenue_paise
        assert card == sum(h.revenue_paise for h in hospital_revenue(db, filters=filters))


def test_revenue_counts_the_fees_of_paid_appointments(db: Session, clinic: AdminClinic) -> None:
    """Revenue is the fee of each appointment paid and not refunded, not the payment
    rows: a failed attempt adds nothing, nor does a second Success row for the visit."""
    doctor = create_doctor(db, hospital=clinic.harbour, name="Dr. Esha Pai", fee_paise=90_000)
    booking = create_appointment(
        db, doctor=doctor, patient=clinic.patient, start_at=local(clinic.today, "15:00")
    )
    settle_payment(db, booking, method="card", status="Success")
    db.add(
        Payment(
            appointment_id=booking.id,
            method="upi",
            amount_paise=90_000,
            status="Failed",
            idempotency_key=f"{booking.id}:failed",
        )
    )
    db.add(
        Payment(
            appointment_id=booking.id,
            method="upi",
            amount_paise=90_000,
            status="Success",
            idempotency_key=f"{booking.id}:again",
        )
    )
    db.commit()
    harbour = AdminFilters(hospital_id=clinic.harbour.id)
    stats = dashboard_stats(db, filters=harbour, now=clinic.now)
    assert (stats.collected_paise, stats.refunded_paise, stats.revenue_label) == (
        90_000,
        0,
        "₹900",
    )
    assert [(h.hospital_name, h.revenue_paise) for h in hospital_revenue(db, filters=harbour)] == [
        ("Harbour Hospital", 90_000)
    ]
    assert dashboard_stats(db, filters=AdminFilters(), now=clinic.now).revenue_paise == 440_000


def test_top_doctors_chart(db: Session, clinic: AdminClinic) -> None:
    def bars(limit: int = 10, **filters: object) -> list[tuple[str, str, str, int]]:
        items = top_doctors(db, filters=AdminFilters(**filters), limit=limit)  # type: ignore[arg-type]
        return [(d.doctor_name, d.specialization, d.hospital_name, d.bookings) for d in items]

    spec = clinic.anil.specialization
    assert [(name, hospital, n) for name, _, hospital, n in bars()] == [
        ("Dr. Anil Rao", "Sunrise Hospital", 7),
        ("Dr. Chitra Iyer", "Lakeside Clinic", 2),  # ties: by name
        ("Dr. Dinesh Kumar", "Harbour Hospital", 2),
        ("Dr. Bela Shah", "Sunrise Hospital", 1),  # inactive doctors keep their history
    ]
    assert bars()[0][1] == spec
    assert [d[0] for d in bars(limit=2)] == ["Dr. Anil Rao", "Dr. Chitra Iyer"]
    assert [(d[0], d[3]) for d in bars(status="cancelled")] == [
        ("Dr. Anil Rao", 1),
        ("Dr. Dinesh Kumar", 1),
    ]
    assert [
        (d[0], d[3]) for d in bars(hospital_id=clinic.sunrise.id, payment_status="Success")
    ] == [
        ("Dr. Anil Rao", 3),  # a1 a2 a4
        ("Dr. Bela Shah", 1),
    ]
    assert bars(date_from=date(2020, 1, 1), date_to=date(2020, 1, 2)) == []


def test_top_doctors_stops_at_ten(db: Session, clinic: AdminClinic) -> None:
    patient = create_patient(db)
    for n in range(11):
        doctor = create_doctor(db, hospital=clinic.lakeside, name=f"Dr. Extra {n:02d}")
        for k in range(n % 3 + 1):
            start = local(clinic.today + timedelta(days=5), "09:00") + timedelta(minutes=30 * k)
            create_appointment(db, doctor=doctor, patient=patient, start_at=start, commit=False)
    db.commit()
    names = [(d.doctor_name, d.bookings) for d in top_doctors(db, filters=AdminFilters())]
    assert len(names) == TOP_DOCTORS == 10
    # Anil 7; then the extras with 3 (02 05 08), with 2 (01 04 07 10) and Chitra/Dinesh (2).
    assert names == [
        ("Dr. Anil Rao", 7),
        ("Dr. Extra 02", 3),
        ("Dr. Extra 05", 3),
        ("Dr. Extra 08", 3),
        ("Dr. Chitra Iyer", 2),
        ("Dr. Dinesh Kumar", 2),
        ("Dr. Extra 01", 2),
        ("Dr. Extra 04", 2),
        ("Dr. Extra 07", 2),
        ("Dr. Extra 10", 2),
    ]


def test_payment_method_mix(db: Session, clinic: AdminClinic) -> None:
    def mix(**filters: object) -> list[tuple[str, str, int, int]]:
        items = payment_method_mix(db, filters=AdminFilters(**filters))  # type: ignore[arg-type]
        return [(m.method, m.label, m.count, m.percent) for m in items]

    # a6, a7 and a11 never chose a method; the rest: upi a1 a3 a4 a9, card a2,
    # netbanking a8, wallet a12, pay at clinic a5 a10. Shares of 9, rounded.
    assert mix() == [
        ("upi", "UPI", 4, 44),
        ("card", "Card", 1, 11),
        ("netbanking", "Net Banking", 1, 11),
        ("wallet", "Wallet", 1, 11),
        ("pay_at_clinic", "Pay at Clinic", 2, 22),
    ]
    assert mix(hospital_id=clinic.sunrise.id) == [
        ("upi", "UPI", 3, 50),
        ("card", "Card", 1, 17),
        ("wallet", "Wallet", 1, 17),
        ("pay_at_clinic", "Pay at Clinic", 1, 17),
    ]
    assert mix(payment_status="Pending") == [("pay_at_clinic", "Pay at Clinic", 2, 100)]
    assert mix(doctor_id=clinic.anil.id, status="expired") == []


@pytest.mark.parametrize(
    "chart", [hospital_bookings, hospital_revenue, top_doctors, payment_method_mix]
)
def test_each_chart_is_one_query(
    session: Session, db_url: str, chart: Callable[..., list[object]]
) -> None:
    clinic = build_admin_clinic(session)
    statements = SqlLog(db_url)
    filters = AdminFilters(city_id=clinic.bangalore.id, date_from=clinic.today - timedelta(9))
    with statements:
        assert chart(session, filters=filters)
    assert len(statements.seen) == 1
    with statements:
        revenue_totals(session, filters=AdminFilters())
    # The counters alone: neither the payments nor the appointments.
    assert len(statements.seen) == 1 and "JOIN" not in statements.seen[0].upper()
    assert "appointment_tallies" in statements.seen[0]
    assert not re.search(r"\b(appointments|payments)\b", statements.seen[0])
