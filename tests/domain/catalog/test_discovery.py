from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session

from healthcareplus.core.db import get_engine
from healthcareplus.core.errors import NotFound
from healthcareplus.core.models import City, Doctor, Hospital
from healthcareplus.domain.catalog.discovery import (
    CityCard,
    DoctorCard,
    DoctorFilters,
    DoctorProfile,
    HospitalCard,
    get_city,
    get_doctor_profile,
    get_hospital,
    list_cities,
    list_hospitals,
    list_specializations,
    search_doctors,
)
from healthcareplus.domain.catalog.search import MAX_PAGE
from healthcareplus.domain.catalog.specializations import DEPARTMENTS
from healthcareplus.domain.scheduling.availability import BADGE_FULL, calendar
from tests.factories import (
    IST,
    create_appointment,
    create_city,
    create_doctor,
    create_hospital,
    create_patient,
    create_time_off,
    local,
)

MONDAY = date(2026, 11, 23)
EARLIER = local(date(2026, 11, 20), "09:00")  # the Friday before, 09:00 IST


@dataclass
class World:
    bangalore: City
    mumbai: City
    udupi: City
    apollo: Hospital
    fortis: Hospital
    lilavati: Hospital
    rajesh: Doctor
    priya: Doctor
    anil: Doctor
    sunita: Doctor
    kavita: Doctor
    hidden: Doctor


def build_world(session: Session) -> World:
    """Three cities (one empty), three hospitals, five active doctors and one inactive.

    On MONDAY only Rajesh and Priya have a free slot: Anil has no schedule, Sunita is
    fully booked and Kavita is on leave.
    """
    bangalore = create_city(session, name="Bangalore", state="Karnataka")
    mumbai = create_city(session, name="Mumbai", state="Maharashtra")
    udupi = create_city(session, name="Udupi", state="Karnataka")
    apollo = create_hospital(
        session,
        city=bangalore,
        name="Apollo Bangalore",
        address="154 Bannerghatta Road",
        specialties=["Cardiologist", "Dermatologist"],
    )
    fortis = create_hospital(session, city=bangalore, name="Fortis Bangalore")
    lilavati = create_hospital(session, city=mumbai, name="Lilavati Hospital")
    rajesh = create_doctor(
        session,
        hospital=apollo,
        name="Dr. Rajesh Kumar",
        specialization="Cardiologist",
        experience_years=20,
        fee_paise=80_000,
        gender="Male",
        about="Interventional cardiology.",
    )
    priya = create_doctor(
        session,
        hospital=apollo,
        name="Dr. Priya Sharma",
        specialization="Dermatologist",
        experience_years=8,
        fee_paise=60_000,
        gender="Female",
    )
    anil = create_doctor(
        session,
        hospital=fortis,
        name="Dr. Anil Mehta",
        specialization="General Physician",
        experience_years=15,
        fee_paise=50_000,
        gender="Male",
        schedule=(),
    )
    sunita = create_doctor(
        session,
        hospital=lilavati,
        name="Dr. Sunita Rao",
        specialization="Cardiologist",
        experience_years=12,
        fee_paise=120_000,
        gender="Female",
        schedule=[(0, "09:00", "09:30", 15)],
    )
    kavita = create_doctor(
        session,
        hospital=lilavati,
        name="Dr. Kavita Iyer",
        specialization="Pediatrician",
        experience_years=15,
        fee_paise=70_000,
        gender="Female",
    )
    hidden = create_doctor(
        session,
        hospital=apollo,
        name="Dr. Hidden Cardio",
        specialization="Cardiologist",
        experience_years=30,
        fee_paise=10_000,
        is_active=False,
    )
    patient = create_patient(session)
    for hhmm in ("09:00", "09:15"):
        create_appointment(session, doctor=sunita, patient=patient, start_at=local(MONDAY, hhmm))
    create_time_off(
        session, doctor=kavita, start_at=local(MONDAY, "00:00"), end_at=local(MONDAY, "23:00")
    )
    return World(
        bangalore, mumbai, udupi, apollo, fortis, lilavati, rajesh, priya, anil, sunita, kavita,
        hidden,
    )  # fmt: skip


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def search(session, page_size: int = 12, **filters):
    return search_doctors(
        session, filters=DoctorFilters(**filters), page_size=page_size, now=EARLIER
    )


