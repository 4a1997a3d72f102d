"""The dashboard reads the appointment counters: every figure equals a plain recount from
the appointments, for many filter combinations on a randomised clinic (on SQLite and on
PostgreSQL); the unfiltered dashboard reads neither the appointments nor the payments
beyond the lapsed-hold correction and the table's page; and the usual slips (a filter
forgotten, a wrong grain, an off-by-one day, the lapsed holds ignored) fail these tests.

The clinic: three cities, five hospitals, nine doctors (one inactive, one who moved
hospital: his older visits stay at the first), a few hundred appointments at any time of
day (midnight included) around "now" in every status, payment status (Processing too)
and method, with live, lapsed and Processing holds.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import and_, event, func, or_, text
from sqlmodel import Session, col, select

from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    City,
    Doctor,
    Hospital,
    PaymentStatus,
)
from healthcareplus.core.tally_models import Grain
from healthcareplus.domain.admin import (
    dashboard,
    dashboard_breakdowns,
    dashboard_charts,
    dashboard_table,
    tally_reads,
)
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.admin.tally_reads import By, grain_for, lapsed_hold_conditions
from healthcareplus.domain.scheduling import lifecycle, tallies
from tests.factories import create_city, create_doctor, create_hospital, create_patient, local

S, P = AppointmentStatus, PaymentStatus
TODAY = date(2026, 3, 10)
NOW = local(TODAY, "12:00")
PROCESSING = lifecycle.PROCESSING


@dataclass
class RandomClinic:
    now: datetime
    today: date
    cities: list[City]
    hospitals: list[Hospital]
    doctors: list[Doctor]
    moved: Doctor  # now at hospitals[1]; his visits before today-30 were at hospitals[0]


def build_random_clinic(db: Session, *, count: int = 300, seed: int = 2026) -> RandomClinic:
    rng = random.Random(seed)
    cities = [create_city(db, name=f"City {c}") for c in range(3)]
    hospitals = [create_hospital(db, city=cities[h % 3], name=f"Hospital {h}") for h in range(5)]
    doctors = [
        create_doctor(
            db,
            hospital=hospitals[d % 5],
            name=f"Dr. {'ABCDEFGHI'[d]}",
            fee_paise=rng.choice([30_000, 50_000, 80_000]),
            is_active=d != 3,
        )
        for d in range(9)
    ]
    moved = doctors[6]  # at hospitals[1] now
    patient = create_patient(db)
    taken: set[tuple[int | None, datetime]] = set()
    kinds: list[tuple[str, str, str | None]] = [
        (S.CONFIRMED, P.SUCCESS, "upi"),
        (S.CONFIRMED, P.PENDING, "pay_at_clinic"),
        (S.COMPLETED, P.SUCCESS, "card"),
        (S.COMPLETED, P.PENDING, "pay_at_clinic"),
        (S.COMPLETED, P.SUCCESS, "pay_at_clinic"),
        (S.NO_SHOW, P.SUCCESS, "wallet"),
        (S.NO_SHOW, P.PENDING, "pay_at_clinic"),
        (S.CANCELLED, P.REFUNDED, "netbanking"),
        (S.CANCELLED, P.SUCCESS, "upi"),
        (S.CANCELLED, P.PENDING, None),
        (S.EXPIRED, P.PENDING, None),
        (S.EXPIRED, P.FAILED, "card"),
        (S.PENDING_PAYMENT, P.PENDING, None),
        (S.PENDING_PAYMENT, P.FAILED, "upi"),
        (S.PENDING_PAYMENT, PROCESSING, "card"),
    ]
    for _ in range(count):
        doctor = rng.choice(doctors)
        day = TODAY + timedelta(days=rng.randint(-45, 15))
        start = local(day, "00:00") + timedelta(minutes=15 * rng.randrange(96))
        status, paid, method = rng.choice(kinds)
        if status in lifecycle.INDEXED_STATUSES:
            if (doctor.id, start) in taken:
                continue
            taken.add((doctor.id, start))
        hold = None
        if status == S.PENDING_PAYMENT:  # live, lapsed (not swept yet) or without expiry
            hold = rng.choice([NOW + timedelta(minutes=5), NOW - timedelta(minutes=1), NOW, None])
        hospital_id = doctor.hospital_id
        if doctor is moved and day < TODAY - timedelta(days=30):
            hospital_id = hospitals[0].id or 0
        row = Appointment(
            patient_id=patient.id or 0,
            doctor_id=doctor.id or 0,
            hospital_id=hospital_id,
            start_at=start,
            end_at=start + timedelta(minutes=15),
            reason="Check-up",
            status=status,
            payment_status=paid,
            payment_method=method,
            fee_paise=doctor.fee_paise + rng.choice([0, 0, 5_000]),  # a few odd fees
            booked_at=min(start, NOW) - timedelta(days=1),
            hold_expires_at=hold,
        )
        tallies.count_change(db, None, tallies.Counted.of(row))
        db.add(row)
    db.commit()
    assert tallies.check(db).ok
    return RandomClinic(NOW, TODAY, cities, hospitals, doctors, moved)


def filter_cases(c: RandomClinic) -> dict[str, AdminFilters]:
    t, d, h = c.today, c.doctors, c.hospitals
    return {
        "nothing": AdminFilters(),
        "doctor": AdminFilters(doctor_id=d[0].id),
        "moved doctor": AdminFilters(doctor_id=c.moved.id),
        "moved doctor at his old hospital": AdminFilters(doctor_id=c.moved.id, hospital_id=h[0].id),
        "hospital": AdminFilters(hospital_id=h[1].id),
        "city": AdminFilters(city_id=c.cities[0].id),
        "one day": AdminFilters(date_from=t, date_to=t),
        "range": AdminFilters(date_from=t - timedelta(days=10), date_to=t + timedelta(days=3)),
        "from": AdminFilters(date_from=t - timedelta(days=2)),
        "to": AdminFilters(date_to=t - timedelta(days=40)),
        "status": AdminFilters(status=S.CANCELLED),
        "payment": AdminFilters(payment_status=P.SUCCESS),
        "holds": AdminFilters(status=S.PENDING_PAYMENT, payment_status=P.PENDING),
        "doctor + range + status": AdminFilters(
            doctor_id=d[1].id,
            date_from=t - timedelta(days=20),
            date_to=t,
            status=S.COMPLETED,
        ),
        "hospital + from": AdminFilters(hospital_id=h[0].id, date_from=t - timedelta(days=35)),
        "moved doctor + range": AdminFilters(
            doctor_id=c.moved.id, date_from=t - timedelta(days=40), date_to=t - timedelta(days=20)
        ),
        "city + range + payment": AdminFilters(
            city_id=c.cities[1].id,
            date_from=t - timedelta(days=30),
            date_to=t + timedelta(days=10),
            payment_status=P.PENDING,
        ),
        "city + hospital elsewhere": AdminFilters(city_id=c.cities[0].id, hospital_id=h[1].id),
    }


# --- the recount: plain SQL over the appointments -----------------------------------------------


def _count(db: Session, *where: Any) -> int:
    return int(db.exec(select(func.count()).select_from(Appointment).where(*where)).one())


def _fees(db: Session, *where: Any) -> int:
    fee = func.coalesce(func.sum(col(Appointment.fee_paise)), 0)
    return int(db.exec(select(fee).where(*where)).one())


def _doctors(db: Session, f: AdminFilters) -> list[Doctor]:
    doctors = db.exec(select(Doctor)).all()
    hospitals = {h.id: h for h in db.exec(select(Hospital)).all()}
    return [
        d
        for d in doctors
        if (not f.doctor_id or d.id == f.doctor_id)
        and (not f.hospital_id or d.hospital_id == f.hospital_id)
        and (not f.city_id or hospitals[d.hospital_id].city_id == f.city_id)
    ]


def expected_stats(db: Session, f: AdminFilters, now: datetime) -> dict[str, int]:
    w, a = f.where(), Appointment
    pending = and_(
        col(a.payment_status) == P.PENDING,
        or_(col(a.status).in_([S.CONFIRMED, S.COMPLETED]), lifecycle.PENDING_HOLDS.sql(now)),
    )
    paid = col(a.payment_status).in_([P.SUCCESS, P.REFUNDED])
    doctors = _doctors(db, f)
    return {
        "doctors": len(doctors),
        "active_doctors": sum(d.is_active for d in doctors),
        "bookings": _count(db, w),
        **{
            name: _count(db, w, col(a.status) == s)
            for name, s in [
                ("confirmed", S.CONFIRMED),
                ("completed", S.COMPLETED),
                ("cancelled", S.CANCELLED),
                ("no_shows", S.NO_SHOW),
            ]
        },
        "pending_payments": _count(db, w, pending),
        "successful_payments": _count(db, w, col(a.payment_status) == P.SUCCESS),
        "refunded_payments": _count(db, w, col(a.payment_status) == P.REFUNDED),
        "collected_paise": _fees(db, w, paid),
        "refunded_paise": _fees(db, w, col(a.payment_status) == P.REFUNDED),
        "revenue_paise": _fees(db, w, col(a.payment_status) == P.SUCCESS),
    }


def _grouped(db: Session, f: AdminFilters, key: Any, *where: Any) -> dict[Any, int]:
    rows = db.exec(select(key, func.count()).where(f.where(), *where).group_by(key)).all()
    return {k: int(n) for k, n in rows}


def _grouped_fees(db: Session, f: AdminFilters, key: Any, *where: Any) -> dict[Any, int]:
    fee = func.sum(col(Appointment.fee_paise))
    rows = db.exec(select(key, fee).where(f.where(), *where).group_by(key)).all()
    return {k: int(n) for k, n in rows}


def per_day(db: Session, f: AdminFilters, first: date, last: date) -> dict[date, Counter[str]]:
    out: dict[date, Counter[str]] = defaultdict(Counter)
    for start, status in db.exec(select(Appointment.start_at, Appointment.status).where(f.where())):
        day = clinic_today(start)
        if first <= day <= last:
            out[day][status] += 1
    return out


# --- the comparison --------------------------------------------------------------------------


def compare_everything(db: Session, c: RandomClinic, f: AdminFilters) -> None:
    """Every dashboard function under ``f`` against the recount (AssertionError if not)."""
    stats = dashboard.dashboard_stats(db, filters=f, now=c.now)
    expected = expected_stats(db, f, c.now)
    assert {k: getattr(stats, k) for k in expected} == expected
    assert stats.collected_paise - stats.refunded_paise == stats.revenue_paise

    money = dashboard_charts.revenue_totals(db, filters=f)
    assert (money.collected_paise, money.refunded_paise) == (
        expected["collected_paise"],
        expected["refunded_paise"],
    )

    chart = dashboard.bookings_per_day(db, filters=f, now=c.now)
    days = per_day(db, f, chart.first_day, chart.last_day)
    for d in chart.days:
        n = days.get(date.fromisoformat(d.iso), Counter())
        assert (d.total, d.confirmed, d.cancelled, d.no_shows, d.other) == (
            sum(n.values()),
            n[S.CONFIRMED] + n[S.COMPLETED],
            n[S.CANCELLED],
            n[S.NO_SHOW],
            n[S.PENDING_PAYMENT] + n[S.EXPIRED],
        ), d.iso

    a = Appointment
    hospitals = {h.id: h for h in db.exec(select(Hospital)).all()}
    doctors = {d.id: d for d in db.exec(select(Doctor)).all()}
    per_hospital = _grouped(db, f, col(a.hospital_id))
    bars = dashboard_charts.hospital_bookings(db, filters=f, limit=100)
    assert {b.hospital_id: b.bookings for b in bars} == per_hospital
    assert [b.hospital_id for b in bars] == sorted(
        per_hospital, key=lambda h: (-per_hospital[h], hospitals[h].name, h)
    )

    paid = col(a.payment_status).in_([P.SUCCESS, P.REFUNDED])
    got = _grouped_fees(db, f, col(a.hospital_id), paid)
    back = _grouped_fees(db, f, col(a.hospital_id), col(a.payment_status) == P.REFUNDED)
    revenue = dashboard_charts.hospital_revenue(db, filters=f, limit=100)
    assert {r.hospital_id: (r.collected_paise, r.refunded_paise) for r in revenue} == {
        h: (got[h], back.get(h, 0)) for h in got
    }

    per_doctor = _grouped(db, f, col(a.doctor_id))
    top = dashboard_charts.top_doctors(db, filters=f, limit=100)
    assert {d.doctor_id: d.bookings for d in top} == per_doctor
    assert [d.doctor_id for d in top] == sorted(
        per_doctor, key=lambda d: (-per_doctor[d], doctors[d].name, d)
    )

    methods = _grouped(db, f, col(a.payment_method), col(a.payment_method).is_not(None))
    mix = dashboard_charts.payment_method_mix(db, filters=f)
    assert {m.method: m.count for m in mix} == methods

    in_scope = {d.id for d in _doctors(db, f)}
    table = dashboard_breakdowns.bookings_per_doctor(db, filters=f, page_size=100)
    assert table.total == len(in_scope)
    figures = {
        "completed": _grouped(db, f, col(a.doctor_id), col(a.status) == S.COMPLETED),
        "cancelled": _grouped(db, f, col(a.doctor_id), col(a.status) == S.CANCELLED),
        "revenue_paise": _grouped_fees(db, f, col(a.doctor_id), col(a.payment_status) == P.SUCCESS),
    }
    for row in table.items:
        assert row.doctor_id in in_scope
        assert row.bookings == per_doctor.get(row.doctor_id, 0)
        for name, values in figures.items():
            assert getattr(row, name) == values.get(row.doctor_id, 0), (row.doctor_name, name)

    places = dashboard_breakdowns.bookings_per_hospital(db, filters=f, page_size=100)
    for row in places.items:
        assert row.bookings == per_hospital.get(row.hospital_id, 0)
        assert row.no_shows == _count(db, f.where(), col(a.hospital_id) == row.hospital_id,
                                      col(a.status) == S.NO_SHOW)  # fmt: skip
        assert row.revenue_paise == _fees(
            db, f.where(), col(a.hospital_id) == row.hospital_id, col(a.payment_status) == P.SUCCESS
        )

    page = dashboard_table.list_appointments(db, filters=f, now=c.now, page_size=7)
    assert page.total == expected["bookings"]


@pytest.fixture
def db(either_db: Session) -> Session:
    return either_db


@pytest.fixture
def clinic(db: Session) -> RandomClinic:
    return build_random_clinic(db)


def test_every_figure_equals_a_recount(db: Session, clinic: RandomClinic) -> None:
    for name, filters in filter_cases(clinic).items():
        try:
            compare_everything(db, clinic, filters)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from error


def test_the_clinic_has_what_the_comparison_needs(db: Session, clinic: RandomClinic) -> None:
    """Lapsed holds the sweep has not reached, live ones, Processing ones, and visits of
    the moved doctor at both hospitals (else the comparison would prove less)."""
    a = Appointment
    lapsed = _count(db, *lapsed_hold_conditions(AdminFilters(), clinic.now))
    live = _count(db, lifecycle.PENDING_HOLDS.sql(clinic.now))
    processing = _count(db, col(a.payment_status) == PROCESSING)
    moved = _grouped(db, AdminFilters(doctor_id=clinic.moved.id), col(a.hospital_id))
    assert lapsed >= 3 and live >= 3 and processing >= 3 and len(moved) == 2
    # Visits whose clinic day is not their UTC day (before 05:30 in Bangalore).
    starts = db.exec(select(a.start_at)).all()
    assert sum(clinic_today(s) != s.date() for s in starts) >= 10


# --- the slips these tests catch ---------------------------------------------------------------


_READERS = (tally_reads, dashboard, dashboard_charts, dashboard_breakdowns, dashboard_table)


def _patch(mp: pytest.MonkeyPatch, name: str, value: object) -> None:
    """Replace ``name`` in ``tally_reads`` and in every module that imported it."""
    for module in _READERS:
        if hasattr(module, name):
            mp.setattr(module, name, value)


def _rewritten(kind: str, change: Callable[[AdminFilters], list[Any]]) -> Any:
    """``tally_where`` with its conditions mentioning ``kind`` replaced by ``change``'s."""
    real = tally_reads.tally_where

    def slipped(filters: AdminFilters, **kw: Any) -> list[Any]:
        kept = [c for c in real(filters, **kw) if kind not in str(c)]
        return kept + (change(filters) if len(kept) < len(real(filters, **kw)) else [])

    return slipped


