"""The admin management states (doctors, schedule, patients, cities and hospitals,
admins), driven as the admin's browser would and as a crafted browser could.

Each call goes straight to the handler, as a crafted websocket event would. The clinic is
small and real: one hospital in Bangalore, one doctor with a login and the weekday
morning timetable, and a confirmed appointment of ``users.patient`` with that doctor.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import reflex as rx
from reflex.state import BaseState
from sqlmodel import Session, select

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import (
    Appointment,
    AuditEvent,
    City,
    Doctor,
    DoctorSchedule,
    Hospital,
    Notification,
    PasswordLink,
    PaymentStatus,
    Role,
    User,
)
from healthcareplus.domain.accounts import passwords
from healthcareplus.domain.accounts.passwords import NO_PASSWORD, verify_password
from healthcareplus.ui.admin.admins_state import AdminAdminsState
from healthcareplus.ui.admin.doctor_detail_state import AdminDoctorState
from healthcareplus.ui.admin.doctor_schedule_state import AdminScheduleState
from healthcareplus.ui.admin.doctors_state import AdminDoctorsState
from healthcareplus.ui.admin.locations_state import AdminCitiesState, AdminHospitalsState
from healthcareplus.ui.admin.patients_state import AdminPatientsState, AdminPatientState
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from tests.factories import (
    create_appointment,
    create_booking,
    create_city,
    create_doctor,
    create_hospital,
    link_doctor_user,
    local,
)
from tests.ui.harness import (
    PASSWORD_HASH,
    Client,
    Users,
    has_toast,
    redirects,
    sessions_of,
    set_page,
    toasts,
)

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]

SIGN_IN_PLEASE = "Please sign in to continue."
NO_ACCESS = "You do not have access to that page."
TABLES = (
    User,
    Doctor,
    DoctorSchedule,
    City,
    Hospital,
    AuditEvent,
    Appointment,
    Notification,
    PasswordLink,
)


@dataclass
class Clinic:
    city: City
    hospital: Hospital
    doctor: Doctor
    appointment_id: str = ""

    @property
    def doctor_path(self) -> str:
        return f"/admin/doctors/{self.doctor.id}"


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def clinic(session: Session, users: Users) -> Clinic:
    city = create_city(session, name="Bangalore")
    hospital = create_hospital(session, city=city, name="Sunrise Hospital")
    doctor = create_doctor(session, hospital=hospital, name="Dr. Kavya Menon", fee_paise=70_000)
    link_doctor_user(session, doctor)
    day = clinic_today(utcnow()) + timedelta(days=3)
    visit = create_appointment(
        session, doctor=doctor, patient=users.patient, start_at=local(day, "10:00")
    )
    return Clinic(city, hospital, doctor, visit.id)


def doctor_form(hospital_id: int, **overrides: str) -> dict[str, str]:
    form = {
        "name": "Priya Nair",
        "specialization": "Cardiologist",
        "qualification": "MBBS, MD",
        "experience_years": "12",
        "fee_rupees": "800",
        "gender": "Female",
        "languages": "English, Kannada",
        "hospital_id": str(hospital_id),
        "email": "priya.nair@example.in",
        "phone": "98450 33333",
        "about": "",
    }
    form.update(overrides)
    return form


def patient_form(**overrides: str) -> dict[str, str]:
    form = {
        "name": "Asha Rani",
        "phone": "98450 12345",
        "date_of_birth": "1990-05-01",
        "gender": "Female",
        "blood_group": "O+",
        "allergies": "Dust",
        "medical_history": "None",
    }
    form.update(overrides)
    return form


def db_rows(fresh_session: FreshSession) -> dict[str, list[dict[str, Any]]]:
    with fresh_session() as db:
        return {
            t.__name__: [r.model_dump() for r in db.exec(select(t).order_by(t.id)).all()]
            for t in TABLES
        }


def _vars(state: BaseState, cls: type[BaseState]) -> dict[str, Any]:
    """The state's own vars, backend ones (``_doctor_id``, ``_editing``) included."""
    names = sorted(set(cls.get_fields()) - set(rx.State.get_fields()))
    return copy.deepcopy({name: state.get_value(name) for name in names})


async def values(client: Client, cls: type[BaseState]) -> dict[str, Any]:
    return _vars(await client.state(cls), cls)


def defaults(cls: type[BaseState]) -> dict[str, Any]:
    return _vars(rx.State().get_substate(cls._get_substate_path()), cls)


def login_for(path: str) -> str:
    return "/admin/login?next=" + path.replace("/", "%2F")


# --- 1. every handler refuses anonymous visitors, patients and doctors --------------------