def names(page) -> list[str]:
    return [card.name.removeprefix("Dr. ").split()[0] for card in page.items]


# --- cities, hospitals, specializations --------------------------------------------------


def test_list_cities_counts_hospitals_and_active_doctors(session, world):
    cities = list_cities(session)
    assert cities == [
        CityCard(world.bangalore.id, "Bangalore", "Karnataka", 2, 3),
        CityCard(world.mumbai.id, "Mumbai", "Maharashtra", 1, 2),
        CityCard(world.udupi.id, "Udupi", "Karnataka", 0, 0),
    ]
    assert get_city(session, city_id=world.mumbai.id) == cities[1]
    with pytest.raises(NotFound):
        get_city(session, city_id=999_999)


def test_list_hospitals_with_counts_and_city_filter(session, world):
    hospitals = list_hospitals(session)
    assert [(h.name, h.city_name, h.doctor_count) for h in hospitals] == [
        ("Apollo Bangalore", "Bangalore", 2),  # the inactive doctor is not counted
        ("Fortis Bangalore", "Bangalore", 1),
        ("Lilavati Hospital", "Mumbai", 2),
    ]
    apollo = hospitals[0]
    assert apollo == HospitalCard(
        id=world.apollo.id,
        name="Apollo Bangalore",
        address="154 Bannerghatta Road",
        phone="080-1234567",
        city_id=world.bangalore.id,
        city_name="Bangalore",
        specialties=("Cardiologist", "Dermatologist"),
        doctor_count=2,
    )
    assert [h.name for h in list_hospitals(session, city_id=world.mumbai.id)] == [
        "Lilavati Hospital"
    ]
    assert list_hospitals(session, city_id=world.udupi.id) == []
    assert get_hospital(session, hospital_id=world.fortis.id).doctor_count == 1
    with pytest.raises(NotFound):
        get_hospital(session, hospital_id=999_999)


def test_list_specializations_includes_every_catalogue_entry(session, world):
    specs = list_specializations(session)
    assert [s.name for s in specs] == sorted(DEPARTMENTS, key=str.lower)
    by_name = {s.name: s for s in specs}
    assert by_name["Cardiologist"].doctor_count == 2  # Rajesh and Sunita; Hidden is inactive
    assert by_name["Cardiologist"].department == "Cardiology"
    assert by_name["Dermatologist"].doctor_count == 1
    assert by_name["Neurologist"].doctor_count == 0
    assert sum(s.doctor_count for s in specs) == 5


def test_list_specializations_on_empty_database(session):
    specs = list_specializations(session)
    assert len(specs) == len(DEPARTMENTS)
    assert all(s.doctor_count == 0 for s in specs)


# --- search: filters ---------------------------------------------------------------------


def test_no_filters_lists_active_doctors_by_relevance(session, world):
    page = search(session)
    # Experience descending, then name: Anil and Kavita both have 15 years.
    assert names(page) == ["Rajesh", "Anil", "Kavita", "Sunita", "Priya"]
    assert page.total == 5 and page.pages == 1 and page.page == 1
    assert not page.has_prev and not page.has_next
    assert (page.first_item, page.last_item) == (1, 5)