def _nothing(filters: AdminFilters) -> list[Any]:
    return []


def _day_before_last(filters: AdminFilters) -> list[Any]:
    return [col(tally_reads.T.day) < filters.date_to]


SLIPS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "status filter forgotten": lambda mp: _patch(
        mp, "tally_where", _rewritten("appointment_tallies.status =", _nothing)
    ),
    "doctor filter forgotten": lambda mp: _patch(
        mp, "tally_where", _rewritten("appointment_tallies.doctor_id = :", _nothing)
    ),
    "grain forgotten": lambda mp: _patch(
        mp, "tally_where", _rewritten("appointment_tallies.grain", _nothing)
    ),
    "all-time grain for a date filter": lambda mp: _patch(
        mp, "grain_for", lambda f, *, by=By.NOTHING, per_day=False: Grain.TOTAL
    ),
    "hospital grain for a doctor filter": lambda mp: _patch(
        mp,
        "grain_for",
        lambda f, *, by=By.NOTHING, per_day=False: (
            Grain.DAY_HOSPITAL if per_day or f.date_from or f.date_to else Grain.HOSPITAL
        ),
    ),
    "last day left out": lambda mp: _patch(
        mp, "tally_where", _rewritten("appointment_tallies.day <=", _day_before_last)
    ),
    "lapsed holds not subtracted": lambda mp: _patch(mp, "lapsed_holds", lambda *a, **k: 0),
}
CAUGHT_BY = ("nothing", "status", "range", "holds", "doctor + range + status", "doctor")


