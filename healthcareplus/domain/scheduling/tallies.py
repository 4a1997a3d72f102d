"""Keeping the appointment counters (``AppointmentTally``) exact.

Every write that adds an appointment or changes what it is counted under (status,
payment status or method, start) tells :func:`count_change` what the appointment was and
what it became. The moves are gathered per session and written just before it commits,
in one statement whose rows are upserted in key order: the counters commit with the change
they count or not at all, and since every transaction takes its counter rows last and in
the same order, two transactions never deadlock on them.

:func:`rebuild` recounts everything from the appointments (after a bulk import, or if the
clinic's time zone changes); :func:`check` compares the counters with a full recount.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Date, cast, delete, event, func, literal, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, col

from healthcareplus.core.config import get_settings
from healthcareplus.core.dbtypes import UTCDateTime
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, AppointmentTally
from healthcareplus.core.tally_models import ALL_DAYS, EVERY, TALLY_KEY, Grain

_PENDING = "appointment_tallies.pending"
TallyKey = tuple[int, int, int, date, str, str, str]
Amounts = list[int]  # [bookings, fee_paise]
_FACT_NAMES = (
    "start_at",
    "doctor_id",
    "hospital_id",
    "status",
    "payment_status",
    "payment_method",
    "fee_paise",
)
# What an UPDATE returns so the change can be counted (``Counted.of`` reads these).
COUNTED_COLUMNS = tuple(
    getattr(Appointment.__table__.c, name)  # type: ignore[attr-defined]
    for name in _FACT_NAMES
)


class _Facts(Protocol):
    start_at: datetime
    doctor_id: int
    hospital_id: int
    status: str
    payment_status: str
    payment_method: str | None
    fee_paise: int


@dataclass(frozen=True)
class Counted:
    """What one appointment is counted under, and its fee."""

    start_at: datetime
    doctor_id: int
    hospital_id: int
    status: str
    payment_status: str
    payment_method: str
    fee_paise: int

    @classmethod
    def of(cls, row: _Facts | Mapping[str, Any]) -> Counted:
        """From an appointment, a returned row of ``COUNTED_COLUMNS`` or a values dict."""
        values: Mapping[str, Any] = row if isinstance(row, Mapping) else vars_of(row)

        def get(name: str) -> Any:
            return values.get(name)  # a new booking's values name no payment method

        return cls(
            start_at=get("start_at"),
            doctor_id=int(get("doctor_id")),
            hospital_id=int(get("hospital_id")),
            status=str(get("status")),
            payment_status=str(get("payment_status")),
            payment_method=get("payment_method") or "",
            fee_paise=int(get("fee_paise")),
        )

    def but(self, **changes: Any) -> Counted:
        """The same appointment with ``changes`` (e.g. its status before an UPDATE)."""
        return Counted(**{**self.__dict__, **changes})

    def tally_keys(self) -> list[TallyKey]:
        """The counter row of each grain this appointment is counted in."""
        kind = (self.status, self.payment_status, self.payment_method)
        return grain_keys(self.doctor_id, self.hospital_id, clinic_today(self.start_at), kind)


def vars_of(row: _Facts) -> dict[str, Any]:
    return {name: getattr(row, name) for name in _FACT_NAMES}


def grain_keys(
    doctor_id: int, hospital_id: int, day: date, kind: tuple[str, str, str]
) -> list[TallyKey]:
    """The counter rows, one per grain, of appointments of ``kind`` (status, payment
    status, method) with the doctor at the hospital on the clinic day."""
    d, h = doctor_id, hospital_id
    return [
        (Grain.DAY_DOCTOR, d, h, day, *kind),
        (Grain.DAY_HOSPITAL, EVERY, h, day, *kind),
        (Grain.DAY, EVERY, EVERY, day, *kind),
        (Grain.DOCTOR, d, h, ALL_DAYS, *kind),
        (Grain.HOSPITAL, EVERY, h, ALL_DAYS, *kind),
        (Grain.TOTAL, EVERY, EVERY, ALL_DAYS, *kind),
    ]


def count_change(session: Session, before: Counted | None, after: Counted | None) -> None:
    """Count an appointment that was ``before`` (None: new) as ``after`` (written at commit)."""
    if before == after:
        return
    pending: dict[TallyKey, Amounts] = session.info.setdefault(_PENDING, defaultdict(_zero))
    for sign, counted in ((-1, before), (1, after)):
        if counted is None:
            continue
        for key in counted.tally_keys():
            amounts = pending[key]
            amounts[0] += sign
            amounts[1] += sign * counted.fee_paise


def count_new(session: Session, values: Mapping[str, Any]) -> None:
    """Count a new appointment from the values it was inserted with."""
    count_change(session, None, Counted.of(values))


def count_updated(session: Session, rows: Iterable[Any], **before: Any) -> None:
    """Count appointments an UPDATE changed: ``rows`` returned ``COUNTED_COLUMNS`` (their
    new state); ``before`` the values the changed columns had (e.g. ``status=...``)."""
    for row in rows:
        after = Counted.of(row._mapping)
        count_change(session, after.but(**before), after)


def discard_pending(session: Session | OrmSession) -> None:
    """Forget the counted moves not yet written (their savepoint was rolled back); call
    ``write_pending`` before the savepoint so only its own moves are forgotten."""
    session.info.pop(_PENDING, None)


def _zero() -> Amounts:
    return [0, 0]


def write_pending(session: Session | OrmSession) -> None:
    """Upsert the counted moves of this session (called before every commit)."""
    pending: dict[TallyKey, Amounts] | None = session.info.pop(_PENDING, None)
    rows = (
        [
            {
                **dict(zip(TALLY_KEY, key, strict=True)),
                "grain": int(key[0]),
                "bookings": n,
                "fee_paise": fee,
            }
            for key, (n, fee) in sorted(pending.items())
            if n or fee
        ]
        if pending
        else []
    )
    if rows:  # one prepared upsert, run per row in key order (no two sessions deadlock)
        session.execute(_UPSERT[session.get_bind().dialect.name], rows)


def _upsert(insert: Any) -> Any:
    """Add a row's amounts to its key's counter (created at the first change)."""
    table = AppointmentTally.__table__  # type: ignore[attr-defined]
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(TALLY_KEY),
        set_={
            "bookings": table.c.bookings + statement.excluded.bookings,
            "fee_paise": table.c.fee_paise + statement.excluded.fee_paise,
        },
    )


_UPSERT = {"postgresql": _upsert(postgresql_insert), "sqlite": _upsert(sqlite_insert)}


@event.listens_for(OrmSession, "before_commit")
def _before_commit(session: OrmSession) -> None:
    write_pending(session)


@event.listens_for(OrmSession, "after_transaction_end")
def _after_transaction_end(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # rolled back (a commit has written them already)
        session.info.pop(_PENDING, None)


# --- rebuild and check ---------------------------------------------------------------------


def _clinic_day(session: Session) -> Any:
    """SQL: the clinic day of ``appointments.start_at``. PostgreSQL converts in the zone;
    SQLite (no zone database) calls the app's own conversion, registered on the connection."""
    zone = get_settings().clinic_zone
    start = col(Appointment.start_at)
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone(zone.key, start), Date)
    convert = UTCDateTime()
    dialect = session.get_bind().dialect

    def clinic_day(stored: str | None) -> str | None:
        instant = convert.process_result_value(
            datetime.fromisoformat(stored) if stored else None, dialect
        )
        return clinic_today(instant).isoformat() if instant else None

    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    raw.create_function("hcp_clinic_day", 1, clinic_day, deterministic=True)
    return func.hcp_clinic_day(start)