def test_cards_carry_display_fields(session, world):
    card = search(session, q="rajesh").items[0]
    assert card == DoctorCard(
        id=world.rajesh.id,
        name="Dr. Rajesh Kumar",
        initials="RK",
        specialization="Cardiologist",
        department="Cardiology",
        qualification="MBBS, MD",
        experience_years=20,
        fee_paise=80_000,
        fee_label="₹800",
        gender="Male",
        languages=("English", "Hindi"),
        hospital_id=world.apollo.id,
        hospital_name="Apollo Bangalore",
        city_id=world.bangalore.id,
        city_name="Bangalore",
        photo_url=None,
        rating_label="No reviews yet",
        rating_average=0.0,
        review_count=0,
    )


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("rajesh", ["Rajesh"]),
        ("RAJESH kumar", ["Rajesh"]),  # every word must match
        ("kumar rajesh", ["Rajesh"]),
        ("cardio", ["Rajesh", "Sunita"]),  # specialization and department
        ("DERMATOLOGY", ["Priya"]),  # department only
        ("general", ["Anil"]),
        ("sh", ["Rajesh", "Priya"]),  # substring of a name
        ("hidden", []),  # inactive doctors never show
        ("%", []),  # LIKE wildcards are literal
        ("_", []),
        ("   ", ["Rajesh", "Anil", "Kavita", "Sunita", "Priya"]),
    ],
)
def test_q_matches_name_specialization_and_department(session, world, q, expected):
    assert names(search(session, q=q)) == expected


def test_each_filter_alone(session, world):
    assert names(search(session, city_id=world.bangalore.id)) == ["Rajesh", "Anil", "Priya"]
    assert names(search(session, hospital_id=world.lilavati.id)) == ["Kavita", "Sunita"]
    assert names(search(session, specialization="Cardiologist")) == ["Rajesh", "Sunita"]
    assert names(search(session, specialization="cardiologist")) == ["Rajesh", "Sunita"]
    assert names(search(session, specializations=("Pediatrician", "Cardiologist"))) == [
        "Rajesh",
        "Kavita",
        "Sunita",
    ]
    assert names(search(session, gender="female")) == ["Kavita", "Sunita", "Priya"]
    assert names(search(session, gender="Male")) == ["Rajesh", "Anil"]
    assert names(search(session, min_experience=15)) == ["Rajesh", "Anil", "Kavita"]
    assert names(search(session, max_fee_rupees=700)) == ["Anil", "Kavita", "Priya"]
    assert names(search(session, max_fee_rupees=499)) == []
    assert names(search(session, available_on=MONDAY)) == ["Rajesh", "Priya"]
    assert names(search(session, city_id=world.udupi.id)) == []


def test_filters_combined(session, world):
    assert names(search(session, city_id=world.bangalore.id, gender="male")) == [
        "Rajesh",
        "Anil",
    ]
    assert names(
        search(session, city_id=world.bangalore.id, max_fee_rupees=700, min_experience=10)
    ) == ["Anil"]
    assert names(search(session, specialization="Cardiologist", city_id=world.mumbai.id)) == [
        "Sunita"
    ]
    assert names(search(session, q="cardio", available_on=MONDAY)) == ["Rajesh"]
    assert names(search(session, available_on=MONDAY, gender="female")) == ["Priya"]
    assert names(search(session, hospital_id=world.apollo.id, city_id=world.mumbai.id)) == []
    assert (
        names(search(session, specialization="Cardiologist", specializations=("Pediatrician",)))
        == []
    )


def test_available_on_a_day_nobody_works(session, world):
    sunday = MONDAY - timedelta(days=1)
    page = search(session, available_on=sunday)
    assert page.items == () and page.total == 0


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-30", "9999-12-29"])
def test_available_on_the_last_days_of_the_calendar_finds_nobody(session, world, day):
    """A typed URL (?date=9999-12-31): no error, no doctor."""
    filters = DoctorFilters.from_query({"date": day})
    assert filters.available_on is not None
    page = search_doctors(session, filters=filters, now=EARLIER)
    assert page.items == () and page.total == 0


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("relevance", ["Rajesh", "Anil", "Kavita", "Sunita", "Priya"]),
        ("experience", ["Rajesh", "Anil", "Kavita", "Sunita", "Priya"]),
        ("fee", ["Anil", "Priya", "Kavita", "Rajesh", "Sunita"]),
        ("fee_desc", ["Sunita", "Rajesh", "Kavita", "Priya", "Anil"]),
        ("name", ["Anil", "Kavita", "Priya", "Rajesh", "Sunita"]),
    ],
)
def test_sort_orders(session, world, sort, expected):
    assert names(search(session, sort=sort)) == expected