@pytest.mark.parametrize("slip", list(SLIPS))
def test_a_slip_fails_the_comparison(
    session: Session, monkeypatch: pytest.MonkeyPatch, slip: str
) -> None:
    clinic = build_random_clinic(session, count=150)
    cases = filter_cases(clinic)
    for name in CAUGHT_BY:
        compare_everything(session, clinic, cases[name])  # right before the slip
    with monkeypatch.context() as mp:
        SLIPS[slip](mp)
        failed = []
        for name in CAUGHT_BY:
            try:
                compare_everything(session, clinic, cases[name])
            except (AssertionError, KeyError):
                failed.append(name)
        assert failed, f"{slip}: not caught"


# --- what the dashboard reads --------------------------------------------------------------------

_TABLES = re.compile(r"\b(appointments|payments)\b", re.IGNORECASE)


@dataclass
class Recorded:
    statements: list[str]

    def reading(self) -> list[str]:
        """The statements that name the appointments or payments tables."""
        return [s for s in self.statements if _TABLES.search(s)]


@pytest.fixture
def recorded(db: Session) -> Iterator[Recorded]:
    seen = Recorded([])

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.statements.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def open_dashboard(db: Session, filters: AdminFilters, now: datetime) -> None:
    """What /admin computes (besides the landing overview): cards, charts, table, tables."""
    dashboard.data_version(db)
    dashboard.dashboard_stats(db, filters=filters, now=now)
    dashboard.bookings_per_day(db, filters=filters, now=now)
    dashboard_charts.hospital_bookings(db, filters=filters)
    dashboard_charts.hospital_revenue(db, filters=filters)
    dashboard_charts.top_doctors(db, filters=filters)
    dashboard_charts.payment_method_mix(db, filters=filters)
    dashboard_table.list_appointments(db, filters=filters, now=now)
    dashboard_breakdowns.bookings_per_hospital(db, filters=filters)
    dashboard_breakdowns.bookings_per_doctor(db, filters=filters)


