"""The admin filters as a read of the appointment counters (``AppointmentTally``).

Every dashboard figure sums counter rows instead of counting appointments. ``tally_where``
turns ``AdminFilters`` into the conditions on ``appointment_tallies`` that select exactly
one grain's rows for the matching appointments, choosing the smallest grain that answers
the filters (and what the figure groups by):

- a doctor filter, or a figure per doctor: DOCTOR, or DAY_DOCTOR with a date filter;
- else a hospital or city filter, or a figure per hospital: HOSPITAL, or DAY_HOSPITAL;
- else: TOTAL, or DAY with a date filter (and for the per-day chart).

A date filter reads ``day`` between the clinic dates (the counters' day is the clinic day
of the visit, as the filter's is); the status and payment filters are conditions on the
key columns of the same name; the city filter is the hospitals of the city. Rows may hold
0 (an appointment counted and moved on), so every figure is a sum and every list of groups
keeps the groups whose sum is not 0.

The conditions also spell out the key columns a grain pins (``doctor_id = 0`` on the
hospital grains, ...), so that the key's unique index (grain, doctor_id, hospital_id, day,
...) is read as one range. For the same reason, per-day doctor rows filtered by doctor or
place are read for the (doctor, hospital) pairs the all-time doctor rows list for those
filters: a 60-day view of one hospital then reads its doctors' 60 days, not every
doctor's.

The one figure the counters cannot give alone is the live holds: a hold that has lapsed
but is not swept to ``expired`` yet is still counted as pending. ``lapsed_holds`` counts
those from the appointments (a handful, found through the (status, start) index).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal_column, select
from sqlmodel import Session, col

from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AppointmentTally,
    PaymentStatus,
)
from healthcareplus.core.tally_models import EVERY, Grain
from healthcareplus.domain.admin.figures import FIGURES
from healthcareplus.domain.admin.filters import AdminFilters, hospitals_in
from healthcareplus.domain.scheduling import lifecycle

T = AppointmentTally
_S = AppointmentStatus
_P = PaymentStatus


class By(StrEnum):
    """What a figure is grouped by (the grain must keep it)."""

    NOTHING = ""
    HOSPITAL = "hospital"
    DOCTOR = "doctor"


_GRAINS = {
    # (by doctor, by hospital, per day) -> grain
    (True, True, True): Grain.DAY_DOCTOR,
    (True, True, False): Grain.DOCTOR,
    (False, True, True): Grain.DAY_HOSPITAL,
    (False, True, False): Grain.HOSPITAL,
    (False, False, True): Grain.DAY,
    (False, False, False): Grain.TOTAL,
}


def grain_for(filters: AdminFilters, *, by: By = By.NOTHING, per_day: bool = False) -> Grain:
    """The smallest grain that answers ``filters`` grouped ``by``, per day or not."""
    doctor = by == By.DOCTOR or filters.doctor_id is not None
    hospital = doctor or by == By.HOSPITAL or bool(filters.hospital_id or filters.city_id)
    daily = per_day or filters.date_from is not None or filters.date_to is not None
    return _GRAINS[(doctor, hospital, daily)]


def tally_where(
    filters: AdminFilters, *, by: By = By.NOTHING, per_day: bool = False
) -> list[ColumnElement[bool]]:
    """Conditions selecting the rows of one grain that count the appointments matching
    ``filters`` (every filter; the table's page and sort are not filters)."""
    grain = grain_for(filters, by=by, per_day=per_day)
    out: list[ColumnElement[bool]] = [col(T.grain) == int(grain)]
    # The key's leading columns the grain pins: so that its index reads one range. Not
    # per-day hospital rows of every hospital: (grain, day) reads their days, where
    # (grain, doctor_id) would read every day.
    place = bool(filters.hospital_id or filters.city_id)
    if grain in (Grain.HOSPITAL, Grain.DAY, Grain.TOTAL) or (grain == Grain.DAY_HOSPITAL and place):
        out.append(col(T.doctor_id) == EVERY)
    if grain in (Grain.DAY, Grain.TOTAL):
        out.append(col(T.hospital_id) == EVERY)
    out += _key_conditions(filters)
    if grain == Grain.DAY_DOCTOR:
        out += _doctor_hospital_pairs(filters)
    if filters.date_from:
        out.append(col(T.day) >= filters.date_from)
    if filters.date_to:
        out.append(col(T.day) <= filters.date_to)
    return out


def _key_conditions(filters: AdminFilters) -> list[ColumnElement[bool]]:
    """The doctor, place, status and payment filters as conditions on the key columns."""
    out: list[ColumnElement[bool]] = []
    if filters.doctor_id:
        out.append(col(T.doctor_id) == filters.doctor_id)
    out += _place(filters)
    if filters.status:
        out.append(col(T.status) == filters.status)
    if filters.payment_status:
        out.append(col(T.payment_status) == filters.payment_status)
    return out


def _place(filters: AdminFilters) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if filters.hospital_id:
        out.append(col(T.hospital_id) == filters.hospital_id)
    if filters.city_id:
        out.append(col(T.hospital_id).in_(hospitals_in(filters.city_id)))
    return out


def _doctor_hospital_pairs(filters: AdminFilters) -> list[ColumnElement[bool]]:
    """On the per-day doctor rows: the doctors and hospitals the filters leave, named from
    the all-time doctor rows, so the index is probed per (doctor, hospital) for the days.
    Nothing when no doctor or place is filtered (the (grain, day) index serves then)."""
    if not (filters.doctor_id or filters.hospital_id or filters.city_id):
        return []
    pairs = [col(T.grain) == int(Grain.DOCTOR)]
    if filters.doctor_id:
        pairs.append(col(T.doctor_id) == filters.doctor_id)
    pairs += _place(filters)
    out: list[ColumnElement[bool]] = []
    if not filters.doctor_id:
        out.append(col(T.doctor_id).in_(select(col(T.doctor_id)).where(*pairs).distinct()))
    if not (filters.hospital_id or filters.city_id):
        out.append(col(T.hospital_id).in_(select(col(T.hospital_id)).where(*pairs).distinct()))
    return out


def tally_day(value: date | str) -> date:
    """A counter row's ``day`` as read (SQLite may hand the ISO text back)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


# --- sums over counter rows ---------------------------------------------------------------------


def status_in(*statuses: str) -> ColumnElement[bool]:
    return col(T.status).in_(statuses)


def paid_as(*payment_statuses: str) -> ColumnElement[bool]:
    return col(T.payment_status).in_(payment_statuses)


def bookings_where(condition: ColumnElement[bool] | None = None) -> Any:
    """The appointments the grouped rows count (those matching ``condition``; 0 for none)."""
    counted = col(T.bookings) if condition is None else case((condition, col(T.bookings)), else_=0)
    return func.coalesce(func.sum(counted), 0)


def fees_where(condition: ColumnElement[bool]) -> Any:
    """The fees (paise) of the appointments the grouped rows count that match ``condition``."""
    return func.coalesce(func.sum(case((condition, col(T.fee_paise)), else_=0)), 0)


def revenue() -> Any:
    """Collected minus refunded: the fees of appointments paid and not refunded."""
    return fees_where(paid_as(_P.SUCCESS))


def collected() -> Any:
    """The fees of appointments that were paid (refunded since or not)."""
    return fees_where(paid_as(_P.SUCCESS, _P.REFUNDED))


def refunded() -> Any:
    return fees_where(paid_as(_P.REFUNDED))


def figure_sums() -> list[Any]:
    """The columns of ``BookingFigures`` per group (labelled by name), in order."""
    closing = (_S.CONFIRMED, _S.COMPLETED, _S.CANCELLED, _S.NO_SHOW)
    sums = [bookings_where(), *(bookings_where(status_in(s)) for s in closing), revenue()]
    return [s.label(name) for s, name in zip(sums, FIGURES, strict=True)]


def sums_per(
    key: Any,
    filters: AdminFilters,
    *,
    by: By,
    columns: Sequence[Any],
    name: str = "key",
    where: Sequence[ColumnElement[bool]] = (),
) -> Any:
    """A subquery: ``columns`` summed per ``key`` (labelled ``name``) over the rows
    counting the filtered appointments (and matching ``where``), groups whose bookings
    sum to 0 left out."""
    grouped = col(key)  # the bare column: the key index hands its rows over in key order
    return (
        select(grouped.label(name), *columns)
        .where(*tally_where(filters, by=by), *where)
        .group_by(grouped)
        .having(bookings_where() > 0)
        .subquery()
    )


@dataclass(frozen=True)
class Kinds:
    """The filtered appointments' bookings and fees per (status, payment status)."""

    sums: dict[tuple[str, str], tuple[int, int]]

    def bookings(self, statuses: Iterable[str] = (), paid: Iterable[str] = ()) -> int:
        """How many are in one of ``statuses`` and ``paid`` (either: any, when empty)."""
        return sum(n for n, _ in self._of(statuses, paid))

    def fees(self, statuses: Iterable[str] = (), paid: Iterable[str] = ()) -> int:
        return sum(fee for _, fee in self._of(statuses, paid))

    def _of(self, statuses: Iterable[str], paid: Iterable[str]) -> list[tuple[int, int]]:
        wanted, paying = set(statuses), set(paid)
        return [
            amounts
            for (status, payment), amounts in self.sums.items()
            if (not wanted or status in wanted) and (not paying or payment in paying)
        ]


def kinds(session: Session, filters: AdminFilters) -> Kinds:
    """One grouped sum of the counter rows of the filtered appointments (a few dozen
    groups at most: statuses times payment statuses)."""
    status, paid = col(T.status), col(T.payment_status)
    fees = func.coalesce(func.sum(col(T.fee_paise)), 0)
    rows = session.execute(
        select(status, paid, bookings_where(), fees)
        .where(*tally_where(filters))
        .group_by(status, paid)
    ).all()
    return Kinds({(str(s), str(p)): (int(n), int(fee)) for s, p, n, fee in rows})


# --- lapsed holds not swept yet -------------------------------------------------------------------


def unindexed(column: Any, *, text: bool = False) -> Any:
    """``column`` as an expression no index matches (``|| ''`` on text, ``+ 0`` on
    numbers): it keeps SQLite, which knows only average row counts per index, on the
    (status, start) index that finds the few pending holds, instead of, say, a doctor's
    whole history."""
    return col(column).op("||")(literal_column("''")) if text else col(column) + 0


def lapsed_hold_conditions(filters: AdminFilters, now: datetime) -> list[ColumnElement[bool]]:
    """Appointments the counters count as pending although their hold has lapsed at
    ``now`` (awaiting the expiry sweep), narrowed by ``filters``; [] when the filters
    exclude them anyway."""
    if filters.status not in ("", _S.PENDING_PAYMENT) or filters.payment_status not in (
        "",
        _P.PENDING,
    ):
        return []
    a = Appointment
    out = [
        lifecycle.HOLD_LAPSED.sql(now),
        unindexed(a.payment_status, text=True) == _P.PENDING.value,
    ]
    if filters.doctor_id:
        out.append(unindexed(a.doctor_id) == filters.doctor_id)
    if filters.hospital_id:
        out.append(unindexed(a.hospital_id) == filters.hospital_id)
    if filters.city_id:
        out.append(unindexed(a.hospital_id).in_(hospitals_in(filters.city_id)))
    start, end = filters.instant_range()
    if start:
        out.append(col(a.start_at) >= start)
    if end:
        out.append(col(a.start_at) < end)
    return out


def lapsed_holds(session: Session, *, filters: AdminFilters, now: datetime) -> int:
    """How many pending bookings matching ``filters`` still counted as awaiting payment
    have a hold that lapsed by ``now`` (0 without a query when the filters exclude them)."""
    conditions = lapsed_hold_conditions(filters, now)
    if not conditions:
        return 0
    return int(
        session.execute(
            select(func.count()).select_from(Appointment).where(and_(*conditions))
        ).scalar_one()
    )


__all__ = [
    "By",
    "Kinds",
    "bookings_where",
    "collected",
    "fees_where",
    "figure_sums",
    "grain_for",
    "kinds",
    "lapsed_hold_conditions",
    "lapsed_holds",
    "paid_as",
    "refunded",
    "revenue",
    "status_in",
    "sums_per",
    "tally_day",
    "tally_where",
    "unindexed",
]