def test_equal_sort_keys_tie_break_by_id(session):
    hospital = create_hospital(session)
    twins = [
        create_doctor(session, hospital=hospital, name="Dr. Same Name", fee_paise=50_000)
        for _ in range(3)
    ]
    for sort in ("relevance", "fee", "fee_desc", "name"):
        page = search(session, sort=sort)
        assert [c.id for c in page.items] == sorted(d.id for d in twins)


# --- search: pagination ------------------------------------------------------------------


def test_pagination_boundaries(session, world):
    first = search(session, page_size=2)
    assert (names(first), first.total, first.pages, first.page) == (["Rajesh", "Anil"], 5, 3, 1)
    assert (first.has_prev, first.has_next) == (False, True)
    second = search(session, page_size=2, page=2)
    assert names(second) == ["Kavita", "Sunita"]
    assert (second.has_prev, second.has_next, second.first_item, second.last_item) == (
        True,
        True,
        3,
        4,
    )
    last = search(session, page_size=2, page=3)
    assert names(last) == ["Priya"]
    assert (last.has_prev, last.has_next, last.first_item, last.last_item) == (True, False, 5, 5)
    beyond = search(session, page_size=2, page=99)
    assert beyond.page == 3 and names(beyond) == ["Priya"]
    assert beyond.filters.page == 3
    exact = search(session, page_size=5)
    assert (exact.pages, exact.has_next) == (1, False)


def test_empty_result_page(session, world):
    page = search(session, q="nobody-by-this-name", page=4)
    assert (page.items, page.total, page.page, page.pages) == ((), 0, 1, 1)
    assert (page.has_prev, page.has_next, page.first_item, page.last_item) == (
        False,
        False,
        0,
        0,
    )


