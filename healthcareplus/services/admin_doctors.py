"""The admin's doctor management: list, add (with a login and a default timetable), edit
the profile and the weekly schedule, deactivate and reactivate.

Deactivation is a flag: patient search, profiles and booking already filter on
``Doctor.is_active``, so an inactive doctor vanishes for patients at once. Appointments
already booked stay; the admin gets the future ones back to follow up with the patients.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from healthcareplus.formatting import (
    WEEKDAY_NAMES,
    format_local_date,
    format_local_time,
    format_rupees,
    utc,
)
from healthcareplus.models import (
    Appointment,
    AppointmentStatus,
    City,
    Doctor,
    DoctorSchedule,
    Hospital,
    Role,
    User,
)
from healthcareplus.services import validation as v
from healthcareplus.services.admin_accounts import (
    DUPLICATE_EMAIL,
    PAGE_SIZE,
    Paging,
    clean_int,
    email_in_use,
    generate_password,
    offset_of,
    paging,
    string_set,
)
from healthcareplus.services.errors import Conflict, NotFound, ValidationFailed
from healthcareplus.services.passwords import hash_password
from healthcareplus.services.payment_ledger import PROCESSING, audit_event
from healthcareplus.specializations import DEPARTMENTS

DOCTOR_GENDERS = ("Female", "Male", "Other")
STATUSES = ("all", "active", "inactive")
SLOT_LENGTHS = (10, 15, 20, 30)
DAY_START = time(6, 0)
DAY_END = time(23, 0)
MAX_BLOCKS_PER_DAY = 6
FEE_MIN_RUPEES, FEE_MAX_RUPEES = 100, 10_000
EXPERIENCE_MAX = 60
MAX_LANGUAGES = 10
FOLLOW_UP_LIMIT = 500
_MAX_TERMS = 8
_TITLE = re.compile(r"^dr(\.\s*|\s+)", re.IGNORECASE)
_HHMM = re.compile(r"^(\d{2}):(\d{2})(:00)?$")
_LANGUAGE = re.compile(r"^[^\W\d_]+([ \-][^\W\d_]+)*$")
# Mon–Sat 09:00–13:00 and 14:00–17:00 in 15-minute slots.
DEFAULT_SCHEDULE: tuple[tuple[int, str, str, int], ...] = tuple(
    block
    for day in range(6)
    for block in ((day, "09:00", "13:00", 15), (day, "14:00", "17:00", 15))
)


@dataclass(frozen=True)
class DoctorRow:
    id: int
    name: str
    specialization: str
    hospital_name: str
    city_name: str
    fee_label: str
    experience_years: int
    email: str
    phone: str
    is_active: bool


@dataclass(frozen=True)
class DoctorListPage:
    items: tuple[DoctorRow, ...]
    paging: Paging


@dataclass(frozen=True)
class DoctorDetail:
    id: int
    name: str
    specialization: str
    department: str
    qualification: str
    experience_years: int
    fee_rupees: int
    fee_label: str
    gender: str
    languages: tuple[str, ...]
    hospital_id: int
    hospital_name: str
    city_name: str
    email: str
    phone: str
    about: str
    is_active: bool
    login_email: str  # "" when the doctor has no login account


@dataclass(frozen=True)
class ScheduleBlock:
    weekday: int  # Monday = 0
    day_name: str
    start: str  # "09:00" (clinic time)
    end: str
    slot_minutes: int


@dataclass(frozen=True)
class BlockInput:
    """One block as the admin typed it; ``key`` names the row in error messages."""

    weekday: Any
    start: Any
    end: Any
    slot_minutes: Any
    key: str = ""


@dataclass(frozen=True)
class CreatedDoctor:
    doctor: DoctorDetail
    login_email: str
    one_time_password: str  # shown once to the admin; only its hash is stored


@dataclass(frozen=True)
class FollowUp:
    """A future booking of a deactivated doctor that someone should call about."""

    appointment_id: str
    patient_name: str
    patient_phone: str
    patient_email: str
    date_label: str
    time_label: str
    status: str


@dataclass(frozen=True)
class ActivationResult:
    doctor: DoctorDetail
    follow_ups: tuple[FollowUp, ...]
    follow_up_total: int


# --- reading ----------------------------------------------------------------------------


def _search_conditions(q: str, hospital_id: int | None, status: str) -> list[ColumnElement]:
    where: list[ColumnElement] = []
    for term in " ".join(str(q or "").split())[:100].lower().split()[:_MAX_TERMS]:
        where.append(
            or_(
                func.lower(Doctor.name).contains(term, autoescape=True),
                func.lower(Doctor.specialization).contains(term, autoescape=True),
            )
        )
    if hospital_id is not None:
        where.append(col(Doctor.hospital_id) == hospital_id)
    if status == "active":
        where.append(col(Doctor.is_active).is_(True))
    elif status == "inactive":
        where.append(col(Doctor.is_active).is_(False))
    return where


def list_doctors(
    session: Session,
    *,
    q: str = "",
    hospital_id: int | None = None,
    status: str = "all",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> DoctorListPage:
    """One page of doctors (active and inactive), by name; search covers name and
    specialization."""
    where = _search_conditions(q, hospital_id, status if status in STATUSES else "all")
    total = session.exec(select(func.count(col(Doctor.id))).where(*where)).one()
    p = paging(total, page, page_size)
    rows = session.exec(
        select(Doctor, Hospital.name, City.name)
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
        .where(*where)
        .order_by(func.lower(Doctor.name), col(Doctor.id))
        .limit(p.page_size)
        .offset(offset_of(p))
    ).all()
    items = tuple(
        DoctorRow(
            id=d.id or 0,
            name=d.name,
            specialization=d.specialization,
            hospital_name=hospital_name,
            city_name=city_name,
            fee_label=format_rupees(d.fee_paise),
            experience_years=d.experience_years,
            email=d.email,
            phone=d.phone,
            is_active=d.is_active,
        )
        for d, hospital_name, city_name in rows
    )
    return DoctorListPage(items=items, paging=p)


def _require(session: Session, doctor_id: int) -> Doctor:
    doctor = session.get(Doctor, doctor_id) if type(doctor_id) is int else None
    if doctor is None:
        raise NotFound("Doctor not found.")
    return doctor


def _detail(session: Session, doctor: Doctor) -> DoctorDetail:
    hospital = session.get(Hospital, doctor.hospital_id)
    city = session.get(City, hospital.city_id) if hospital else None
    login = session.get(User, doctor.user_id) if doctor.user_id else None
    return DoctorDetail(
        id=doctor.id or 0,
        name=doctor.name,
        specialization=doctor.specialization,
        department=doctor.department,
        qualification=doctor.qualification,
        experience_years=doctor.experience_years,
        fee_rupees=doctor.fee_paise // 100,
        fee_label=format_rupees(doctor.fee_paise),
        gender=doctor.gender,
        languages=tuple(doctor.languages or ()),
        hospital_id=doctor.hospital_id,
        hospital_name=hospital.name if hospital else "",
        city_name=city.name if city else "",
        email=doctor.email,
        phone=doctor.phone,
        about=doctor.about,
        is_active=doctor.is_active,
        login_email=login.email if login else "",
    )


def get_doctor(session: Session, *, doctor_id: int) -> DoctorDetail:
    return _detail(session, _require(session, doctor_id))


def get_schedule(session: Session, *, doctor_id: int) -> tuple[ScheduleBlock, ...]:
    _require(session, doctor_id)
    rows = session.exec(
        select(DoctorSchedule)
        .where(DoctorSchedule.doctor_id == doctor_id)
        .order_by(col(DoctorSchedule.weekday), col(DoctorSchedule.start_time))
    ).all()
    return tuple(
        ScheduleBlock(
            weekday=r.weekday,
            day_name=WEEKDAY_NAMES[r.weekday],
            start=r.start_time.strftime("%H:%M"),
            end=r.end_time.strftime("%H:%M"),
            slot_minutes=r.slot_minutes,
        )
        for r in rows
    )


def _future_where(doctor_id: int, now: datetime) -> list[ColumnElement]:
    hold = col(Appointment.hold_expires_at)
    live_pending = (col(Appointment.status) == AppointmentStatus.PENDING_PAYMENT.value) & or_(
        hold.is_(None), hold > now, col(Appointment.payment_status) == PROCESSING
    )
    return [
        col(Appointment.doctor_id) == doctor_id,
        col(Appointment.start_at) >= now,
        or_(col(Appointment.status) == AppointmentStatus.CONFIRMED.value, live_pending),
    ]


def future_appointments(
    session: Session, *, doctor_id: int, now: datetime, limit: int = FOLLOW_UP_LIMIT
) -> tuple[tuple[FollowUp, ...], int]:
    """The doctor's confirmed and held bookings from now on (soonest first), and their count."""
    now = utc(now)
    where = _future_where(doctor_id, now)
    total = session.exec(select(func.count(col(Appointment.id))).where(*where)).one()
    rows = session.exec(
        select(Appointment, User.name, User.phone, User.email)
        .join(User, col(User.id) == Appointment.patient_id)
        .where(*where)
        .order_by(col(Appointment.start_at), col(Appointment.id))
        .limit(min(max(limit, 0), FOLLOW_UP_LIMIT))
    ).all()
    items = tuple(
        FollowUp(
            appointment_id=a.id,
            patient_name=name,
            patient_phone=phone,
            patient_email=email,
            date_label=format_local_date(a.start_at),
            time_label=format_local_time(a.start_at),
            status=a.status,
        )
        for a, name, phone, email in rows
    )
    return items, total