def _recounted(session: Session) -> Any:
    """The finest grain recounted from the appointments (a SELECT of ``TALLY_KEY`` and
    the two amounts)."""
    day = _clinic_day(session)
    method = func.coalesce(col(Appointment.payment_method), "")
    doctor, hospital = col(Appointment.doctor_id), col(Appointment.hospital_id)
    status, paid = col(Appointment.status), col(Appointment.payment_status)
    return select(
        literal(int(Grain.DAY_DOCTOR)),
        doctor,
        hospital,
        day,
        status,
        paid,
        method,
        func.count(),
        func.coalesce(func.sum(col(Appointment.fee_paise)), 0),
    ).group_by(doctor, hospital, day, status, paid, method)


def _coarser(grain: Grain) -> Any:
    """``grain``'s rows summed from the finest grain's (a SELECT like ``_recounted``)."""
    t = AppointmentTally
    keeps_doctor = grain in (Grain.DAY_DOCTOR, Grain.DOCTOR)
    keeps_hospital = grain not in (Grain.DAY, Grain.TOTAL)
    keeps_day = grain in (Grain.DAY_DOCTOR, Grain.DAY_HOSPITAL, Grain.DAY)
    doctor = col(t.doctor_id) if keeps_doctor else literal(EVERY)
    hospital = col(t.hospital_id) if keeps_hospital else literal(EVERY)
    day = col(t.day) if keeps_day else literal(ALL_DAYS, Date)
    kind = (col(t.status), col(t.payment_status), col(t.payment_method))
    grouped = [c for c, kept in ((doctor, keeps_doctor), (hospital, keeps_hospital)) if kept]
    return (
        select(
            literal(int(grain)),
            doctor,
            hospital,
            day,
            *kind,
            func.sum(col(t.bookings)),
            func.sum(col(t.fee_paise)),
        )
        .where(col(t.grain) == Grain.DAY_DOCTOR)
        .group_by(*grouped, *([day] if keeps_day else []), *kind)
    )