ALL_HANDLERS: dict[type[BaseState], tuple[str, ...]] = {
    AdminDoctorsState: (
        "load",
        "search",
        "go_page",
        "sort_by",
        "set_adding",
        "add",
        "resend_invitation",
        "dismiss_invitation",
    ),
    AdminDoctorState: ("load", "save", "deactivate", "reactivate"),
    AdminScheduleState: ("load", "add_block", "remove_block", "save", "confirm", "dismiss"),
    AdminPatientsState: ("load", "search", "go_page", "sort_by"),
    AdminPatientState: ("load", "history_page", "save", "set_blocking", "block", "unblock"),
    AdminCitiesState: ("load", "go_page", "new_city", "edit_city", "set_dialog_open", "save_city"),
    AdminHospitalsState: (
        "load",
        "filter_city",
        "go_page",
        "new_hospital",
        "edit_hospital",
        "set_dialog_open",
        "save_hospital",
    ),
    AdminAdminsState: (
        "load",
        "go_page",
        "sort_by",
        "create",
        "dismiss_password",
        "deactivate",
        "reactivate",
    ),
}
HANDLER_CASES = [(cls, name) for cls, names in ALL_HANDLERS.items() for name in names]


def test_the_cases_cover_every_handler_of_the_management_states() -> None:
    for cls, names in ALL_HANDLERS.items():
        assert set(cls.event_handlers) - {"setvar"} == set(names), cls.__name__


def page_of(cls: type[BaseState], clinic: Clinic, users: Users) -> str:
    if cls in (AdminDoctorState, AdminScheduleState):
        return clinic.doctor_path
    if cls is AdminPatientState:
        return f"/admin/patients/{users.patient.id}"
    return {
        AdminDoctorsState: "/admin/doctors",
        AdminPatientsState: "/admin/patients",
        AdminCitiesState: "/admin/locations",
        AdminHospitalsState: "/admin/locations",
        AdminAdminsState: "/admin/admins",
    }[cls]


def payload_for(cls: type[BaseState], name: str, clinic: Clinic) -> dict[str, Any]:
    """Arguments that would change something if an admin sent them."""
    hospital = {
        "city_id": str(clinic.city.id),
        "name": "New Hospital",
        "address": "1 Ring Road, Bengaluru",
        "phone": "",
        "spec-0": "on",
    }
    return {
        (AdminDoctorsState, "search"): {"form_data": {"q": "kavya"}},
        (AdminDoctorsState, "go_page"): {"page": 2},
        (AdminDoctorsState, "sort_by"): {"key": "fee"},
        (AdminDoctorsState, "set_adding"): {"open_": True},
        (AdminDoctorsState, "add"): {"form_data": doctor_form(clinic.hospital.id)},
        (AdminDoctorsState, "resend_invitation"): {"doctor_id": str(clinic.doctor.id)},
        (AdminDoctorState, "save"): {
            "form_data": doctor_form(clinic.hospital.id, fee_rupees="9999")
        },
        (AdminDoctorState, "deactivate"): {"form_data": {"reason": "Left"}},
        (AdminScheduleState, "add_block"): {"weekday": 6},
        (AdminScheduleState, "remove_block"): {"key": "b1"},
        (AdminScheduleState, "save"): {"form_data": {}},
        (AdminScheduleState, "confirm"): {"form_data": {"cancel_reason": "Clinic closed"}},
        (AdminPatientsState, "search"): {"form_data": {"q": "asha"}},
        (AdminPatientsState, "go_page"): {"page": 2},
        (AdminPatientsState, "sort_by"): {"key": "name"},
        (AdminAdminsState, "sort_by"): {"key": "email"},
        (AdminPatientState, "history_page"): {"page": 1},
        (AdminPatientState, "save"): {"form_data": patient_form()},
        (AdminPatientState, "set_blocking"): {"open_": True},
        (AdminPatientState, "block"): {"form_data": {"reason": "Spam bookings"}},
        (AdminCitiesState, "go_page"): {"page": 2},
        (AdminCitiesState, "edit_city"): {"city_id": str(clinic.city.id)},
        (AdminCitiesState, "set_dialog_open"): {"open_": True},
        (AdminCitiesState, "save_city"): {"form_data": {"name": "Goa", "state": "Goa"}},
        (AdminHospitalsState, "filter_city"): {"city_id": str(clinic.city.id)},
        (AdminHospitalsState, "go_page"): {"page": 2},
        (AdminHospitalsState, "edit_hospital"): {"hospital_id": str(clinic.hospital.id)},
        (AdminHospitalsState, "set_dialog_open"): {"open_": True},
        (AdminHospitalsState, "save_hospital"): {"form_data": hospital},
        (AdminAdminsState, "go_page"): {"page": 2},
        (AdminAdminsState, "deactivate"): {"form_data": {"admin_id": "1", "reason": "Left"}},
        (AdminAdminsState, "reactivate"): {"admin_id": "1"},
        (AdminAdminsState, "create"): {
            "form_data": {"name": "Kiran Rao", "email": "kiran@example.in", "phone": "9845077777"}
        },
    }.get((cls, name), {})