def test_search_runs_a_fixed_number_of_queries(session, world):
    statements: list[str] = []

    def before(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", before)
    try:
        search(session, page_size=2, city_id=world.bangalore.id)
        plain = len(statements)
        statements.clear()
        search(session, available_on=MONDAY)
        dated = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert plain == 2  # COUNT, then the page
    assert dated <= 6  # + candidate ids, schedules, time off, appointments


# --- URL filters -------------------------------------------------------------------------


def test_to_query_emits_only_non_defaults_and_round_trips():
    assert DoctorFilters().to_query() == {}
    assert DoctorFilters.from_query({}) == DoctorFilters()
    full = DoctorFilters(
        q="heart pain",
        city_id=3,
        hospital_id=7,
        specialization="Cardiologist",
        specializations=("Cardiologist", "Pulmonologist"),
        gender="Female",
        min_experience=0,
        max_fee_rupees=1500,
        available_on=date(2026, 11, 23),
        sort="fee",
        page=4,
    )
    query = full.to_query()
    assert query == {
        "q": "heart pain",
        "city": "3",
        "hospital": "7",
        "specialization": "Cardiologist",
        "specs": "Cardiologist,Pulmonologist",
        "gender": "Female",
        "min_exp": "0",
        "max_fee": "1500",
        "date": "2026-11-23",
        "sort": "fee",
        "page": "4",
    }
    assert DoctorFilters.from_query(query) == full
    for single in (
        DoctorFilters(q="x"),
        DoctorFilters(sort="name"),
        DoctorFilters(page=2),
        DoctorFilters(specializations=("Dentist",)),
    ):
        assert DoctorFilters.from_query(single.to_query()) == single


def test_from_query_ignores_bad_input():
    bad = {
        "city": "abc",
        "hospital": "-1",
        "specialization": "",
        "gender": "<script>",
        "min_exp": "999",
        "max_fee": "1e3",
        "date": "2026-02-30",
        "sort": "random()",
        "page": "zero",
    }
    assert DoctorFilters.from_query(bad) == DoctorFilters()
    assert DoctorFilters.from_query({"city": "0", "date": "23/11/2026"}) == DoctorFilters()
    assert DoctorFilters.from_query({"max_fee": "99999999999"}).max_fee_rupees is None


def test_from_query_normalises():
    f = DoctorFilters.from_query(
        {
            "q": "  heart   " + "x" * 300,
            "page": "0",
            "sort": "FEE",
            "specialization": " cardiologist ",
            "specs": "dentist,,Dentist, ENT specialist",
            "city": " 12 ",
        }
    )
    assert len(f.q) == 100 and f.q.startswith("heart x")
    assert f.page == 1
    assert f.sort == "fee"
    assert f.specialization == "Cardiologist"
    assert f.specializations == ("Dentist", "ENT Specialist")
    assert f.city_id == 12
    assert DoctorFilters.from_query({"page": "123456789"}).page == MAX_PAGE
    assert DoctorFilters.from_query({"page": "-3"}).page == 1
    assert DoctorFilters.from_query({"q": ["first", "second"]}).q == "first"
    assert DoctorFilters.from_query({"specialization": "Astrologer"}).specialization == (
        "Astrologer"
    )


def test_constructor_normalises_event_arguments():
    f = DoctorFilters(q="  a  b ", sort="drop table", page=-2, min_experience=-1)
    assert (f.q, f.sort, f.page, f.min_experience) == ("a b", "relevance", 1, None)
    assert f.with_page(3).page == 3


# --- profile -----------------------------------------------------------------------------


def test_doctor_profile(session, world):
    profile = get_doctor_profile(session, doctor_id=world.rajesh.id, now=EARLIER)
    assert isinstance(profile, DoctorProfile) and isinstance(profile, DoctorCard)
    assert (profile.name, profile.initials, profile.fee_label) == ("Dr. Rajesh Kumar", "RK", "₹800")
    assert profile.email == world.rajesh.email
    assert profile.about == "Interventional cardiology."
    assert (profile.hospital_name, profile.hospital_address) == (
        "Apollo Bangalore",
        "154 Bannerghatta Road",
    )
    assert (profile.city_name, profile.city_state) == ("Bangalore", "Karnataka")
    assert [d.hours_label for d in profile.weekly_schedule] == [
        *["09:00 AM – 01:00 PM"] * 5,
        "Closed",
        "Closed",
    ]
    # Friday 09:00 with 60 minutes' notice: the first bookable slot is 10:00 that day.
    assert len(profile.next_slots) == 6
    assert profile.next_slots[0].label == "10:00 AM"
    assert profile.next_slots[0].local_date == date(2026, 11, 20)
    assert all(s.state == "free" for s in profile.next_slots)


def test_doctor_profile_not_found(session, world):
    with pytest.raises(NotFound):
        get_doctor_profile(session, doctor_id=world.hidden.id, now=EARLIER)
    with pytest.raises(NotFound):
        get_doctor_profile(session, doctor_id=999_999, now=EARLIER)


# --- PostgreSQL --------------------------------------------------------------------------


@pytest.mark.postgres
def test_search_and_calendar_on_postgresql(pg_url):
    with Session(get_engine(pg_url), expire_on_commit=False) as session:
        world = build_world(session)
        assert names(search(session)) == ["Rajesh", "Anil", "Kavita", "Sunita", "Priya"]
        assert names(search(session, q="CARDIO", sort="fee_desc")) == ["Sunita", "Rajesh"]
        assert names(search(session, q="100%")) == []
        assert names(search(session, available_on=MONDAY)) == ["Rajesh", "Priya"]
        assert names(search(session, gender="female", page_size=1, page=9)) == ["Priya"]
        assert list_cities(session)[0] == CityCard(
            world.bangalore.id, "Bangalore", "Karnataka", 2, 3
        )
        assert [h.doctor_count for h in list_hospitals(session)] == [2, 1, 2]
        assert {s.name: s.doctor_count for s in list_specializations(session)}["Cardiologist"] == 2

        days = calendar(session, doctor_id=world.sunita.id, now=EARLIER, days=7, zone=IST)
        monday = next(d for d in days if d.date == MONDAY)
        assert (monday.total, monday.taken, monday.free, monday.badge) == (2, 2, 0, BADGE_FULL)
        profile = get_doctor_profile(session, doctor_id=world.rajesh.id, now=EARLIER)
        assert profile.next_slots[0].start_at == local(date(2026, 11, 20), "10:00")