# --- validation -------------------------------------------------------------------------


def clean_doctor_name(value: str) -> str:
    """A person's name with the "Dr." title in front (added when missing, never doubled)."""
    name = v.clean_name(value)
    bare = _TITLE.sub("", name).strip()
    if len(bare) < 2:
        raise v.FieldError("Enter the doctor's full name")
    full = f"Dr. {bare}"
    if len(full) > 120:
        raise v.FieldError("Name must be at most 120 characters")
    return full


def clean_languages(value: str | Sequence[str]) -> list[str]:
    languages: dict[str, str] = {}
    for item in string_set(value if isinstance(value, str | list | tuple) else ""):
        if len(item) > 30 or not _LANGUAGE.match(item):
            raise v.FieldError("List languages by name, separated by commas")
        languages.setdefault(item.lower(), item[0].upper() + item[1:])
    if not languages:
        raise v.FieldError("Enter at least one language")
    if len(languages) > MAX_LANGUAGES:
        raise v.FieldError(f"List at most {MAX_LANGUAGES} languages")
    return list(languages.values())


def _clean_required_text(value: str, *, max_length: int, label: str) -> str:
    text = v.clean_text(value if isinstance(value, str) else "", max_length=max_length, label=label)
    if len(text) < 2:
        raise v.FieldError(f"Enter the {label.lower()}")
    return text