async def prime(client: Client, cls: type[BaseState], clinic: Clinic, users: Users) -> None:
    """Fill the state as an admin's tab would hold it, so an unguarded body would act."""
    state = await client.state(cls)
    if cls is AdminDoctorsState:
        state.invited = {"name": "Dr. X", "email": "x@example.in", "hours": "72"}
        state.items = [{"id": str(clinic.doctor.id), "name": "Dr. X", "invitation": "pending"}]
    elif cls is AdminDoctorState:
        state.doctor, state.loaded = {"id": str(clinic.doctor.id), "is_active": "true"}, True
    elif cls is AdminScheduleState:
        state._doctor_id = clinic.doctor.id
        state.week = [
            [{"key": "b1", "weekday": "0", "start": "09:00", "end": "13:00", "slot": "15"}]
        ]
        state.week += [[] for _ in range(6)]
        state.affected = [{"id": clinic.appointment_id, "patient_name": "Asha Rao"}]
        state._pending = [[0, "09:00", "13:00", "15"]]  # would cancel the clinic's visit
        state._pending_ids = [clinic.appointment_id]
    elif cls is AdminPatientState:
        state.patient, state.loaded = {"id": str(users.patient.id), "is_blocked": "false"}, True
    elif cls is AdminCitiesState:
        state._editing = clinic.city.id
    elif cls is AdminHospitalsState:
        state._editing = clinic.hospital.id
    elif cls is AdminAdminsState:
        state.created = {"name": "A", "email": "a@example.in", "password": "Secret#123"}
        state.items = [{"id": str(users.admin.id), "name": "Ana Admin", "is_active": "true"}]
    else:
        state.q = "kavya"


@pytest.mark.parametrize("primed", [False, True], ids=["fresh", "primed"])
@pytest.mark.parametrize("who", [None, "patient", "doctor"], ids=["anonymous", "patient", "doctor"])
@pytest.mark.parametrize(
    ("cls", "name"), HANDLER_CASES, ids=[f"{c.__name__}.{n}" for c, n in HANDLER_CASES]
)
async def test_every_handler_redirects_a_wrong_caller_and_changes_nothing(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    fresh_session: FreshSession,
    cls: type[BaseState],
    name: str,
    who: str | None,
    primed: bool,
) -> None:
    path = page_of(cls, clinic, users)
    client = make_client(getattr(users, who) if who else None, url=path)
    if primed:
        await prime(client, cls, clinic, users)
    state_before, rows_before = await values(client, cls), db_rows(fresh_session)

    events = await client.call(cls, name, **payload_for(cls, name, clinic))

    assert redirects(events) == [login_for(path) if who is None else HOME_FOR_ROLE[who]]
    assert has_toast(events, SIGN_IN_PLEASE if who is None else NO_ACCESS)
    assert await values(client, cls) == state_before
    if not primed:
        assert state_before == defaults(cls)
    assert db_rows(fresh_session) == rows_before


# --- 2. doctors ------------------------------------------------------------------------------


