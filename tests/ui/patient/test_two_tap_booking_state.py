"""Booking in two taps, through the states: the doctor cards carry each doctor's next
free slots as links to the wizard with the slot chosen; the wizard takes ``?start=``
(checked on the server: a stale, crafted or another doctor's value opens the calendar
with a message, never an error); signed out, sign-in comes back to that slot; the day's
slots come grouped by part of the day."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from reflex.utils.format import format_event_handler
from reflex_base.event import Event
from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today, format_date
from healthcareplus.core.models import Doctor
from healthcareplus.ui.patient.booking_state import (
    LINK_SLOT_GONE,
    LINK_UNREADABLE,
    BookingState,
)
from healthcareplus.ui.patient.discovery_state import HospitalState
from healthcareplus.ui.patient.doctor_profile_state import DoctorProfileState
from healthcareplus.ui.patient.doctor_search_state import DoctorSearchState
from healthcareplus.ui.patient.symptoms_state import SymptomState
from healthcareplus.ui.shared.account_state import AccountFormState
from healthcareplus.ui.shared.guard import AccessGuard
from tests.factories import (
    create_appointment,
    create_doctor,
    create_hospital,
    create_time_off,
    local,
)
from tests.ui.harness import PASSWORD, Client, Users, redirects

MakeClient = Callable[..., Client]
EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))
EVERY_DAY_20_MIN = tuple((weekday, "08:00", "20:00", 20) for weekday in range(7))


@dataclass
class Clinic:
    doctor: Doctor  # every day 08:00-20:00, 30 min; off today; tomorrow 08:30 taken
    other: (
        Doctor  # same hospital, 20 min slots, off today (so never short of slots), nothing booked
    )
    idle: Doctor  # no working hours at all
    today: date
    day: date  # tomorrow

    def start(self, hhmm: str, day: date | None = None) -> str:
        """``?start=`` for a clinic-local time of ``day`` (default tomorrow)."""
        return routes.slot_param(local(day or self.day, hhmm))

    def book_url(self, start: str, doctor: Doctor | None = None) -> str:
        return f"/book/{(doctor or self.doctor).id}?start={start}"


@pytest.fixture
def clinic(session: Session) -> Clinic:
    today = clinic_today(utcnow())
    day = today + timedelta(days=1)
    hospital = create_hospital(session, name="Lakeside Hospital")
    doctor = create_doctor(
        session,
        hospital=hospital,
        name="Dr. Kavya Menon",
        specialization="Cardiologist",
        schedule=EVERY_DAY,
    )
    other = create_doctor(
        session,
        hospital=hospital,
        name="Dr. Arjun Nair",
        specialization="Cardiologist",
        schedule=EVERY_DAY_20_MIN,
        experience_years=5,
    )
    idle = create_doctor(
        session,
        hospital=hospital,
        name="Dr. Idle Iyer",
        specialization="Cardiologist",
        schedule=(),
        experience_years=1,
    )
    # Both are off today: their first free day is tomorrow, with three free slots at any
    # hour this runs (today's last slots would otherwise leave fewer late in the evening).
    for off in (doctor, other):
        create_time_off(
            session, doctor=off, start_at=local(today, "00:00"), end_at=local(day, "00:00")
        )
    create_appointment(session, doctor=doctor, start_at=local(day, "08:30"), minutes=30)
    return Clinic(doctor, other, idle, today, day)


def starts(chips: list[dict[str, str]]) -> list[str]:
    return [chip["start"] for chip in chips]


# --- the cards -----------------------------------------------------------------------------


async def test_search_cards_carry_each_doctors_next_free_slots(
    make_client: MakeClient, clinic: Clinic
) -> None:
    client = make_client(url="/doctors?specialization=Cardiologist")
    await client.call(DoctorSearchState, "load")
    search = await client.state(DoctorSearchState)

    by_name = {d["name"]: d for d in search.doctors}
    assert by_name["Dr. Kavya Menon"]["next_day"] == "Tomorrow"  # off today
    assert by_name["Dr. Idle Iyer"]["next_day"] == ""
    assert set(search.next_slots) == {str(d.id) for d in (clinic.doctor, clinic.other, clinic.idle)}
    chips = search.next_slots[str(clinic.doctor.id)]
    # 08:30 is taken: the first three free of tomorrow.
    assert starts(chips) == [clinic.start(t) for t in ("08:00", "09:00", "09:30")]
    assert [c["label"] for c in chips] == ["08:00 AM", "09:00 AM", "09:30 AM"]
    first = chips[0]
    assert first["href"] == clinic.book_url(clinic.start("08:00"))
    assert first["name"] == "Book Dr. Kavya Menon, Tomorrow at 08:00 AM"
    assert search.next_slots[str(clinic.idle.id)] == []
    assert len(search.next_slots[str(clinic.other.id)]) == 3


async def test_hospital_symptom_and_profile_pages_carry_them_too(
    make_client: MakeClient, clinic: Clinic
) -> None:
    client = make_client(url=f"/hospital/{clinic.doctor.hospital_id}")
    await client.call(HospitalState, "load")
    hospital = await client.state(HospitalState)
    assert starts(hospital.next_slots[str(clinic.doctor.id)])[0] == clinic.start("08:00")
    await client.call(HospitalState, "filter_specialization", specialization="Cardiologist")
    assert len(hospital.next_slots) == len(hospital.doctors) == 3

    await client.call(SymptomState, "check", form_data={"symptoms": "chest pain", "city": ""})
    symptoms = await client.state(SymptomState)
    assert symptoms.selected == "Cardiologist"
    assert set(symptoms.next_slots) == {d["id"] for d in symptoms.doctors}
    assert starts(symptoms.next_slots[str(clinic.doctor.id)])[0] == clinic.start("08:00")

    profile_client = make_client(url=f"/doctor/{clinic.doctor.id}")
    await profile_client.call(DoctorProfileState, "load")
    profile = await profile_client.state(DoctorProfileState)
    first = profile.next_slots[0]
    assert (first["day"], first["label"]) == ("Tomorrow", "08:00 AM")
    assert first["href"] == clinic.book_url(clinic.start("08:00"))


# --- ?start= in the wizard -------------------------------------------------------------------


async def open_wizard(make_client: MakeClient, users: Users, url: str) -> Any:
    client = make_client(users.patient, url=url)
    assert await client.call(BookingState, "load") == []
    return await client.state(BookingState)


async def test_a_chip_opens_the_wizard_at_its_slot(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    search = make_client(url="/doctors")
    await search.call(DoctorSearchState, "load")
    href = (await search.state(DoctorSearchState)).next_slots[str(clinic.doctor.id)][1]["href"]

    wizard = await open_wizard(make_client, users, href)

    assert (wizard.step, wizard.error, wizard.mode) == (3, "", "book")
    assert (wizard.day, wizard.day_label) == (clinic.day.isoformat(), format_date(clinic.day))
    assert (wizard.slot, wizard.slot_label) == (local(clinic.day, "09:00").isoformat(), "09:00 AM")
    assert wizard.month.endswith(str(clinic.day.year))
    # Going back shows the same day's slots, the chosen one among them.
    client_slots = {s["start"]: s["state"] for s in wizard.slots}
    assert client_slots[wizard.slot] == "free"


@pytest.mark.parametrize("written", ["Z", "+05:30", " 05:30"])
async def test_the_start_may_carry_an_offset(
    make_client: MakeClient, users: Users, clinic: Clinic, written: str
) -> None:
    start = {
        "Z": clinic.start("15:00"),
        "+05:30": f"{clinic.day.isoformat()}T15:00:00+05:30",
        " 05:30": f"{clinic.day.isoformat()}T15:00:00 05:30",  # a "+" sent unescaped
    }[written]
    wizard = await open_wizard(make_client, users, clinic.book_url(quote(start)))
    assert (wizard.step, wizard.slot_label, wizard.error) == (3, "03:00 PM", "")


@pytest.mark.parametrize(
    "case",
    ["taken meanwhile", "blocked", "off-grid (another doctor's slot)", "past", "beyond"],
)
async def test_a_slot_no_longer_free_opens_the_calendar_with_a_message(
    make_client: MakeClient, users: Users, clinic: Clinic, session: Session, case: str
) -> None:
    if case == "taken meanwhile":
        create_appointment(session, doctor=clinic.doctor, start_at=local(clinic.day, "10:00"))
    elif case == "blocked":
        create_time_off(
            session,
            doctor=clinic.doctor,
            start_at=local(clinic.day, "09:45"),
            end_at=local(clinic.day, "10:15"),
        )
    start = {
        "off-grid (another doctor's slot)": clinic.start("08:20"),  # Dr. Nair's 20 min grid
        "past": clinic.start("10:00", clinic.today - timedelta(days=2)),
        "beyond": clinic.start("10:00", clinic.today + timedelta(days=90)),
    }.get(case, clinic.start("10:00"))

    wizard = await open_wizard(make_client, users, clinic.book_url(start))

    assert (wizard.step, wizard.slot, wizard.slot_label, wizard.error) == (
        2,
        "",
        "",
        LINK_SLOT_GONE,
    )
    assert wizard.day == clinic.day.isoformat()  # that day, or the first with a free slot
    assert wizard.slots and wizard.periods
    if case == "taken meanwhile":
        assert {s["start"]: s["state"] for s in wizard.slots}[
            local(clinic.day, "10:00").isoformat()
        ] == "taken"


async def test_another_doctors_slot_is_theirs_to_book(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    start = clinic.start("08:20")
    theirs = await open_wizard(make_client, users, clinic.book_url(start, clinic.other))
    assert (theirs.step, theirs.slot_label, theirs.doctor["id"]) == (
        3,
        "08:20 AM",
        str(clinic.other.id),
    )


@pytest.mark.parametrize(
    "raw",
    [
        "garbage",
        "2026-13-45T99:99:00Z",
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00+05:30",
        "2026-11-23",
        "2026-11-23T09:30:00",  # no zone: which instant?
        "1700000000",
        "<script>alert(1)</script>",
        "2026-11-23T09:30:00Z" * 20,
        "%00",
        "\u202e2026-11-23T09:30:00Z",
    ],
)
async def test_crafted_starts_open_the_calendar_with_a_message(
    make_client: MakeClient, users: Users, clinic: Clinic, raw: str
) -> None:
    wizard = await open_wizard(make_client, users, clinic.book_url(quote(raw)))
    assert (wizard.loaded, wizard.not_found, wizard.error) == (True, False, LINK_UNREADABLE)
    assert (wizard.step, wizard.slot) == (2, "")
    assert wizard.day == clinic.day.isoformat()  # the first day with a free slot


async def test_without_a_start_the_first_free_day_is_open(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    for url in (f"/book/{clinic.doctor.id}", clinic.book_url("")):
        wizard = await open_wizard(make_client, users, url)
        assert (wizard.step, wizard.day, wizard.slot, wizard.error) == (
            2,
            clinic.day.isoformat(),
            "",
            "",
        )


async def test_a_doctor_with_no_free_day_shows_the_strip_only(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    wizard = await open_wizard(
        make_client, users, clinic.book_url(clinic.start("09:00"), clinic.idle)
    )
    assert (wizard.step, wizard.day, wizard.slots, wizard.error) == (1, "", [], LINK_SLOT_GONE)
    assert {d["count_label"] for d in wizard.days} == {"Off"}


async def test_rescheduling_takes_a_start_too(
    make_client: MakeClient, users: Users, clinic: Clinic, session: Session
) -> None:
    mine = create_appointment(
        session, doctor=clinic.doctor, patient=users.patient, start_at=local(clinic.day, "11:00")
    )
    url = f"/reschedule/{mine.id}?start={clinic.start('16:00')}"
    wizard = await open_wizard(make_client, users, url)
    assert (wizard.mode, wizard.step, wizard.slot_label) == ("reschedule", 3, "04:00 PM")


async def test_two_patients_on_one_chip_the_second_is_back_on_the_day(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    url = clinic.book_url(clinic.start("09:00"))
    first = make_client(users.patient, url=url)
    second = make_client(users.other_patient, url=url)
    for client in (first, second):
        await client.call(BookingState, "load")
        assert (await client.state(BookingState)).step == 3
    day = clinic.day.isoformat()
    free_before = next(d for d in (await second.state(BookingState)).days if d["iso"] == day)

    won = await first.call(BookingState, "confirm", form_data={"reason": "Palpitations"})
    lost = await second.call(BookingState, "confirm", form_data={"reason": "Palpitations"})

    assert redirects(won)[0].startswith("/pay/") and redirects(lost) == []
    wizard = await second.state(BookingState)
    assert (wizard.step, wizard.day, wizard.slot) == (2, day, "")
    assert "just booked by someone else" in wizard.error
    states = {s["start"]: s["state"] for s in wizard.slots}
    assert states[local(clinic.day, "09:00").isoformat()] == "taken"
    free_after = next(d for d in wizard.days if d["iso"] == day)
    assert int(free_after["free"]) == int(free_before["free"]) - 1


# --- signed out: through sign-in and back to the slot ---------------------------------------


async def test_signed_out_a_chip_goes_through_sign_in_and_back(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    target = clinic.book_url(clinic.start("09:00"))
    login = "/login?next=" + quote(target, safe="")
    anonymous = make_client(url=target)

    assert redirects(await anonymous.call(BookingState, "load")) == [login]
    load = Event(name=format_event_handler(BookingState.event_handlers["load"]), payload={})
    update = await AccessGuard().preprocess(app=None, state=anonymous.root, event=load)
    assert update is not None and redirects(update.events) == [login]

    signing_in = make_client(url=login)
    form = {"email": "asha@example.com", "password": PASSWORD}
    assert redirects(await signing_in.call(AccountFormState, "sign_in", form_data=form)) == [target]

    back = make_client(users.patient, url=target)
    await back.call(BookingState, "load")
    assert (await back.state(BookingState)).slot_label == "09:00 AM"


# --- the day's slots by part of the day -------------------------------------------------------


async def test_slots_come_grouped_morning_afternoon_evening(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    wizard = await open_wizard(make_client, users, f"/book/{clinic.doctor.id}")
    period = {s["label"]: s["period"] for s in wizard.slots}
    assert (period["08:00 AM"], period["11:30 AM"]) == ("Morning", "Morning")
    assert (period["12:00 PM"], period["04:30 PM"]) == ("Afternoon", "Afternoon")
    assert (period["05:00 PM"], period["07:30 PM"]) == ("Evening", "Evening")
    # 08:30 is taken: 7 of 8 morning slots free.
    assert wizard.periods == [
        {"name": "Morning", "free": "7 free"},
        {"name": "Afternoon", "free": "10 free"},
        {"name": "Evening", "free": "6 free"},
    ]
    taken = next(s for s in wizard.slots if s["label"] == "08:30 AM")
    assert (taken["state"], taken["note"]) == ("taken", "Booked")
    assert taken["name"] == f"{format_date(clinic.day)} at 08:30 AM, booked"
    # Another day keeps the slots on screen: they are that day's.
    other_day = (clinic.day + timedelta(days=1)).isoformat()
    client = make_client(users.patient, url=f"/book/{clinic.doctor.id}")
    await client.call(BookingState, "load")
    await client.call(BookingState, "choose_day", iso=other_day)
    moved = await client.state(BookingState)
    assert (moved.day, moved.step, len(moved.slots)) == (other_day, 2, 24)
    assert moved.periods[0] == {"name": "Morning", "free": "8 free"}


async def test_the_date_strip_counts_free_slots(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    wizard = await open_wizard(make_client, users, f"/book/{clinic.doctor.id}")
    days = {d["iso"]: d for d in wizard.days}
    today, tomorrow = days[clinic.today.isoformat()], days[clinic.day.isoformat()]
    assert (today["count_label"], today["bookable"]) == ("Off", "false")
    assert (tomorrow["count_label"], tomorrow["fill"]) == ("23 free", "")
    assert tomorrow["name"] == f"{format_date(clinic.day)}: 23 free"
