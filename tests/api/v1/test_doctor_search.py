"""The doctor search over HTTP: every filter of the website's, the sort orders, and
cursor paging that never repeats or skips a doctor (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session

from healthcareplus.api.v1.cursors import BAD_CURSOR, encode_cursor
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Doctor
from healthcareplus.domain.catalog.search import DoctorFilters
from tests.api.v1.conftest import EVERY_DAY, V1, problem
from tests.factories import create_appointment, create_doctor, create_hospital, local

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SORTS = ("relevance", "experience", "fee", "fee_desc", "name")


def walk(client, params: dict[str, Any], limit: int) -> tuple[list[int], int, int]:
    """Every doctor id over all pages, the total, and how many pages it took."""
    ids: list[int] = []
    cursor, pages = None, 0
    while True:
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = client.get(f"{V1}/doctors", params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        ids += [d["id"] for d in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return ids, body["total"], pages
        assert len(body["items"]) == limit


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("limit", [1, 4, 27, 100])
def test_cursor_paging_walks_every_doctor_once(client, clinic, sort: str, limit: int) -> None:
    ids, total, pages = walk(client, {"sort": sort}, limit)
    assert total == 27 and sorted(ids) == sorted(d.id for d in clinic["doctors"])
    assert len(ids) == len(set(ids))  # no duplicates, no gaps
    assert pages == -(-27 // limit)
    one_page = client.get(f"{V1}/doctors", params={"sort": sort, "limit": 100}).json()["items"]
    assert [d["id"] for d in one_page] == ids  # the same order however it is paged


def test_sort_orders(client, clinic) -> None:
    def order(sort: str) -> list[dict[str, Any]]:
        return client.get(f"{V1}/doctors", params={"sort": sort, "limit": 100}).json()["items"]

    fees = [d["fee_paise"] for d in order("fee")]
    assert (
        fees == sorted(fees) and [d["fee_paise"] for d in order("fee_desc")] == sorted(fees)[::-1]
    )
    years = [d["experience_years"] for d in order("experience")]
    assert years == sorted(years, reverse=True)
    names = [d["name"].lower() for d in order("name")]
    assert names == sorted(names)


def test_a_walk_neither_repeats_nor_skips_while_doctors_come_and_go(client, clinic, db) -> None:
    first = client.get(f"{V1}/doctors", params={"sort": "name", "limit": 10}).json()
    seen = [d["id"] for d in first["items"]]
    # Meanwhile a doctor already shown leaves and a new one joins ahead of the cursor.
    gone = db.get(Doctor, seen[0])
    gone.is_active = False
    db.add(gone)
    newcomer = create_doctor(
        db, hospital=clinic["sunrise"], name="Dr. Aaa First", schedule=EVERY_DAY
    )
    rest, _, _ = walk_from(client, {"sort": "name"}, 10, first["next_cursor"])
    assert newcomer.id not in rest  # it sorts before the cursor: not on later pages
    assert sorted(seen + rest) == sorted(d.id for d in clinic["doctors"])


def walk_from(
    client, params: dict[str, Any], limit: int, cursor: str
) -> tuple[list[int], int, int]:
    ids: list[int] = []
    pages = 0
    while cursor:
        body = client.get(
            f"{V1}/doctors", params={**params, "limit": limit, "cursor": cursor}
        ).json()
        ids += [d["id"] for d in body["items"]]
        cursor, pages = body["next_cursor"], pages + 1
    return ids, 0, pages


def test_every_filter(client, clinic) -> None:
    def found(**params: Any) -> set[str]:
        body = client.get(f"{V1}/doctors", params={**params, "limit": 100}).json()
        assert body["total"] == len(body["items"])
        return {d["name"] for d in body["items"]}

    everyone = found()
    assert len(everyone) == 27 and "Dr. Gone" not in everyone
    assert found(q="ab rao") == {"Dr. Ab rao 0", "Dr. Ab Rao 9", "Dr. Ab rao 18"}
    assert len(found(city_id=clinic["mum"].id)) == 9
    assert len(found(hospital_id=clinic["sunrise"].id)) == 9
    assert len(found(specialization="cardiologist")) == 9  # catalogue spelling, any case
    assert len(found(specializations=["Cardiologist", "Dermatologist"])) == 18
    assert len(found(gender="female")) == 14
    assert len(found(min_experience=8)) == 6
    assert len(found(max_fee_rupees=500)) == 14
    both = found(city_id=clinic["blr"].id, specialization="Cardiologist", gender="Female")
    assert both and all(name in found(hospital_id=clinic["sunrise"].id) for name in both)
    assert found(specialization="Astrologer") == set()
    day = clinic_today(utcnow()) + timedelta(days=3)
    assert len(found(available_on=day.isoformat())) == 27


def test_available_on_leaves_out_fully_booked_doctors(client, clinic, db) -> None:
    day = clinic_today(utcnow()) + timedelta(days=3)
    busy = clinic["doctors"][0]
    for minutes in range(0, 240, 15):
        start = local(day, "09:00") + timedelta(minutes=minutes)
        create_appointment(db, doctor=busy, start_at=start, commit=False)
    db.commit()
    body = client.get(
        f"{V1}/doctors", params={"available_on": day.isoformat(), "limit": 100}
    ).json()
    assert body["total"] == 26 and busy.id not in [d["id"] for d in body["items"]]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"sort": "price"},
        {"min_experience": 71},
        {"max_fee_rupees": -1},
        {"gender": "<script>"},
        {"city_id": "1e3"},
        {"q": "x" * 101},
        {"available_on": "2026-02-30"},
        {"available_on": "0001-01-01"},
        {"available_on": "9999-12-31"},
        {"specializations": "x" * 61},
        {"cursor": "not base64 !"},
        {"cursor": "eyJ2IjoxfQ"},  # {"v":1}
        {"cursor": "W10"},  # []
        {"cursor": "x" * 513},
    ],
)
def test_bad_search_input_is_a_422_with_the_field(client, clinic, params) -> None:
    body = problem(client.get(f"{V1}/doctors", params=params), 422, "validation-failed")
    [error] = body["errors"]
    assert error["location"] == "query"
    assert error["field"].split(".")[0] == next(iter(params))  # "specializations.0": the item


@pytest.mark.parametrize("after", [(), ("x",), (1, "a", "b"), (5, "dr. a", 2**70), (5, 7, 1)])
def test_a_crafted_cursor_is_a_422_never_an_error(client, clinic, after) -> None:
    cursor = encode_cursor(DoctorFilters(), after)  # the right fingerprint, a wrong position
    body = problem(client.get(f"{V1}/doctors", params={"cursor": cursor}), 422)
    assert body["errors"] == [{"location": "query", "field": "cursor", "detail": BAD_CURSOR}]


def test_a_cursor_is_bound_to_its_search(client, clinic) -> None:
    cursor = client.get(f"{V1}/doctors", params={"sort": "fee", "limit": 5}).json()["next_cursor"]
    assert client.get(f"{V1}/doctors", params={"sort": "fee", "cursor": cursor}).status_code == 200
    for other in ({"sort": "name"}, {"sort": "fee", "gender": "Male"}):
        body = problem(client.get(f"{V1}/doctors", params={**other, "cursor": cursor}), 422)
        assert body["errors"][0]["detail"].startswith("This cursor belongs to another search")


@pytest.mark.parametrize("sort", ["name", "fee"])
def test_cursor_paging_on_sqlite_and_postgres(any_client, any_db: Session, sort: str) -> None:
    """The keyset positions (``lower(name)`` in the database's own collation) on both."""
    hospital = create_hospital(any_db)
    names = ["Dr. a", "Dr. B", "Dr. b", "Dr. Ä", "Dr. c", "Dr. C", "Dr. é", "Dr. E", "Dr. z"]
    for n, name in enumerate(names * 2):
        create_doctor(any_db, hospital=hospital, name=name, fee_paise=(n % 3) * 100, commit=False)
    any_db.commit()
    ids, total, pages = walk(any_client, {"sort": sort}, 4)
    assert total == 18 and len(ids) == len(set(ids)) == 18 and pages == 5
    whole = any_client.get(f"{V1}/doctors", params={"sort": sort, "limit": 100}).json()["items"]
    assert [d["id"] for d in whole] == ids