async def test_admin_adds_a_doctor_who_is_emailed_an_invitation(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = make_client(users.admin, url="/admin/doctors")
    assert await client.call(AdminDoctorsState, "load") == []
    state = await client.state(AdminDoctorsState)
    assert [r["name"] for r in state.items] == ["Dr. Kavya Menon"]
    assert [r["invitation"] for r in state.items] == [""]  # has a password
    assert state.hospitals == [
        {
            "id": str(clinic.hospital.id),
            "label": "Sunrise Hospital · Bangalore",
            "city_name": "Bangalore",
        }
    ]

    await client.call(AdminDoctorsState, "set_adding", open_=True)
    events = await client.call(AdminDoctorsState, "add", form_data=doctor_form(clinic.hospital.id))

    assert has_toast(events, "Dr. Priya Nair added.")
    assert (state.adding, state.errors) == (False, {})
    assert state.invited == {
        "name": "Dr. Priya Nair",
        "email": "priya.nair@example.in",
        "hours": "72",
    }
    with fresh_session() as db:
        doctor = db.exec(select(Doctor).where(Doctor.email == "priya.nair@example.in")).one()
        login = db.get(User, doctor.user_id)
        assert login.role == Role.DOCTOR and login.password_hash == NO_PASSWORD
        [email] = db.exec(select(Notification).where(Notification.user_id == login.id)).all()
        assert (email.event, email.channel) == ("account_invite", "email")
        [token] = re.findall(r"token=([A-Za-z0-9_-]+)", email.body)
    # The secret link never reaches the admin's state.
    assert token not in repr(await values(client, AdminDoctorsState))
    assert {(r["name"], r["invitation"]) for r in state.items} == {
        ("Dr. Kavya Menon", ""),
        ("Dr. Priya Nair", "pending"),
    }
    # The next load (a refresh, or coming back later) no longer shows the note.
    await client.call(AdminDoctorsState, "load")
    assert state.invited == {}
    # Dismissing clears it too.
    await client.call(
        AdminDoctorsState, "add", form_data=doctor_form(clinic.hospital.id, email="b@example.in")
    )
    assert state.invited["email"] == "b@example.in"
    await client.call(AdminDoctorsState, "dismiss_invitation")
    assert state.invited == {}


async def test_admin_resends_a_pending_invitation_only(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = make_client(users.admin, url="/admin/doctors")
    await client.call(AdminDoctorsState, "load")
    await client.call(AdminDoctorsState, "add", form_data=doctor_form(clinic.hospital.id))
    state = await client.state(AdminDoctorsState)
    await client.call(AdminDoctorsState, "dismiss_invitation")
    new = next(r for r in state.items if r["name"] == "Dr. Priya Nair")

    events = await client.call(AdminDoctorsState, "resend_invitation", doctor_id=new["id"])

    assert has_toast(events, "A new invitation has been emailed to priya.nair@example.in.")
    assert state.invited["email"] == "priya.nair@example.in"
    with fresh_session() as db:
        sent = db.exec(select(Notification).where(Notification.event == "account_invite")).all()
        assert [n.to_address for n in sent] == ["priya.nair@example.in"] * 2
        links = db.exec(select(PasswordLink)).all()
        assert [link.used_at for link in links] == [None, None]
    # A doctor with a password, an unlisted id or junk: refused, nothing sent.
    for junk in (str(clinic.doctor.id), "999999", "", "1 OR 1=1", "-1"):
        events = await client.call(AdminDoctorsState, "resend_invitation", doctor_id=junk)
        assert has_toast(events, "That doctor has no pending invitation.")
    with fresh_session() as db:
        assert len(db.exec(select(Notification)).all()) == 2


@pytest.mark.parametrize(
    "form_data",
    [None, "name=x", ["a"], {"name": ["Priya"], "email": {"x": 1}}, {"name": "P" * 10_000}],
)
async def test_crafted_add_forms_are_refused_without_saving(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    fresh_session: FreshSession,
    form_data: Any,
) -> None:
    client = make_client(users.admin, url="/admin/doctors")
    before = db_rows(fresh_session)
    events = await client.call(AdminDoctorsState, "add", form_data=form_data)
    state = await client.state(AdminDoctorsState)
    assert redirects(events) == []
    assert {"name", "email", "hospital_id"} <= set(state.errors)
    assert state.invited == {}
    assert db_rows(fresh_session) == before


async def test_duplicate_email_shows_on_the_field(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    client = make_client(users.admin, url="/admin/doctors")
    await client.call(
        AdminDoctorsState,
        "add",
        form_data=doctor_form(clinic.hospital.id, email=users.patient.email),
    )
    state = await client.state(AdminDoctorsState)
    assert state.errors == {"email": "An account or doctor with this email already exists"}
    assert state.message == "Please correct the highlighted fields."


@pytest.mark.parametrize("page", ["abc", -1, None, 10**12, True, 2.5, {"p": 1}])
async def test_crafted_page_and_filters_never_break_the_list(
    make_client: MakeClient, users: Users, clinic: Clinic, page: Any
) -> None:
    client = make_client(users.admin, url="/admin/doctors?page=zz&status=evil&hospital=-3")
    await client.call(AdminDoctorsState, "load")
    state = await client.state(AdminDoctorsState)
    assert (state.status, state.hospital, state.page) == ("all", "", 1)
    await client.call(AdminDoctorsState, "go_page", page=page)
    assert state.page == 1 and len(state.items) == 1
    await client.call(AdminDoctorsState, "search", form_data={"q": ["x"], "status": 5})
    assert (state.q, state.status, len(state.items)) == ("", "all", 1)
    await client.call(AdminDoctorsState, "set_adding", open_="yes")
    assert state.adding is False


async def test_detail_edit_deactivate_and_reactivate(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = make_client(users.admin, url=clinic.doctor_path)
    await client.call(AdminDoctorState, "load")
    state = await client.state(AdminDoctorState)
    assert (state.loaded, state.not_found) == (True, False)
    assert (state.doctor["name"], state.doctor["fee_rupees"]) == ("Dr. Kavya Menon", "700")
    assert state.doctor["login_email"].endswith("@example.com")
    assert "password" not in " ".join(state.doctor) and PASSWORD_HASH not in repr(state.doctor)

    form = doctor_form(clinic.hospital.id, name="Kavya Menon", fee_rupees="950")
    events = await client.call(AdminDoctorState, "save", form_data=form)
    assert has_toast(events, "Doctor profile saved.")
    assert (state.doctor["fee_rupees"], state.saved) == ("950", "Profile saved.")
    events = await client.call(AdminDoctorState, "save", form_data={**form, "fee_rupees": "5"})
    assert state.errors == {"fee_rupees": "The fee must be between 100 and 10,000"}

    events = await client.call(AdminDoctorState, "deactivate", form_data={"reason": "On leave"})
    assert has_toast(events, "Dr. Kavya Menon deactivated.")
    assert state.doctor["is_active"] == "false" and state.follow_up_total == 1
    [follow_up] = state.follow_ups
    assert (follow_up["patient_name"], follow_up["patient_phone"]) == (
        "Asha Rao",
        "+91 98450 11111",
    )
    events = await client.call(AdminDoctorState, "deactivate", form_data=None)
    assert has_toast(events, "Dr. Kavya Menon is already inactive.")

    # A fresh load of an inactive doctor lists the follow-ups again.
    other_tab = make_client(users.admin, url=clinic.doctor_path)
    await other_tab.call(AdminDoctorState, "load")
    assert (await other_tab.state(AdminDoctorState)).follow_up_total == 1

    events = await client.call(AdminDoctorState, "reactivate")
    assert has_toast(events, "Dr. Kavya Menon reactivated: patients can find and book them again.")
    assert (state.doctor["is_active"], state.follow_ups, state.follow_up_total) == ("true", [], 0)
    with fresh_session() as db:
        actions = db.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["doctor_updated", "doctor_deactivated", "doctor_reactivated"]


@pytest.mark.parametrize(
    "path", ["/admin/doctors/abc", "/admin/doctors/0", "/admin/doctors/999999"]
)
async def test_unknown_doctor_pages_show_not_found(
    make_client: MakeClient, users: Users, clinic: Clinic, path: str
) -> None:
    client = make_client(users.admin, url=path)
    await client.call(AdminDoctorState, "load")
    await client.call(AdminScheduleState, "load")
    state = await client.state(AdminDoctorState)
    assert (state.loaded, state.not_found, state.doctor) == (True, True, {})
    schedule = await client.state(AdminScheduleState)
    assert schedule._doctor_id == 0
    await client.call(AdminScheduleState, "add_block", weekday=1)
    assert schedule.week == [[] for _ in range(7)]
    events = await client.call(AdminDoctorState, "reactivate")
    assert has_toast(events, "Doctor not found.")


def cancel_clinic_visit(fresh_session: FreshSession, clinic: Clinic) -> None:
    """Take the fixture's visit (on a weekday that depends on today) out of the way."""
    with fresh_session() as db:
        visit = db.get(Appointment, clinic.appointment_id)
        visit.status = "cancelled"
        db.add(visit)
        db.commit()


def block_form(week: list[list[dict[str, str]]]) -> dict[str, str]:
    """The editor's form as the browser submits it for these rows."""
    fields = ("start", "end", "slot")
    return {f"{field}-{b['key']}": b[field] for day in week for b in day for field in fields}


async def test_schedule_editor_adds_removes_validates_and_saves(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    cancel_clinic_visit(fresh_session, clinic)
    client = make_client(users.admin, url=clinic.doctor_path)
    await client.call(AdminScheduleState, "load")
    state = await client.state(AdminScheduleState)
    assert [len(day) for day in state.week] == [1, 1, 1, 1, 1, 0, 0]
    monday = state.week[0][0]
    assert (monday["start"], monday["end"], monday["slot"]) == ("09:00", "13:00", "15")

    for crafted in ("one", 7, -1, None, 2.5):
        await client.call(AdminScheduleState, "add_block", weekday=crafted)
    assert [len(day) for day in state.week] == [1, 1, 1, 1, 1, 0, 0]
    await client.call(AdminScheduleState, "add_block", weekday=0)
    await client.call(AdminScheduleState, "add_block", weekday=6)
    await client.call(AdminScheduleState, "remove_block", key=state.week[1][0]["key"])
    await client.call(AdminScheduleState, "remove_block", key={"not": "a key"})
    assert [len(day) for day in state.week] == [2, 0, 1, 1, 1, 0, 1]
    afternoon, sunday = state.week[0][1], state.week[6][0]
    assert (afternoon["start"], afternoon["end"]) == ("14:00", "17:00")

    form = block_form(state.week)
    bad = {**form, f"start-{afternoon['key']}": "12:00"}
    events = await client.call(AdminScheduleState, "save", form_data=bad)
    assert state.errors == {"day-0": "12:00-17:00 overlaps 09:00-13:00"}
    assert state.message == "Some days need fixing (see below)."
    assert state.affected == []

    form[f"slot-{sunday['key']}"] = "30"
    events = await client.call(AdminScheduleState, "save", form_data=form)
    assert has_toast(events, "Schedule saved.")
    assert state.errors == {}
    with fresh_session() as db:
        rows = db.exec(
            select(DoctorSchedule.weekday, DoctorSchedule.slot_minutes)
            .where(DoctorSchedule.doctor_id == clinic.doctor.id)
            .order_by(DoctorSchedule.weekday, DoctorSchedule.start_time)
        ).all()
    assert rows == [(0, 15), (0, 15), (2, 15), (3, 15), (4, 15), (6, 30)]

    # A form missing the blocks' fields is refused for each day, nothing saved.
    events = await client.call(AdminScheduleState, "save", form_data="junk")
    assert state.errors == {
        f"day-{d}": "Enter the start and end times as HH:MM" for d in (0, 2, 3, 4, 6)
    }
    with fresh_session() as db:
        count = len(
            db.exec(
                select(DoctorSchedule.id).where(DoctorSchedule.doctor_id == clinic.doctor.id)
            ).all()
        )
    assert count == 6


async def test_schedule_edit_stranding_a_booking_asks_then_cancels_and_refunds(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    session: Session,
    fresh_session: FreshSession,
) -> None:
    cancel_clinic_visit(fresh_session, clinic)
    today = clinic_today(utcnow())
    monday = today + timedelta(days=7 - today.weekday())
    paid = create_booking(
        session,
        doctor=clinic.doctor,
        patient=users.patient,
        start_at=local(monday, "10:00"),
        now=utcnow(),
    )
    assert paid.payment_status == PaymentStatus.SUCCESS
    client = make_client(users.admin, url=clinic.doctor_path)
    await client.call(AdminScheduleState, "load")
    state = await client.state(AdminScheduleState)
    await client.call(AdminScheduleState, "remove_block", key=state.week[0][0]["key"])
    form = block_form(state.week)

    # Dropping Monday would strand the paid visit: refused, listed, nothing changed.
    events = await client.call(AdminScheduleState, "save", form_data=form)
    assert not has_toast(events, "Schedule saved.")
    assert [(a["id"], a["paid"]) for a in state.affected] == [(paid.id, "true")]
    assert state._pending_ids == [paid.id]
    with fresh_session() as db:
        assert db.get(Appointment, paid.id).status == "confirmed"
        weekdays = db.exec(
            select(DoctorSchedule.weekday).where(DoctorSchedule.doctor_id == clinic.doctor.id)
        ).all()
        assert sorted(weekdays) == [0, 1, 2, 3, 4]

    # Keeping them drops the question; asking again brings it back.
    await client.call(AdminScheduleState, "dismiss")
    assert (state.affected, state._pending_ids) == ([], [])
    late = await client.call(AdminScheduleState, "confirm", form_data={"cancel_reason": "Closed"})
    assert late == [] and state.affected == []
    await client.call(AdminScheduleState, "save", form_data=form)
    assert len(state.affected) == 1

    # A reason is required; then the visit is cancelled and refunded with the schedule saved.
    await client.call(AdminScheduleState, "confirm", form_data={"cancel_reason": " "})
    assert "cancel_reason" in state.errors and len(state.affected) == 1
    events = await client.call(
        AdminScheduleState, "confirm", form_data={"cancel_reason": "Monday clinic closed"}
    )
    assert has_toast(events, "Schedule saved. 1 appointment cancelled; paid ones were refunded.")
    assert (state.affected, state._pending, state.errors) == ([], [], {})
    assert [len(day) for day in state.week] == [0, 1, 1, 1, 1, 0, 0]
    with fresh_session() as db:
        visit = db.get(Appointment, paid.id)
        assert (visit.status, visit.payment_status, visit.cancel_reason) == (
            "cancelled",
            PaymentStatus.REFUNDED,
            "Monday clinic closed",
        )
        assert visit.cancelled_by_user_id == users.admin.id
        event = db.exec(select(AuditEvent).where(AuditEvent.action == "schedule_updated")).one()
        assert (event.actor_user_id, event.detail["cancelled"]) == (users.admin.id, [paid.id])


# --- 3. patients -----------------------------------------------------------------------------


async def test_admin_finds_blocks_unblocks_and_edits_a_patient(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = make_client(users.admin, url="/admin/patients?q=asha")
    await client.call(AdminPatientsState, "load")
    listing = await client.state(AdminPatientsState)
    assert [r["email"] for r in listing.items] == ["asha@example.com"]
    await client.call(AdminPatientsState, "search", form_data={"q": "98450", "status": "blocked"})
    assert listing.items == []
    await client.call(AdminPatientsState, "search", form_data={"q": "", "status": "all"})
    assert {r["email"] for r in listing.items} == {"asha@example.com", "bina@example.com"}
    assert all(PASSWORD_HASH not in repr(row) for row in listing.items)

    set_page(client.root, f"/admin/patients/{users.patient.id}")
    await client.call(AdminPatientState, "load")
    state = await client.state(AdminPatientState)
    assert (state.patient["name"], state.patient["is_blocked"]) == ("Asha Rao", "false")
    assert [h["doctor_name"] for h in state.history] == ["Dr. Kavya Menon"]
    assert state.history[0]["time_status"] == "upcoming"
    assert PASSWORD_HASH not in repr(state.patient)

    await client.call(AdminPatientState, "set_blocking", open_=True)
    events = await client.call(AdminPatientState, "block", form_data={"reason": " "})
    assert state.block_error == "Give a reason of at least 3 characters" and state.blocking
    events = await client.call(AdminPatientState, "block", form_data={"reason": "Fake bookings"})
    assert has_toast(events, "Asha Rao is blocked from booking.")
    assert (state.patient["is_blocked"], state.patient["blocked_reason"]) == (
        "true",
        "Fake bookings",
    )
    assert state.blocking is False
    with fresh_session() as db:
        assert db.get(User, users.patient.id).is_blocked is True
    events = await client.call(AdminPatientState, "block", form_data={"reason": "Again"})
    assert has_toast(events, "Asha Rao is already blocked.")

    events = await client.call(AdminPatientState, "unblock")
    assert has_toast(events, "Asha Rao can book again.")
    assert state.patient["is_blocked"] == "false"

    events = await client.call(AdminPatientState, "save", form_data=patient_form())
    assert has_toast(events, "Patient details saved.")
    assert (state.patient["name"], state.patient["blood_group"]) == ("Asha Rani", "O+")
    await client.call(AdminPatientState, "save", form_data=patient_form(date_of_birth="2999-01-01"))
    assert set(state.errors) == {"date_of_birth"}
    with fresh_session() as db:
        assert db.get(User, users.other_patient.id).name == "Bina Das"
        actions = db.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["patient_blocked", "patient_unblocked", "patient_updated"]


@pytest.mark.parametrize("who", ["admin", "doctor", "nobody"])
async def test_patient_pages_only_open_patients(
    make_client: MakeClient, users: Users, clinic: Clinic, who: str
) -> None:
    target = {"admin": users.admin.id, "doctor": users.doctor.id, "nobody": "x1"}[who]
    client = make_client(users.admin, url=f"/admin/patients/{target}")
    await client.call(AdminPatientState, "load")
    state = await client.state(AdminPatientState)
    assert (state.not_found, state.patient, state.history) == (True, {}, [])
    events = await client.call(AdminPatientState, "block", form_data={"reason": "Some reason"})
    assert has_toast(events, "Patient not found.")
    await client.call(AdminPatientState, "history_page", page=1)
    assert state.history == []


# --- 4. cities and hospitals -----------------------------------------------------------------


async def test_admin_adds_and_edits_cities_and_hospitals(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = make_client(users.admin, url="/admin/locations")
    await client.call(AdminCitiesState, "load")
    await client.call(AdminHospitalsState, "load")
    cities = await client.state(AdminCitiesState)
    hospitals = await client.state(AdminHospitalsState)
    [bangalore] = cities.cities
    assert (bangalore["hospital_count"], bangalore["active_doctor_count"]) == ("1", "1")

    await client.call(AdminCitiesState, "new_city")
    await client.call(
        AdminCitiesState, "save_city", form_data={"name": "bangalore", "state": "Karnataka"}
    )
    assert cities.errors == {"name": "A city with this name already exists"}
    events = await client.call(
        AdminCitiesState, "save_city", form_data={"name": "Udupi", "state": "Karnataka"}
    )
    assert has_toast(events, "Udupi saved.") and cities.dialog_open is False
    assert [c["name"] for c in cities.cities] == ["Bangalore", "Udupi"]
    assert [c["name"] for c in hospitals.city_options] == ["Bangalore", "Udupi"]

    await client.call(AdminCitiesState, "edit_city", city_id=bangalore["id"])
    assert (cities.city_form, cities.dialog_open) == (
        {"name": "Bangalore", "state": "Karnataka"},
        True,
    )
    await client.call(
        AdminCitiesState, "save_city", form_data={"name": "Bengaluru", "state": "Karnataka"}
    )
    assert hospitals.hospitals[0]["city_name"] == "Bengaluru"
    events = await client.call(AdminCitiesState, "edit_city", city_id="999999")
    assert has_toast(events, "City not found.")

    udupi = next(c for c in cities.cities if c["name"] == "Udupi")
    await client.call(AdminHospitalsState, "new_hospital")
    form = {
        "city_id": udupi["id"],
        "name": "Coastal Care",
        "address": "Car Street, Udupi 576101",
        "phone": "0820-252 0000",
        "spec-0": "on",
        "spec-17": "on",
        "spec-99": "on",
    }
    events = await client.call(AdminHospitalsState, "save_hospital", form_data=form)
    assert has_toast(events, "Coastal Care saved.")
    with fresh_session() as db:
        made = db.exec(select(Hospital).where(Hospital.name == "Coastal Care")).one()
    assert made.specialties == ["General Physician", "Dentist"]
    assert next(c for c in cities.cities if c["name"] == "Udupi")["hospital_count"] == "1"

    await client.call(AdminHospitalsState, "edit_hospital", hospital_id=str(made.id))
    assert hospitals.chosen == ["General Physician", "Dentist"]
    assert hospitals.hospital_form["city_id"] == udupi["id"]
    await client.call(
        AdminHospitalsState, "save_hospital", form_data={**form, "spec-0": "", "spec-17": ""}
    )
    assert hospitals.errors == {"specialties": "Choose at least one specialty"}

    await client.call(AdminHospitalsState, "filter_city", city_id=udupi["id"])
    assert [h["name"] for h in hospitals.hospitals] == ["Coastal Care"]
    await client.call(AdminHospitalsState, "filter_city", city_id="'; drop table")
    assert hospitals.city_filter == "" and len(hospitals.hospitals) == 2
    events = await client.call(AdminHospitalsState, "edit_hospital", hospital_id=None)
    assert has_toast(events, "Hospital not found.")


# --- 5. admins -------------------------------------------------------------------------------


async def test_admin_creates_admins_with_generated_or_typed_passwords(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = make_client(users.admin, url="/admin/admins")
    await client.call(AdminAdminsState, "load")
    state = await client.state(AdminAdminsState)
    assert [a["email"] for a in state.items] == ["admin@example.com"]
    assert state.me == str(users.admin.id)
    assert PASSWORD_HASH not in repr(await values(client, AdminAdminsState))

    form = {"name": "Kiran Rao", "email": "kiran@example.in", "phone": "9845077777"}
    events = await client.call(AdminAdminsState, "create", form_data=form)
    assert has_toast(events, "Kiran Rao is now an administrator.")
    secret = state.created["password"]
    with fresh_session() as db:
        kiran = db.exec(select(User).where(User.email == "kiran@example.in")).one()
    assert kiran.role == Role.ADMIN and verify_password(secret, kiran.password_hash)
    assert len(state.items) == 2
    await client.call(AdminAdminsState, "load")
    assert state.created == {} and secret not in repr(await values(client, AdminAdminsState))

    typed = {
        **form,
        "email": "lata@example.in",
        "password": "Typed#Pass1",
        "confirm_password": "Typed#Pass1",
    }
    await client.call(AdminAdminsState, "create", form_data=typed)
    assert state.created == {"name": "Kiran Rao", "email": "lata@example.in", "password": ""}
    await client.call(AdminAdminsState, "create", form_data={**typed, "email": "kiran@EXAMPLE.in"})
    assert state.errors == {"email": "An account or doctor with this email already exists"}
    await client.call(
        AdminAdminsState,
        "create",
        form_data={**typed, "role": "patient", "email": "m@ex.in", "password": "short"},
    )
    assert set(state.errors) == {"password", "confirm_password"}


async def test_admin_deactivates_and_reactivates_another_admin(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    session: Session,
    fresh_session: FreshSession,
) -> None:
    kiran = User(
        role=Role.ADMIN, name="Kiran Rao", email="kiran@example.in", password_hash=PASSWORD_HASH
    )
    session.add(kiran)
    session.commit()
    kirans_tab = make_client(kiran, url="/admin/admins")
    client = make_client(users.admin, url="/admin/admins")
    await client.call(AdminAdminsState, "load")
    state = await client.state(AdminAdminsState)
    assert {a["email"]: a["is_active"] for a in state.items} == {
        "admin@example.com": "true",
        "kiran@example.in": "true",
    }
    for crafted in (
        {"admin_id": str(users.admin.id)},  # yourself
        {"admin_id": str(users.patient.id)},  # not an admin, not listed
        {"admin_id": {"id": kiran.id}},
        {"admin_id": [kiran.id]},
        {"admin_id": "'; drop table users"},
        "not a form",
        None,
    ):
        events = await client.call(AdminAdminsState, "deactivate", form_data=crafted)
        assert toasts(events) and not has_toast(events, "Kiran Rao is deactivated"), crafted
    with fresh_session() as db:
        assert all(u.is_active for u in db.exec(select(User)).all())

    events = await client.call(
        AdminAdminsState, "deactivate", form_data={"admin_id": str(kiran.id), "reason": "Left"}
    )

    assert has_toast(events, "Kiran Rao is deactivated and signed out everywhere.")
    assert {a["email"]: a["is_active"] for a in state.items}["kiran@example.in"] == "false"
    with fresh_session() as db:
        assert db.get(User, kiran.id).is_active is False
        assert [s.revoked_reason for s in sessions_of(db, kiran)] == ["admin_deactivated"]
        [event] = db.exec(select(AuditEvent).where(AuditEvent.action == "admin_deactivated")).all()
        assert (event.reason, event.actor_user_id) == ("Left", users.admin.id)
    # Kiran's open tab is signed out: the next admin event sends it to sign in.
    assert redirects(await kirans_tab.call(AdminAdminsState, "load")) == [
        "/admin/login?next=%2Fadmin%2Fadmins"
    ]

    for crafted_id in (None, {"id": kiran.id}, "abc", True):
        events = await client.call(AdminAdminsState, "reactivate", admin_id=crafted_id)
        assert not has_toast(events, "Kiran Rao is active again and can sign in.")
    events = await client.call(AdminAdminsState, "reactivate", admin_id=kiran.id)
    assert has_toast(events, "Kiran Rao is active again and can sign in.")
    with fresh_session() as db:
        assert db.get(User, kiran.id).is_active is True
