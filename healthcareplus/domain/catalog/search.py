"""Doctor search: URL-safe filters and one paginated, SQL-side query.

Filtering, sorting, counting and paging all happen in the database; only the rows of the
requested page are loaded. The "available on a date" filter asks the availability service
for the candidate ids (a fixed number of queries) and narrows the SQL with ``IN``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from healthcareplus.core.formatting import format_rupees, initials
from healthcareplus.core.models import City, Doctor, Hospital
from healthcareplus.core.paging import Paging, fetch_page
from healthcareplus.core.review_models import DoctorRating
from healthcareplus.core.search_text import contains_any, search_terms
from healthcareplus.domain.catalog.reviews import RatingSummary, summary
from healthcareplus.domain.catalog.specializations import SPECIALIZATIONS
from healthcareplus.domain.scheduling.availability import available_doctor_ids

SORTS = ("relevance", "experience", "fee", "fee_desc", "name", "rating")
DEFAULT_SORT = "relevance"
MAX_PAGE = 10_000
MAX_Q = 100
MAX_PAGE_SIZE = 100
_MAX_TERMS = 8
_MAX_FEE_RUPEES = 10_000_000
_BY_LOWER = {name.lower(): name for name in SPECIALIZATIONS}
_INT = re.compile(r"\d{1,9}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_GENDER = re.compile(r"[A-Za-z][A-Za-z \-]{0,15}")


def canonical_specialization(name: str) -> str:
    """The catalogue spelling of a specialization, matched case-insensitively."""
    text = " ".join(name.replace(",", " ").split())[:60]
    return _BY_LOWER.get(text.lower(), text)


@dataclass(frozen=True)
class DoctorFilters:
    """What the doctor search page filters by; every field optional.

    Values are normalised on construction (trimmed text, catalogue spelling of
    specializations, an unknown sort falls back to relevance, page clamped), so filters
    built from event arguments are as safe as those parsed from a URL.
    """

    q: str = ""
    city_id: int | None = None
    hospital_id: int | None = None
    specialization: str = ""
    specializations: tuple[str, ...] = ()  # any of them (symptom checker)
    gender: str = ""
    min_experience: int | None = None
    max_fee_rupees: int | None = None
    available_on: date | None = None
    sort: str = DEFAULT_SORT
    page: int = 1

    def __post_init__(self) -> None:
        def put(name: str, value: Any) -> None:
            object.__setattr__(self, name, value)

        put("q", " ".join(self.q.split())[:MAX_Q].strip())
        put("specialization", canonical_specialization(self.specialization))
        specs = dict.fromkeys(canonical_specialization(s) for s in self.specializations)
        put("specializations", tuple(s for s in specs if s))
        put("gender", self.gender.strip()[:16])
        if self.sort not in SORTS:
            put("sort", DEFAULT_SORT)
        put("page", min(max(self.page, 1), MAX_PAGE))
        if self.min_experience is not None and self.min_experience < 0:
            put("min_experience", None)
        if self.max_fee_rupees is not None and self.max_fee_rupees < 0:
            put("max_fee_rupees", None)

    @classmethod
    def from_query(cls, params: Mapping[str, Any]) -> DoctorFilters:
        """Parse URL query parameters; malformed values are ignored, never raised."""

        def text(key: str) -> str:
            value = params.get(key)
            if isinstance(value, list | tuple):
                value = value[0] if value else None
            return value.strip() if isinstance(value, str) else ""

        def number(key: str, low: int, high: int) -> int | None:
            raw = text(key)
            if not _INT.fullmatch(raw):
                return None
            value = int(raw)
            return value if low <= value <= high else None

        day: date | None = None
        if _ISO_DATE.fullmatch(text("date")):
            try:
                day = date.fromisoformat(text("date"))
            except ValueError:
                day = None
        raw_page = text("page")
        page = int(raw_page) if _INT.fullmatch(raw_page) else 1
        sort = text("sort").lower()
        gender = text("gender")
        return cls(
            q=text("q")[: MAX_Q * 4],
            city_id=number("city", 1, 2**31 - 1),
            hospital_id=number("hospital", 1, 2**31 - 1),
            specialization=text("specialization"),
            specializations=tuple(text("specs").split(",")),
            gender=gender if _GENDER.fullmatch(gender) else "",
            min_experience=number("min_exp", 0, 70),
            max_fee_rupees=number("max_fee", 0, _MAX_FEE_RUPEES),
            available_on=day,
            sort=sort if sort in SORTS else DEFAULT_SORT,
            page=page,
        )

    def to_query(self) -> dict[str, str]:
        """Only the non-default values, so links stay short and round-trip."""
        out: dict[str, str] = {}
        pairs: list[tuple[str, object]] = [
            ("q", self.q or None),
            ("city", self.city_id),
            ("hospital", self.hospital_id),
            ("specialization", self.specialization or None),
            ("specs", ",".join(self.specializations) or None),
            ("gender", self.gender or None),
            ("min_exp", self.min_experience),
            ("max_fee", self.max_fee_rupees),
            ("date", self.available_on.isoformat() if self.available_on else None),
            ("sort", self.sort if self.sort != DEFAULT_SORT else None),
            ("page", self.page if self.page != 1 else None),
        ]
        for key, value in pairs:
            if value is not None:
                out[key] = str(value)
        return out

    def with_page(self, page: int) -> DoctorFilters:
        return replace(self, page=page)


@dataclass(frozen=True)
class DoctorCard:
    id: int
    name: str
    initials: str
    specialization: str
    department: str
    qualification: str
    experience_years: int
    fee_paise: int
    fee_label: str
    gender: str
    languages: tuple[str, ...]
    hospital_id: int
    hospital_name: str
    city_id: int
    city_name: str
    photo_url: str | None
    rating_label: str  # "4.6 ★ (23 reviews)" or "No reviews yet"
    rating_average: float
    review_count: int


@dataclass(frozen=True)
class DoctorPage(Paging):
    """One page of the search: where it sits, its doctors and the filters that found them."""

    items: tuple[DoctorCard, ...]
    filters: DoctorFilters = field(default_factory=DoctorFilters)


def card_fields(
    doctor: Doctor, hospital: Hospital, city: City, rating: RatingSummary | None = None
) -> dict[str, Any]:
    """The ``DoctorCard`` fields of a doctor row (shared with the profile) and its rating
    (``reviews.ratings_for``; None: no reviews)."""
    assert doctor.id is not None and hospital.id is not None and city.id is not None
    rating = rating or summary(0, 0)
    return {
        "id": doctor.id,
        "name": doctor.name,
        "initials": initials(doctor.name),
        "specialization": doctor.specialization,
        "department": doctor.department,
        "qualification": doctor.qualification,
        "experience_years": doctor.experience_years,
        "fee_paise": doctor.fee_paise,
        "fee_label": format_rupees(doctor.fee_paise),
        "gender": doctor.gender,
        "languages": tuple(doctor.languages or ()),
        "hospital_id": hospital.id,
        "hospital_name": hospital.name,
        "city_id": city.id,
        "city_name": city.name,
        "photo_url": doctor.photo_url,
        "rating_label": rating.label,
        "rating_average": rating.average,
        "review_count": rating.count,
    }


def _conditions(filters: DoctorFilters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [col(Doctor.is_active).is_(True)]
    for term in search_terms(filters.q, max_terms=_MAX_TERMS):
        where.append(contains_any(term, Doctor.name, Doctor.specialization, Doctor.department))
    if filters.city_id is not None:
        where.append(col(Hospital.city_id) == filters.city_id)
    if filters.hospital_id is not None:
        where.append(col(Doctor.hospital_id) == filters.hospital_id)
    if filters.specialization:
        where.append(col(Doctor.specialization) == filters.specialization)
    if filters.specializations:
        where.append(col(Doctor.specialization).in_(filters.specializations))
    if filters.gender:
        where.append(func.lower(Doctor.gender) == filters.gender.lower())
    if filters.min_experience is not None:
        where.append(col(Doctor.experience_years) >= filters.min_experience)
    if filters.max_fee_rupees is not None:
        where.append(col(Doctor.fee_paise) <= filters.max_fee_rupees * 100)
    return where


# The doctor's rating rank, one primary-key lookup per doctor (indexed by doctor_id).
_RANK = (
    select(DoctorRating.rank)
    .where(col(DoctorRating.doctor_id) == Doctor.id)
    .correlate(Doctor)
    .scalar_subquery()
)


def _order(sort: str) -> list[Any]:
    name = func.lower(Doctor.name)
    experience = col(Doctor.experience_years).desc()
    if sort == "fee":
        keys = [col(Doctor.fee_paise).asc(), experience, name]
    elif sort == "fee_desc":
        keys = [col(Doctor.fee_paise).desc(), experience, name]
    elif sort == "name":
        keys = [name]
    elif sort == "rating":  # highest average first, ties by count (both in ``rank``)
        keys = [func.coalesce(_RANK, 0).desc(), experience, name]
    else:  # relevance, experience
        keys = [experience, name]
    return [*keys, col(Doctor.id).asc()]


def _rating(row: DoctorRating | None) -> RatingSummary:
    return summary(row.review_count, row.rating_total) if row else summary(0, 0)


def search_doctors(
    session: Session, *, filters: DoctorFilters, page_size: int = 12, now: datetime
) -> DoctorPage:
    """One page of active doctors matching ``filters``; a page past the end gives the last."""
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    where = _conditions(filters)
    if filters.available_on is not None:
        ids = session.exec(
            select(Doctor.id).join(Hospital, col(Hospital.id) == Doctor.hospital_id).where(*where)
        ).all()
        free = available_doctor_ids(
            session, day=filters.available_on, now=now, doctor_ids=[i for i in ids if i]
        )
        where.append(col(Doctor.id).in_(sorted(free)))

    rows, p = fetch_page(
        session,
        select(Doctor, Hospital, City, DoctorRating)
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
        .outerjoin(DoctorRating, col(DoctorRating.doctor_id) == Doctor.id)
        .where(*where)
        .order_by(*_order(filters.sort)),
        count=select(func.count(col(Doctor.id)))
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .where(*where),
        page=filters.page,
        page_size=page_size,
    )
    items = tuple(DoctorCard(**card_fields(d, h, c, _rating(r))) for d, h, c, r in rows)
    return DoctorPage(**asdict(p), items=items, filters=filters.with_page(p.page))


__all__ = [
    "SORTS",
    "DoctorCard",
    "DoctorFilters",
    "DoctorPage",
    "canonical_specialization",
    "card_fields",
    "search_doctors",
]