def _clean_hospital(session: Session, hospital_id: Any) -> int:
    number = hospital_id if type(hospital_id) is int else None
    if isinstance(hospital_id, str) and hospital_id.strip().isdigit():
        number = int(hospital_id.strip()[:10])
    if number is None or not 0 < number < 2**31 or session.get(Hospital, number) is None:
        raise v.FieldError("Choose a hospital")
    return number


def _profile_fields(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    def text(key: str) -> str:
        value = values.get(key, "")
        return value if isinstance(value, str) else ""

    def specialization() -> str:
        chosen = v.clean_choice(text("specialization"), tuple(DEPARTMENTS), "specialization")
        if chosen is None:
            raise v.FieldError("Choose a specialization")
        return chosen

    def gender() -> str:
        chosen = v.clean_choice(text("gender"), DOCTOR_GENDERS, "gender")
        if chosen is None:
            raise v.FieldError("Choose a gender")
        return chosen

    return v.collect(
        {
            "name": lambda: clean_doctor_name(text("name")),
            "specialization": specialization,
            "qualification": lambda: _clean_required_text(
                text("qualification"), max_length=200, label="Qualification"
            ),
            "experience_years": lambda: clean_int(
                values.get("experience_years"), low=0, high=EXPERIENCE_MAX, label="experience"
            ),
            "fee_rupees": lambda: clean_int(
                values.get("fee_rupees"), low=FEE_MIN_RUPEES, high=FEE_MAX_RUPEES, label="fee"
            ),
            "gender": gender,
            "languages": lambda: clean_languages(values.get("languages", "")),
            "hospital_id": lambda: _clean_hospital(session, values.get("hospital_id")),
            "phone": lambda: v.clean_phone(text("phone")),
            "about": lambda: v.clean_text(text("about"), max_length=2000, label="About"),
        }
    )


def _parse_clock(value: Any) -> time | None:
    match = _HHMM.match(value.strip()) if isinstance(value, str) else None
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def clean_schedule(blocks: Sequence[BlockInput]) -> list[tuple[int, time, time, int]]:
    """Validated (weekday, start, end, slot minutes) blocks; ``ValidationFailed`` keyed by
    each bad block's ``key`` (or ``block-<index>``)."""
    errors: dict[str, str] = {}
    cleaned: list[tuple[str, int, time, time, int]] = []
    for index, block in enumerate(blocks):
        key = block.key or f"block-{index}"
        weekday, slot = block.weekday, block.slot_minutes
        if isinstance(slot, str) and slot.strip().isdigit():
            slot = int(slot.strip()[:3])
        start, end = _parse_clock(block.start), _parse_clock(block.end)
        if type(weekday) is not int or not 0 <= weekday <= 6:
            errors[key] = "Choose a day of the week"
        elif start is None or end is None:
            errors[key] = "Enter the start and end times as HH:MM"
        elif type(slot) is not int or slot not in SLOT_LENGTHS:
            errors[key] = "Choose a slot length of 10, 15, 20 or 30 minutes"
        elif end <= start:
            errors[key] = "The end time must be after the start time"
        elif start < DAY_START or end > DAY_END:
            errors[key] = "Working hours must lie between 06:00 and 23:00"
        elif _minutes(end) - _minutes(start) < slot:
            errors[key] = f"The block is shorter than one {slot}-minute slot"
        else:
            cleaned.append((key, weekday, start, end, slot))
    by_day: dict[int, list[tuple[str, int, time, time, int]]] = {}
    for item in cleaned:
        by_day.setdefault(item[1], []).append(item)
    for weekday, day_blocks in by_day.items():
        day_blocks.sort(key=lambda b: (b[2], b[3]))
        if len(day_blocks) > MAX_BLOCKS_PER_DAY:
            errors[day_blocks[-1][0]] = f"At most {MAX_BLOCKS_PER_DAY} blocks a day"
        for before, after in zip(day_blocks, day_blocks[1:], strict=False):
            if after[2] < before[3]:
                errors[after[0]] = (
                    f"Overlaps {before[2]:%H:%M}–{before[3]:%H:%M} on {WEEKDAY_NAMES[weekday]}"
                )
    if errors:
        raise ValidationFailed(errors)
    return sorted((w, s, e, m) for _, w, s, e, m in cleaned)


# --- writing ----------------------------------------------------------------------------


def _audit(
    session: Session,
    *,
    action: str,
    doctor_id: int,
    actor_id: int,
    actor_role: str,
    now: datetime,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    audit_event(
        session,
        action=action,
        appointment_id=None,
        actor_id=actor_id,
        actor_role=actor_role,
        now=now,
        reason=reason or None,
        entity="doctor",
        entity_id=str(doctor_id),
        detail=detail,
    )


def _schedule_rows(doctor_id: int, blocks: Sequence[tuple[int, time, time, int]]) -> list:
    return [
        DoctorSchedule(doctor_id=doctor_id, weekday=w, start_time=s, end_time=e, slot_minutes=m)
        for w, s, e, m in blocks
    ]


def create_doctor(
    session: Session,
    *,
    name: str,
    specialization: str,
    qualification: str,
    experience_years: Any,
    fee_rupees: Any,
    gender: str,
    languages: str | Sequence[str],
    hospital_id: Any,
    email: str,
    phone: str,
    about: str = "",
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> CreatedDoctor:
    """A doctor profile, its login (role doctor, generated one-time password) and the
    default weekly schedule, in one transaction."""
    now = utc(now)
    values = {
        "name": name,
        "specialization": specialization,
        "qualification": qualification,
        "experience_years": experience_years,
        "fee_rupees": fee_rupees,
        "gender": gender,
        "languages": languages,
        "hospital_id": hospital_id,
        "phone": phone,
        "about": about,
    }
    checks_failed: dict[str, str] = {}
    try:
        fields = _profile_fields(session, values)
    except ValidationFailed as exc:
        checks_failed, fields = dict(exc.fields), {}
    try:
        clean_email = v.clean_email(email if isinstance(email, str) else "")
        if email_in_use(session, clean_email):
            checks_failed["email"] = DUPLICATE_EMAIL
    except v.FieldError as exc:
        checks_failed["email"] = str(exc)
    if checks_failed:
        raise ValidationFailed(checks_failed)
    password = generate_password()
    user = User(
        role=Role.DOCTOR,
        name=fields["name"],
        email=clean_email,
        phone=fields["phone"],
        password_hash=hash_password(password),
        created_at=now,
    )
    doctor = Doctor(
        name=fields["name"],
        specialization=fields["specialization"],
        department=DEPARTMENTS[fields["specialization"]],
        qualification=fields["qualification"],
        experience_years=fields["experience_years"],
        fee_paise=fields["fee_rupees"] * 100,
        gender=fields["gender"],
        languages=fields["languages"],
        hospital_id=fields["hospital_id"],
        email=clean_email,
        phone=fields["phone"],
        about=fields["about"],
        is_active=True,
    )
    try:
        session.add(user)
        session.flush()
        doctor.user_id = user.id
        session.add(doctor)
        session.flush()
        assert doctor.id is not None
        default = [
            (w, time.fromisoformat(s), time.fromisoformat(e), m) for w, s, e, m in DEFAULT_SCHEDULE
        ]
        session.add_all(_schedule_rows(doctor.id, default))
        _audit(
            session,
            action="doctor_created",
            doctor_id=doctor.id,
            actor_id=actor_id,
            actor_role=actor_role,
            now=now,
            detail={"name": doctor.name, "email": clean_email, "hospital_id": doctor.hospital_id},
        )
        session.commit()
    except IntegrityError as exc:  # a concurrent registration took the email
        session.rollback()
        raise ValidationFailed({"email": DUPLICATE_EMAIL}) from exc
    return CreatedDoctor(
        doctor=_detail(session, doctor), login_email=clean_email, one_time_password=password
    )


_EDITABLE = (
    "name",
    "specialization",
    "qualification",
    "experience_years",
    "fee_paise",
    "gender",
    "languages",
    "hospital_id",
    "phone",
    "about",
)


def update_doctor(
    session: Session,
    *,
    doctor_id: int,
    name: str,
    specialization: str,
    qualification: str,
    experience_years: Any,
    fee_rupees: Any,
    gender: str,
    languages: str | Sequence[str],
    hospital_id: Any,
    phone: str,
    about: str = "",
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> DoctorDetail:
    """Edit the profile, fee and hospital; the linked login keeps the same name and phone.
    Appointments already booked keep their fee and hospital."""
    now = utc(now)
    doctor = _require(session, doctor_id)
    values = {
        "name": name,
        "specialization": specialization,
        "qualification": qualification,
        "experience_years": experience_years,
        "fee_rupees": fee_rupees,
        "gender": gender,
        "languages": languages,
        "hospital_id": hospital_id,
        "phone": phone,
        "about": about,
    }
    fields = _profile_fields(session, values)
    fields["fee_paise"] = fields.pop("fee_rupees") * 100
    fields["department"] = DEPARTMENTS[fields["specialization"]]
    changes = {
        key: {"from": getattr(doctor, key), "to": fields[key]}
        for key in _EDITABLE
        if getattr(doctor, key) != fields[key]
    }
    for key, value in fields.items():
        setattr(doctor, key, value)
    session.add(doctor)
    login = session.get(User, doctor.user_id) if doctor.user_id else None
    if login is not None:
        login.name, login.phone, login.updated_at = doctor.name, doctor.phone, now
        session.add(login)
    if changes:
        _audit(
            session,
            action="doctor_updated",
            doctor_id=doctor_id,
            actor_id=actor_id,
            actor_role=actor_role,
            now=now,
            detail={"changes": changes},
        )
    session.commit()
    return _detail(session, doctor)


def set_schedule(
    session: Session,
    *,
    doctor_id: int,
    blocks: Sequence[BlockInput],
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> tuple[ScheduleBlock, ...]:
    """Replace the weekly schedule. Booked appointments stay; only new slots follow it."""
    now = utc(now)
    _require(session, doctor_id)
    cleaned = clean_schedule(blocks)
    before = [
        f"{b.weekday} {b.start}-{b.end}/{b.slot_minutes}"
        for b in get_schedule(session, doctor_id=doctor_id)
    ]
    session.exec(delete(DoctorSchedule).where(col(DoctorSchedule.doctor_id) == doctor_id))
    session.add_all(_schedule_rows(doctor_id, cleaned))
    after = [f"{w} {s:%H:%M}-{e:%H:%M}/{m}" for w, s, e, m in cleaned]
    _audit(
        session,
        action="doctor_schedule_updated",
        doctor_id=doctor_id,
        actor_id=actor_id,
        actor_role=actor_role,
        now=now,
        detail={"before": before, "after": after},
    )
    session.commit()
    return get_schedule(session, doctor_id=doctor_id)


def set_active(
    session: Session,
    *,
    doctor_id: int,
    active: bool,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    reason: str = "",
    now: datetime,
) -> ActivationResult:
    """Deactivate (hidden from patients, not bookable) or reactivate a doctor. Deactivating
    returns the future confirmed and held bookings so the clinic can call the patients."""
    now = utc(now)
    if type(active) is not bool:
        raise ValidationFailed({"active": "Say whether the doctor should be active"})
    doctor = _require(session, doctor_id)
    note = v.collect(
        {
            "reason": lambda: v.clean_text(
                reason if isinstance(reason, str) else "", max_length=500, label="Reason"
            )
        }
    )["reason"]
    if doctor.is_active == active:
        state = "active" if active else "inactive"
        raise Conflict(f"{doctor.name} is already {state}.")
    doctor.is_active = active
    session.add(doctor)
    follow_ups, total = (
        ((), 0) if active else future_appointments(session, doctor_id=doctor_id, now=now)
    )
    _audit(
        session,
        action="doctor_reactivated" if active else "doctor_deactivated",
        doctor_id=doctor_id,
        actor_id=actor_id,
        actor_role=actor_role,
        now=now,
        reason=note,
        detail={} if active else {"future_appointments": total},
    )
    session.commit()
    return ActivationResult(
        doctor=_detail(session, doctor), follow_ups=follow_ups, follow_up_total=total
    )


__all__ = [
    "DEFAULT_SCHEDULE",
    "DOCTOR_GENDERS",
    "SLOT_LENGTHS",
    "STATUSES",
    "ActivationResult",
    "BlockInput",
    "CreatedDoctor",
    "DoctorDetail",
    "DoctorListPage",
    "DoctorRow",
    "FollowUp",
    "ScheduleBlock",
    "clean_doctor_name",
    "clean_languages",
    "clean_schedule",
    "create_doctor",
    "future_appointments",
    "get_doctor",
    "get_schedule",
    "list_doctors",
    "set_active",
    "set_schedule",
    "update_doctor",
]