def rebuild(session: Session) -> int:
    """Recount every counter from the appointments and commit; returns the rows written."""
    written = recount(session)
    session.commit()
    return written


def recount(session: Session) -> int:
    """Replace every counter with a recount of the appointments (set-based), in the
    caller's transaction; returns the rows written."""
    session.info.pop(_PENDING, None)
    columns = [*TALLY_KEY, "bookings", "fee_paise"]
    table = AppointmentTally.__table__  # type: ignore[attr-defined]
    session.execute(delete(AppointmentTally))
    session.execute(table.insert().from_select(columns, _recounted(session)))
    for grain in Grain:
        if grain != Grain.DAY_DOCTOR:
            session.execute(table.insert().from_select(columns, _coarser(grain)))
    return int(session.execute(select(func.count()).select_from(AppointmentTally)).scalar_one())


@dataclass(frozen=True)
class TallyCheck:
    appointments: int
    rows: int  # counter rows with something counted
    differences: list[str]  # "grain 3, 2026-03-10, confirmed/Success/upi: 4 counted, 5 found"

    @property
    def ok(self) -> bool:
        return not self.differences


def check(session: Session, *, most: int = 20) -> TallyCheck:
    """Compare every counter row with a full recount of the appointments."""
    found: dict[TallyKey, Amounts] = defaultdict(_zero)
    appointments = 0
    for _, doctor, hospital, day, *kind, n, fee in session.execute(_recounted(session)):
        appointments += int(n)
        for key in grain_keys(doctor, hospital, _as_date(day), (kind[0], kind[1], kind[2])):
            found[key][0] += int(n)
            found[key][1] += int(fee)
    stored: dict[TallyKey, Amounts] = {}
    for r in session.execute(select(AppointmentTally)).scalars():
        key = (r.grain, r.doctor_id, r.hospital_id, _as_date(r.day), *_kind(r))
        if r.bookings or r.fee_paise:
            stored[key] = [int(r.bookings), int(r.fee_paise)]
    differences = [
        f"grain {key[0]}, doctor {key[1]}, hospital {key[2]}, {key[3]}, "
        f"{key[4]}/{key[5]}/{key[6] or '-'}: {stored.get(key, [0, 0])} counted, "
        f"{found.get(key, [0, 0])} found"
        for key in sorted(set(stored) | set(found))
        if stored.get(key, [0, 0]) != found.get(key, [0, 0])
    ]
    return TallyCheck(appointments=appointments, rows=len(stored), differences=differences[:most])


def _kind(row: AppointmentTally) -> tuple[str, str, str]:
    return row.status, row.payment_status, row.payment_method


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


__all__ = [
    "COUNTED_COLUMNS",
    "Counted",
    "TallyCheck",
    "check",
    "count_change",
    "count_new",
    "count_updated",
    "grain_keys",
    "rebuild",
    "recount",
    "write_pending",
]