def test_the_dashboard_reads_counters_not_appointments(
    db: Session, clinic: RandomClinic, recorded: Recorded
) -> None:
    open_dashboard(db, AdminFilters(), clinic.now)
    reads = recorded.reading()
    holds = [s for s in reads if "hold_expires_at" in s and "count(" in s.lower()]
    pages = [s for s in reads if "LIMIT" in s.upper() and "JOIN users" in s]
    # Only the lapsed-hold correction and the table's page; the payments never.
    assert len(holds) == 1 and len(pages) == 1, reads
    assert sorted(reads) == sorted(holds + pages)
    assert not any(re.search(r"\bpayments\b", s) for s in recorded.statements)
    # Every figure is a sum of counter rows: 9 statements; besides them and the two
    # above, the marker, the doctors in scope and the breakdown tables' row counts.
    assert sum("appointment_tallies" in s for s in recorded.statements) == 9
    assert len(recorded.statements) == 15, recorded.statements


def test_filters_that_exclude_lapsed_holds_skip_their_query(
    db: Session, clinic: RandomClinic, recorded: Recorded
) -> None:
    for filters in (AdminFilters(status=S.CONFIRMED), AdminFilters(payment_status=P.SUCCESS)):
        recorded.statements.clear()
        dashboard.dashboard_stats(db, filters=filters, now=clinic.now)
        assert recorded.reading() == []


