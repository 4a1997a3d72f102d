"""Cities and hospitals: counts in SQL, add and edit, uniqueness, validation, audit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core.errors import NotFound, ValidationFailed
from healthcareplus.core.models import AuditEvent, City, Hospital, Role, User
from healthcareplus.domain.admin import location_edits as edits
from healthcareplus.domain.admin import locations as al
from healthcareplus.domain.catalog import discovery
from tests.factories import create_city, create_doctor, create_hospital, create_user, local

NOW = local(date(2030, 1, 7), "06:00")


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN)


def audit(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_cities_list_counts_hospitals_and_doctors(session: Session) -> None:
    bangalore = create_city(session, name="Bangalore")
    create_city(session, name="agra", state="Uttar Pradesh")
    apollo = create_hospital(session, city=bangalore, name="Apollo")
    create_hospital(session, city=bangalore, name="Empty")
    create_doctor(session, hospital=apollo)
    create_doctor(session, hospital=apollo, is_active=False)

    listing = al.list_cities(session)
    rows = {r.name: r for r in listing.items}
    assert [r.name for r in listing.items] == ["agra", "Bangalore"]
    assert [c.name for c in al.city_choices(session)] == ["agra", "Bangalore"]
    b = rows["Bangalore"]
    assert (b.hospital_count, b.doctor_count, b.active_doctor_count) == (2, 2, 1)
    a = rows["agra"]
    assert (a.hospital_count, a.doctor_count, a.active_doctor_count, a.state) == (
        0,
        0,
        0,
        "Uttar Pradesh",
    )


def test_cities_are_paged_in_sql(session: Session) -> None:
    for n in range(22):
        create_city(session, name=f"Town {n:02d}", commit=False)
    session.commit()
    first = al.list_cities(session)
    assert (first.paging.total, first.paging.pages, len(first.items)) == (22, 2, 20)
    assert [c.name for c in al.list_cities(session, page=2).items] == ["Town 20", "Town 21"]
    assert len(al.city_choices(session)) == 22


def test_hospitals_list_pages_and_filters_by_city(session: Session) -> None:
    north, south = create_city(session, name="North"), create_city(session, name="South")
    for n in range(21):
        create_hospital(session, city=north, name=f"N{n:02d}", commit=False)
    create_hospital(session, city=south, name="S1", specialties=("Cardiologist", "Dentist"))
    session.commit()

    first = al.list_hospitals(session)
    assert (first.paging.total, first.paging.pages, len(first.items)) == (22, 2, 20)
    assert al.list_hospitals(session, page=2).items[-1].name == "S1"
    [only] = al.list_hospitals(session, city_id=south.id).items
    assert (only.city_name, only.specialties, only.doctor_count) == (
        "South",
        ("Cardiologist", "Dentist"),
        0,
    )
    labels = [c.label for c in al.hospital_choices(session)]
    assert labels[0] == "N00 · North" and labels[-1] == "S1 · South"


def test_add_and_edit_a_city(session: Session, admin: User) -> None:
    city = edits.save_city(session, name="  Mysuru ", state="Karnataka", actor_id=admin.id, now=NOW)
    assert (city.name, city.state, city.hospital_count) == ("Mysuru", "Karnataka", 0)
    edited = edits.save_city(
        session, city_id=city.id, name="Mysore", state="Karnataka", actor_id=admin.id, now=NOW
    )
    assert session.get(City, city.id).name == "Mysore" and edited.id == city.id
    [created] = audit(session, "city_created")
    [updated] = audit(session, "city_updated")
    assert (created.entity, created.entity_id) == ("city", str(city.id))
    assert updated.detail["before"] == {"name": "Mysuru", "state": "Karnataka"}
    # Renaming a city to its own name (any case) is fine.
    edits.save_city(
        session, city_id=city.id, name="MYSORE", state="Karnataka", actor_id=admin.id, now=NOW
    )


def test_city_names_are_unique_and_validated(session: Session, admin: User) -> None:
    create_city(session, name="Udupi")
    other = create_city(session, name="Pune")
    with pytest.raises(ValidationFailed) as caught:
        edits.save_city(session, name="UDUPI", state="Karnataka", actor_id=admin.id, now=NOW)
    assert caught.value.fields == {"name": edits.DUPLICATE_CITY}
    with pytest.raises(ValidationFailed) as caught:
        edits.save_city(
            session, city_id=other.id, name="udupi", state="Maharashtra", actor_id=admin.id, now=NOW
        )
    assert caught.value.fields == {"name": edits.DUPLICATE_CITY}
    with pytest.raises(ValidationFailed) as caught:
        edits.save_city(session, name="X", state="<script>", actor_id=admin.id, now=NOW)
    assert set(caught.value.fields) == {"name", "state"}
    with pytest.raises(NotFound):
        edits.save_city(session, city_id=10**6, name="Goa", state="Goa", actor_id=admin.id, now=NOW)
    session.rollback()
    assert sorted(session.exec(select(City.name)).all()) == ["Pune", "Udupi"]
    assert audit(session, "city_created") == []


def hospital_form(city_id: Any, /, **overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "city_id": str(city_id),
        "name": "Sunrise Hospital",
        "address": "12 Residency Road, Bengaluru 560025",
        "phone": "080-2630 2630",
        "specialties": "Dentist, Cardiologist, Dentist",
    }
    form.update(overrides)
    return form


def test_add_and_edit_a_hospital(session: Session, admin: User) -> None:
    city = create_city(session, name="Bangalore")
    other = create_city(session, name="Udupi")
    row = edits.save_hospital(session, **hospital_form(city.id), actor_id=admin.id, now=NOW)
    assert (row.name, row.city_name, row.phone) == (
        "Sunrise Hospital",
        "Bangalore",
        "080-2630 2630",
    )
    assert row.specialties == ("Cardiologist", "Dentist")  # catalogue order, no repeats
    create_doctor(session, hospital=session.get(Hospital, row.id))

    moved = edits.save_hospital(
        session,
        hospital_id=row.id,
        **hospital_form(other.id, specialties=["General Physician"], phone=""),
        actor_id=admin.id,
        now=NOW,
    )
    assert (moved.city_name, moved.specialties, moved.phone, moved.doctor_count) == (
        "Udupi",
        ("General Physician",),
        "",
        1,
    )
    [event] = audit(session, "hospital_updated")
    assert set(event.detail["changes"]) == {"city_id", "phone", "specialties"}
    assert event.entity_id == str(row.id)
    assert len(audit(session, "hospital_created")) == 1
    # Patients see the hospital under its new city.
    assert [h.name for h in discovery.list_hospitals(session, city_id=other.id)] == [
        "Sunrise Hospital"
    ]


def test_hospital_names_are_unique_within_a_city(session: Session, admin: User) -> None:
    city, other = create_city(session), create_city(session)
    create_hospital(session, city=city, name="Sunrise Hospital")
    with pytest.raises(ValidationFailed) as caught:
        edits.save_hospital(
            session, **hospital_form(city.id, name="sunrise hospital"), actor_id=admin.id, now=NOW
        )
    assert caught.value.fields == {"name": edits.DUPLICATE_HOSPITAL}
    # The same name in another city is fine.
    edits.save_hospital(session, **hospital_form(other.id), actor_id=admin.id, now=NOW)


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"city_id": "999999"}, {"city_id"}),
        ({"city_id": None}, {"city_id"}),
        ({"name": "", "address": "x"}, {"name", "address"}),
        ({"phone": "call me"}, {"phone"}),
        ({"specialties": ""}, {"specialties"}),
        ({"specialties": "Astrologer"}, {"specialties"}),
        ({"specialties": ["Dentist", 5]}, set()),  # non-text items are ignored
        ({"name": "<b>Bold</b>"}, {"name"}),
    ],
)
def test_hospital_fields_are_validated(
    session: Session, admin: User, overrides: dict[str, Any], fields: set[str]
) -> None:
    city = create_city(session)
    form = hospital_form(city.id, **overrides)
    if not fields:
        assert edits.save_hospital(session, **form, actor_id=admin.id, now=NOW).specialties == (
            "Dentist",
        )
        return
    with pytest.raises(ValidationFailed) as caught:
        edits.save_hospital(session, **form, actor_id=admin.id, now=NOW)
    assert set(caught.value.fields) == fields
    session.rollback()
    assert session.exec(select(Hospital.id)).all() == []


def test_editing_an_unknown_hospital_is_not_found(session: Session, admin: User) -> None:
    city = create_city(session)
    with pytest.raises(NotFound):
        edits.save_hospital(
            session, hospital_id=10**6, **hospital_form(city.id), actor_id=admin.id, now=NOW
        )
    with pytest.raises(NotFound):
        al.get_hospital(session, hospital_id="1")  # type: ignore[arg-type]


def test_counts_and_uniqueness_on_postgres(pg_url: str) -> None:
    from healthcareplus.core.db import get_engine

    with Session(get_engine(pg_url), expire_on_commit=False) as session:
        admin = create_user(session, role=Role.ADMIN)
        city = edits.save_city(
            session, name="Bangalore", state="Karnataka", actor_id=admin.id, now=NOW
        )
        row = edits.save_hospital(session, **hospital_form(city.id), actor_id=admin.id, now=NOW)
        hospital = session.get(Hospital, row.id)
        create_doctor(session, hospital=hospital)
        create_doctor(session, hospital=hospital, is_active=False)
        [listed] = al.list_cities(session).items
        assert (listed.hospital_count, listed.doctor_count, listed.active_doctor_count) == (1, 2, 1)
        [h] = al.list_hospitals(session, city_id=city.id).items
        assert (h.doctor_count, h.active_doctor_count) == (2, 1)
        with pytest.raises(ValidationFailed):
            edits.save_city(
                session, name="BANGALORE", state="Karnataka", actor_id=admin.id, now=NOW
            )