def test_the_lapsed_hold_correction_uses_the_status_index(session: Session) -> None:
    """On SQLite (which knows only average rows per index), the doctor, hospital and
    payment conditions must not lure the planner off the (status, start) index."""
    clinic = build_random_clinic(session, count=60)
    session.execute(text("ANALYZE"))
    for filters in (
        AdminFilters(),
        AdminFilters(doctor_id=clinic.doctors[0].id),
        AdminFilters(hospital_id=clinic.hospitals[0].id, date_from=clinic.today),
        AdminFilters(city_id=clinic.cities[0].id, payment_status=P.PENDING),
    ):
        query = select(func.count()).where(*lapsed_hold_conditions(filters, clinic.now))
        compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " ".join(str(r[-1]) for r in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
        assert "ix_appointments_status_start" in plan, plan


def test_per_day_doctor_rows_are_read_by_key(session: Session) -> None:
    """A 60-day view of one hospital reads its doctors' rows of those days through the
    key's index (doctor, hospital and day range), not every doctor's."""
    clinic = build_random_clinic(session, count=60)
    filters = AdminFilters(
        hospital_id=clinic.hospitals[1].id, date_from=clinic.today - timedelta(days=59)
    )
    t = tally_reads.T
    query = select(func.sum(col(t.bookings))).where(*tally_reads.tally_where(filters, by=By.DOCTOR))
    compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    plan = [str(r[-1]) for r in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
    key = [p for p in plan if "uq_appointment_tallies_key" in p and "day>" in p]
    assert key and "doctor_id=?" in key[0] and "hospital_id=?" in key[0], plan


def test_per_day_rows_of_every_hospital_are_read_by_day(session: Session) -> None:
    """Per-hospital figures over a date range read those days (the (grain, day) index),
    not every day of every hospital along the key."""
    clinic = build_random_clinic(session, count=60)
    filters = AdminFilters(date_from=clinic.today - timedelta(days=29), date_to=clinic.today)
    t = tally_reads.T
    query = select(func.sum(col(t.bookings))).where(
        *tally_reads.tally_where(filters, by=By.HOSPITAL)
    )
    compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    plan = " ".join(str(r[-1]) for r in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_appointment_tallies_grain_day" in plan, plan


def test_grain_choice() -> None:
    day = date(2026, 3, 10)
    assert grain_for(AdminFilters()) == Grain.TOTAL
    assert grain_for(AdminFilters(status="cancelled", payment_status="Pending")) == Grain.TOTAL
    assert grain_for(AdminFilters(date_to=day)) == Grain.DAY
    assert grain_for(AdminFilters(), per_day=True) == Grain.DAY
    assert grain_for(AdminFilters(city_id=1)) == Grain.HOSPITAL
    assert grain_for(AdminFilters(), by=By.HOSPITAL) == Grain.HOSPITAL
    assert grain_for(AdminFilters(hospital_id=1, date_from=day)) == Grain.DAY_HOSPITAL
    assert grain_for(AdminFilters(doctor_id=1)) == Grain.DOCTOR
    assert grain_for(AdminFilters(hospital_id=1), by=By.DOCTOR) == Grain.DOCTOR
    assert grain_for(AdminFilters(doctor_id=1), by=By.HOSPITAL) == Grain.DOCTOR
    assert grain_for(AdminFilters(doctor_id=1, date_from=day)) == Grain.DAY_DOCTOR


# --- the table's pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["start_desc", "start_asc", "fee_desc"])
def test_deep_pages_start_at_their_day(
    db: Session, clinic: RandomClinic, monkeypatch: pytest.MonkeyPatch, sort: str
) -> None:
    """Pages far down a visit-date sort start from the day the counters place them on:
    the same rows as plain LIMIT/OFFSET, for every page and several filters."""
    monkeypatch.setattr(dashboard_table, "SEEK_FROM", 0)
    order = dashboard_table.sort_order(sort)
    for f in (
        AdminFilters(sort=sort),
        AdminFilters(sort=sort, doctor_id=clinic.moved.id),
        AdminFilters(sort=sort, city_id=clinic.cities[0].id, status=S.CONFIRMED),
        AdminFilters(sort=sort, date_from=clinic.today - timedelta(days=9)),
    ):
        ids = db.exec(select(Appointment.id).where(f.where()).order_by(*order)).all()
        pages = -(-len(ids) // 9) or 1
        for number in range(1, pages + 1):
            page = dashboard_table.list_appointments(
                db, filters=replace(f, page=number), now=clinic.now, page_size=9
            )
            assert page.total == len(ids) and page.pages == pages
            assert [r.id for r in page.items] == list(ids[(number - 1) * 9 : number * 9])


def test_the_counters_feed_the_table_total(
    db: Session, clinic: RandomClinic, recorded: Recorded
) -> None:
    """No COUNT over the appointments for the table's total, whatever the filters."""
    for filters in filter_cases(clinic).values():
        recorded.statements.clear()
        dashboard_table.list_appointments(db, filters=filters, now=clinic.now)
        assert [s for s in recorded.reading() if "count(" in s.lower()] == []
