"""The doctor portal's states, driven as the doctor's browser would and as a crafted one
could: wrong roles are sent away, a doctor only ever reaches their own practice, and the
patient sees the record and prescription of a completed visit.

The clinic: Dr. Dev Iyer (linked to ``users.doctor``) works every day 08:00-20:00 in
30-minute slots. Patient A (``users.patient``) has a visit that started half an hour ago
and a paid visit in three days; Dr. Rao, another doctor, has a visit of patient A too.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import reflex as rx
from reflex.state import BaseState
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import (
    Appointment,
    AuditEvent,
    Doctor,
    DoctorSchedule,
    Payment,
    PrescriptionItem,
    QueueEntry,
    TimeOff,
    Treatment,
)
from healthcareplus.domain.clinical.doctor_queue import NOBODY_WAITING
from healthcareplus.domain.scheduling.schedules import MISSING_DAY
from healthcareplus.ui.doctor.appointments_state import DoctorAppointmentsState
from healthcareplus.ui.doctor.patients_state import DoctorPatientHistoryState, DoctorPatientsState
from healthcareplus.ui.doctor.photo_state import DoctorOwnPhotoState
from healthcareplus.ui.doctor.portal_state import DoctorPortalState
from healthcareplus.ui.doctor.profile_state import DoctorOwnProfileState
from healthcareplus.ui.doctor.report_state import DoctorReportState
from healthcareplus.ui.doctor.requests_state import DoctorBookingSettingState, DoctorRequestsState
from healthcareplus.ui.doctor.reviews_state import DoctorReviewsState
from healthcareplus.ui.doctor.schedule_state import DoctorScheduleState
from healthcareplus.ui.doctor.time_off_state import DoctorTimeOffState
from healthcareplus.ui.doctor.visit_state import DoctorVisitState
from healthcareplus.ui.patient.appointments_state import AppointmentDetailState
from tests.factories import (
    create_appointment,
    create_doctor,
    create_time_off,
    link_doctor_user,
    local,
    settle_payment,
)
from tests.ui.harness import Client, Users, downloads, has_toast, redirects, set_page, toasts

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))
SIGN_IN_PLEASE = "Please sign in to continue."
NO_ACCESS = "You do not have access to that page."
NOT_FOUND = "Appointment not found."


@dataclass
class Practice:
    doctor: Doctor
    other: Doctor
    today: date
    started: Appointment  # patient A, began 30 minutes ago, confirmed
    ahead: Appointment  # patient A, in three days at 10:00, paid
    theirs: Appointment  # patient A with the other doctor, began 30 minutes ago
    their_time_off: TimeOff

    def visit_path(self, appointment: Appointment) -> str:
        return routes.doctor_visit_url(appointment.id)


@pytest.fixture
def practice(session: Session, users: Users) -> Practice:
    now = utcnow()
    today = clinic_today(now)
    doctor = create_doctor(session, name="Dr. Dev Iyer", schedule=EVERY_DAY)
    doctor.user_id = users.doctor.id
    session.add(doctor)
    other = create_doctor(session, name="Dr. Rao", schedule=EVERY_DAY)
    link_doctor_user(session, other)
    started_at = now.replace(second=0, microsecond=0) - timedelta(minutes=30)
    started = create_appointment(
        session, doctor=doctor, patient=users.patient, start_at=started_at, minutes=30
    )
    ahead = create_appointment(
        session,
        doctor=doctor,
        patient=users.patient,
        start_at=local(today + timedelta(days=3), "10:00"),
        minutes=30,
        reason="Follow-up",
    )
    settle_payment(session, ahead)
    theirs = create_appointment(
        session, doctor=other, patient=users.patient, start_at=started_at, minutes=30
    )
    their_time_off = create_time_off(
        session,
        doctor=other,
        start_at=local(today + timedelta(days=5), "08:00"),
        end_at=local(today + timedelta(days=5), "12:00"),
    )
    session.commit()
    return Practice(doctor, other, today, started, ahead, theirs, their_time_off)


# --- helpers -------------------------------------------------------------------------------


def db_rows(fresh_session: FreshSession) -> dict[str, list[dict[str, Any]]]:
    tables = (Appointment, Payment, AuditEvent, DoctorSchedule, TimeOff, Treatment)
    with fresh_session() as db:
        return {
            t.__name__: [r.model_dump() for r in db.exec(select(t).order_by(t.id)).all()]
            for t in (*tables, PrescriptionItem)
        }


def row(fresh_session: FreshSession, appointment_id: str) -> Appointment:
    with fresh_session() as db:
        found = db.get(Appointment, appointment_id)
        assert found is not None
        return found


async def values(client: Client, cls: type[BaseState]) -> dict[str, Any]:
    state = await client.state(cls)
    return copy.deepcopy({name: state.get_value(name) for name in cls.base_vars})


def defaults(cls: type[BaseState]) -> dict[str, Any]:
    state = rx.State().get_substate(cls._get_substate_path())
    return copy.deepcopy({name: state.get_value(name) for name in cls.base_vars})


def pdf_of(download: dict[str, str]) -> bytes:
    header, _, body = download["url"].partition(",")
    assert header == "data:application/pdf;base64"
    return base64.b64decode(body)


def week_form(hours: str = "08:00-20:00", slot: str = "30") -> dict[str, str]:
    return {f"hours-{d}": hours for d in range(7)} | {f"slot-{d}": slot for d in range(7)}


# --- 1. every handler refuses anonymous visitors, patients and admins ---------------------

ALL_HANDLERS: dict[type[BaseState], tuple[str, ...]] = {
    DoctorPortalState: ("load", "tick", "call_next"),
    DoctorScheduleState: ("load", "save", "confirm", "dismiss"),
    DoctorTimeOffState: ("load", "set_kind", "add", "confirm", "dismiss", "remove"),
    DoctorVisitState: (
        "load",
        "add_line",
        "remove_line",
        "save",
        "complete",
        "no_show",
        "cancel",
        "record_payment",
        "download_prescription",
    ),
    DoctorOwnProfileState: ("load", "save", "request_fee", "withdraw_fee"),
    DoctorReportState: ("load", "choose_month", "download_month"),
    DoctorReviewsState: ("load", "go_to_page", "start_reply", "close_reply", "reply"),
    DoctorAppointmentsState: (
        "load",
        "search",
        "clear_search",
        "set_scope",
        "go_to_page",
        "set_view",
        "show_week",
    ),
    DoctorPatientsState: ("load", "search", "clear_search", "go_to_page"),
    DoctorPatientHistoryState: ("load",),
    DoctorOwnPhotoState: ("load", "upload", "remove"),
    DoctorRequestsState: ("load", "tick", "accept", "start_decline", "close_decline", "decline"),
    DoctorBookingSettingState: ("load", "set_confirms"),
}
HANDLER_CASES = [(cls, name) for cls, names in ALL_HANDLERS.items() for name in names]


def test_the_cases_cover_every_handler_of_the_doctor_states() -> None:
    for cls, names in ALL_HANDLERS.items():
        assert set(cls.event_handlers) - {"setvar"} == set(names), cls.__name__


def page_of(cls: type[BaseState], practice: Practice) -> str:
    if cls is DoctorVisitState:
        return practice.visit_path(practice.started)
    if cls is DoctorOwnProfileState:
        return routes.DOCTOR_PROFILE
    if cls is DoctorReportState:
        return routes.DOCTOR_REPORTS
    if cls is DoctorReviewsState:
        return routes.DOCTOR_REVIEWS
    if cls is DoctorAppointmentsState:
        return routes.DOCTOR_APPOINTMENTS
    if cls is DoctorPatientsState:
        return routes.DOCTOR_PATIENTS
    if cls is DoctorPatientHistoryState:
        return routes.doctor_patient_url(practice.started.patient_id)
    if cls in (DoctorOwnPhotoState, DoctorBookingSettingState):
        return routes.DOCTOR_PROFILE
    if cls is DoctorRequestsState:
        return routes.DOCTOR_PORTAL
    return routes.DOCTOR_SCHEDULE if cls is not DoctorPortalState else routes.DOCTOR_PORTAL


def payload_for(name: str, practice: Practice) -> dict[str, Any]:
    return {
        "tick": {"_moment": "2026-11-23T10:00:00"},
        "save": {"form": week_form("") | {"diagnosis": "Flu", "visit_type": "consultation"}},
        "confirm": {"form": {"cancel_reason": "Closed"}},
        "set_kind": {"kind": "day"},
        "add": {"form": {"date_from": (practice.today + timedelta(days=1)).isoformat()}},
        "remove": {"time_off_id": practice.their_time_off.id},
        "remove_line": {"line": "0"},
        "cancel": {"form": {"reason": "Called away"}},
        "request_fee": {"form": {"fee_rupees": "900", "reason": "More hours"}},
        "choose_month": {"month": "2026-03"},
        "download_month": {"fmt": "csv"},
        "go_to_page": {"page": 1},
        "start_reply": {"review_id": "1"},
        "reply": {"form_data": {"reply": "Thank you"}},
        "search": {"form": {"q": "Asha", "status": "confirmed"}},
        "set_scope": {"scope": "past"},
        "set_view": {"view": "week"},
        "show_week": {"start": practice.today.isoformat()},
        "upload": {"files": []},
        "accept": {"appointment_id": practice.ahead.id},
        "start_decline": {"appointment_id": practice.ahead.id},
        "decline": {"form": {"reason": "On leave"}},
        "set_confirms": {"on": True},
    }.get(name, {})


async def prime(client: Client, cls: type[BaseState], practice: Practice) -> None:
    """Fill the state as the doctor's tab would have it, so an unguarded body would act."""
    state = await client.state(cls)
    if cls is DoctorOwnPhotoState:
        state.photo = {"name": "Dr. Dev Iyer", "initials": "DI", "photo_url": ""}
    else:
        state.loaded = True
    if cls is DoctorReportState:
        state.month = "2026-03"  # a download would otherwise have a month to fetch
    if cls is DoctorReviewsState:
        state.rows, state.replying = [{"id": "1", "reply": ""}], "1"
    if cls is DoctorRequestsState:
        row = {"appointment_id": practice.ahead.id, "patient": "A", "when": "soon"}
        state.rows, state.declining = [row], row
    if cls is DoctorVisitState:
        state.visit = {"appointment_id": practice.started.id, "can_complete": "true"}
        state.lines = [
            {"i": "0", "n": "1", "medicine": "", "dose": "", "frequency": "", "duration": ""}
        ]
    elif cls is DoctorScheduleState:
        state._pending, state._pending_ids = [], [practice.ahead.id]
    elif cls is DoctorTimeOffState:
        day = practice.today + timedelta(days=3)
        state._pending_span = [local(day, "08:00").isoformat(), local(day, "20:00").isoformat()]
        state._pending_ids, state.pending_reason = [practice.ahead.id], "Leave"


@pytest.mark.parametrize("primed", [False, True], ids=["fresh", "primed"])
@pytest.mark.parametrize("who", [None, "patient", "admin"], ids=["anonymous", "patient", "admin"])
@pytest.mark.parametrize(
    ("cls", "name"), HANDLER_CASES, ids=[f"{c.__name__}.{n}" for c, n in HANDLER_CASES]
)
async def test_every_handler_redirects_a_wrong_caller_and_changes_nothing(
    make_client: MakeClient,
    users: Users,
    practice: Practice,
    fresh_session: FreshSession,
    cls: type[BaseState],
    name: str,
    who: str | None,
    primed: bool,
) -> None:
    path = page_of(cls, practice)
    client = make_client(getattr(users, who) if who else None, url=path)
    if primed:
        await prime(client, cls, practice)
    state_before, rows_before = await values(client, cls), db_rows(fresh_session)

    events = await client.call(cls, name, **payload_for(name, practice))

    login = "/login?next=" + path.replace("/", "%2F")
    assert redirects(events) == [{None: login, "patient": "/", "admin": "/admin"}[who]]
    assert has_toast(events, SIGN_IN_PLEASE if who is None else NO_ACCESS)
    assert downloads(events) == []
    assert await values(client, cls) == state_before
    if not primed:
        assert state_before == defaults(cls)
    assert db_rows(fresh_session) == rows_before


async def test_a_doctor_account_without_a_practice_sees_a_message_and_changes_nothing(
    make_client: MakeClient, users: Users, practice: Practice, fresh_session: FreshSession
) -> None:
    with fresh_session() as db:  # unlink the doctor profile
        doctor = db.get(Doctor, practice.doctor.id)
        assert doctor is not None
        doctor.user_id = None
        db.add(doctor)
        db.commit()
    rows_before = db_rows(fresh_session)
    client = make_client(users.doctor, url=routes.DOCTOR_PORTAL)

    assert await client.call(DoctorPortalState, "load") == []
    portal = await client.state(DoctorPortalState)
    assert portal.error.startswith("Only a doctor with a practice profile")
    assert (portal.today, portal.counts) == ([], {})

    set_page(client.root, routes.DOCTOR_SCHEDULE)
    await client.call(DoctorScheduleState, "load")
    assert (await client.state(DoctorScheduleState)).week == []
    events = await client.call(DoctorScheduleState, "save", form=week_form(""))
    assert has_toast(events, portal.error)

    set_page(client.root, practice.visit_path(practice.started))
    await client.call(DoctorVisitState, "load")
    visit = await client.state(DoctorVisitState)
    assert (visit.visit, visit.patient, visit.error != "") == ({}, {}, True)
    visit.visit = {"appointment_id": practice.started.id}  # as a crafted tab would have it
    for name in ("complete", "no_show", "record_payment", "download_prescription"):
        events = await client.call(DoctorVisitState, name)
        assert toasts(events) and downloads(events) == []
    assert db_rows(fresh_session) == rows_before


# --- 2. a doctor never reaches another doctor's appointments ------------------------------


async def test_another_doctors_visit_is_not_found_whatever_the_tab_holds(
    make_client: MakeClient, users: Users, practice: Practice, fresh_session: FreshSession
) -> None:
    rows_before = db_rows(fresh_session)
    client = make_client(users.doctor, url=practice.visit_path(practice.theirs))

    await client.call(DoctorVisitState, "load")
    state = await client.state(DoctorVisitState)
    assert (state.loaded, state.not_found, state.visit, state.patient) == (True, True, {}, {})

    actions = {
        "complete": {},
        "no_show": {},
        "record_payment": {},
        "cancel": {"form": {"reason": "Called away"}},
        "save": {"form": {"visit_type": "consultation", "diagnosis": "Forged", "medicine-0": "X"}},
        "download_prescription": {},
    }
    for name, payload in actions.items():
        state.visit = {"appointment_id": practice.theirs.id}  # a crafted tab
        state.lines = [{"i": "0", "n": "1"}]
        events = await client.call(DoctorVisitState, name, **payload)
        assert downloads(events) == []
        assert has_toast(events, NOT_FOUND) or toasts(events), name
        assert state.patient == {} and state.history == []
    for crafted in ("../admin", "x" * 300, "00000000-0000-4000-8000-000000000000"):
        set_page(client.root, routes.doctor_visit_url(crafted))
        await client.call(DoctorVisitState, "load")
        assert state.not_found is True
    assert db_rows(fresh_session) == rows_before


@pytest.mark.parametrize("form", [{}, {"slot-0": "15"}, {"hours-0": "09:00-13:00", "slot-0": "15"}])
async def test_a_form_without_the_days_never_wipes_the_week(
    make_client: MakeClient,
    users: Users,
    practice: Practice,
    fresh_session: FreshSession,
    form: dict[str, str],
) -> None:
    """A crafted save with hour fields missing once read as "closed all week"."""
    client = make_client(users.doctor, url=routes.DOCTOR_SCHEDULE)
    await client.call(DoctorScheduleState, "load")
    rows_before = db_rows(fresh_session)

    await client.call(DoctorScheduleState, "save", form=form)

    week = await client.state(DoctorScheduleState)
    assert set(week.errors.values()) == {MISSING_DAY}
    assert db_rows(fresh_session) == rows_before
    own = [b for b in rows_before["DoctorSchedule"] if b["doctor_id"] == practice.doctor.id]
    assert len(own) == 7


async def test_crafted_schedule_and_time_off_arguments(
    make_client: MakeClient, users: Users, practice: Practice, fresh_session: FreshSession
) -> None:
    client = make_client(users.doctor, url=routes.DOCTOR_SCHEDULE)
    await client.call(DoctorScheduleState, "load")
    await client.call(DoctorTimeOffState, "load")
    rows_before = db_rows(fresh_session)
    week = await client.state(DoctorScheduleState)
    off = await client.state(DoctorTimeOffState)

    for time_off_id in (practice.their_time_off.id, "abc", -1, None, 10**12, [1], {"id": 1}):
        events = await client.call(DoctorTimeOffState, "remove", time_off_id=time_off_id)
        assert has_toast(events, "Time off not found.")
    for kind in ("week", None, 3, ["day"]):
        await client.call(DoctorTimeOffState, "set_kind", kind=kind)
        assert off.kind == "hours"
    for form in ("hours", None, [("hours-0", "x")]):
        assert await client.call(DoctorScheduleState, "save", form=form) == []
        assert (week.errors, week.affected) == ({}, [])
        assert await client.call(DoctorTimeOffState, "add", form=form) == []
        assert off.errors == {"date_from": "Choose a date."}
    closed = {f"hours-{day}": "" for day in range(7)}
    await client.call(
        DoctorScheduleState, "save", form={**closed, "hours-0": "all day", "slot-0": "15"}
    )
    assert week.errors == {"day-0": "Write the hours like 09:00-13:00, 14:00-18:00"}
    await client.call(
        DoctorScheduleState, "save", form={**closed, "hours-1": "05:00-09:00", "slot-1": "7"}
    )
    assert week.errors == {"day-1": "Choose a slot length of 10, 15, 20 or 30 minutes"}
    # Nothing is waiting for confirmation: a crafted confirm does nothing.
    assert await client.call(DoctorScheduleState, "confirm", form={"cancel_reason": "x"}) == []
    assert await client.call(DoctorTimeOffState, "confirm", form={"cancel_reason": "x"}) == []
    assert db_rows(fresh_session) == rows_before


# --- 3. the doctor's own practice ---------------------------------------------------------


async def test_dashboard_loads_and_ticks_only_reload_on_change(
    make_client: MakeClient, users: Users, practice: Practice, session: Session
) -> None:
    client = make_client(users.doctor, url=routes.DOCTOR_PORTAL)
    await client.call(DoctorPortalState, "load")
    state = await client.state(DoctorPortalState)
    assert state.doctor["name"] == "Dr. Dev Iyer" and state.error == ""
    listed = [r["appointment_id"] for r in state.today + state.upcoming + state.to_close]
    assert practice.started.id in listed and practice.ahead.id in listed
    assert practice.theirs.id not in listed
    assert state.counts["patients_seen"] == "0"

    state.today = [{"appointment_id": "sentinel"}]  # a tick without changes keeps it
    await client.call(DoctorPortalState, "tick", _moment="tick")
    assert state.today == [{"appointment_id": "sentinel"}]

    new = create_appointment(
        session,
        doctor=practice.doctor,
        patient=users.other_patient,
        start_at=local(practice.today + timedelta(days=2), "11:00"),
        minutes=30,
        booked_at=utcnow(),
    )
    await client.call(DoctorPortalState, "tick", _moment="tick")
    listed = [r["appointment_id"] for r in state.today + state.upcoming]
    assert new.id in listed and "sentinel" not in listed


async def test_schedule_conflict_then_cancel_with_a_reason(
    make_client: MakeClient, users: Users, practice: Practice, fresh_session: FreshSession
) -> None:
    client = make_client(users.doctor, url=routes.DOCTOR_SCHEDULE)
    await client.call(DoctorScheduleState, "load")
    week = await client.state(DoctorScheduleState)
    assert [r["hours"] for r in week.week] == ["08:00-20:00"] * 7

    # Afternoons only: the paid 10:00 visit in three days is in the way.
    events = await client.call(DoctorScheduleState, "save", form=week_form("14:00-20:00"))
    assert events == []
    assert [a["id"] for a in week.affected] == [practice.ahead.id]
    assert week.affected[0]["paid"] == "true"
    assert row(fresh_session, practice.ahead.id).status == "confirmed"

    await client.call(DoctorScheduleState, "confirm", form={"cancel_reason": " "})
    assert "cancel_reason" in week.errors and week.affected != []

    events = await client.call(
        DoctorScheduleState, "confirm", form={"cancel_reason": "Mornings moved to surgery"}
    )
    assert has_toast(
        events, "Weekly hours saved. 1 appointment cancelled; paid ones were refunded."
    )
    cancelled = row(fresh_session, practice.ahead.id)
    assert (cancelled.status, cancelled.payment_status, cancelled.cancel_reason) == (
        "cancelled",
        "Refunded",
        "Mornings moved to surgery",
    )
    assert week.affected == [] and [r["hours"] for r in week.week] == ["14:00-20:00"] * 7


async def test_time_off_added_and_removed(
    make_client: MakeClient, users: Users, practice: Practice, fresh_session: FreshSession
) -> None:
    client = make_client(users.doctor, url=routes.DOCTOR_SCHEDULE)
    await client.call(DoctorTimeOffState, "load")
    off = await client.state(DoctorTimeOffState)
    day = (practice.today + timedelta(days=4)).isoformat()
    form = {"date_from": day, "time_from": "14:00", "time_to": "18:00", "reason": "School day"}

    events = await client.call(DoctorTimeOffState, "add", form=form)

    assert toasts(events) and off.errors == {}
    [entry] = off.entries
    assert entry["label"].endswith("02:00 PM – 06:00 PM") and entry["reason"] == "School day"
    with fresh_session() as db:
        mine = db.exec(select(TimeOff).where(TimeOff.doctor_id == practice.doctor.id)).one()
    assert mine.created_by_user_id == users.doctor.id

    await client.call(DoctorTimeOffState, "set_kind", kind="day")
    day_of_visit = (practice.today + timedelta(days=3)).isoformat()
    await client.call(DoctorTimeOffState, "add", form={"date_from": day_of_visit, "reason": "Ill"})
    assert [a["id"] for a in off.affected] == [practice.ahead.id] and off.pending_reason == "Ill"
    await client.call(DoctorTimeOffState, "dismiss")
    assert off.affected == [] and len(off.entries) == 1

    events = await client.call(DoctorTimeOffState, "remove", time_off_id=entry["id"])
    assert toasts(events) and off.entries == []


async def test_visit_record_completion_and_the_patients_prescription(
    make_client: MakeClient, users: Users, practice: Practice, fresh_session: FreshSession
) -> None:
    client = make_client(users.doctor, url=practice.visit_path(practice.started))
    await client.call(DoctorVisitState, "load")
    visit = await client.state(DoctorVisitState)
    assert (visit.visit["can_complete"], visit.visit["can_treat"]) == ("true", "true")
    assert visit.patient["name"] == "Asha Rao" and visit.record == {}
    assert len(visit.lines) == 1

    await client.call(DoctorVisitState, "add_line")
    events = await client.call(
        DoctorVisitState,
        "save",
        form={"visit_type": "consultation", "diagnosis": "", "medicine-1": "", "dose-1": "1 tab"},
    )
    assert events == [] and set(visit.errors) == {"diagnosis", "medicine-1"}

    form = {
        "visit_type": "follow_up",
        "diagnosis": "Viral fever",
        "notes": "Rest and fluids",
        "medicine-0": "Paracetamol 500 mg",
        "dose-0": "1 tablet",
        "frequency-0": "Thrice a day",
        "duration-0": "5 days",
        "medicine-1": "ORS",
        "medicine-2": "Ignored: there is no third line in this tab",
    }
    events = await client.call(DoctorVisitState, "save", form=form)
    assert has_toast(events, "Treatment record saved.")
    assert visit.record["diagnosis"] == "Viral fever"
    assert [line["medicine"] for line in visit.lines] == ["Paracetamol 500 mg", "ORS"]

    events = await client.call(DoctorVisitState, "complete")
    assert has_toast(events, "Visit marked completed.")
    assert row(fresh_session, practice.started.id).status == "completed"
    assert visit.visit["can_complete"] == "false"
    [doctor_pdf] = downloads(await client.call(DoctorVisitState, "download_prescription"))
    assert pdf_of(doctor_pdf).startswith(b"%PDF-")

    # The patient reads the record and downloads the prescription.
    patient = make_client(users.patient, url=f"/appointments/{practice.started.id}")
    await patient.call(AppointmentDetailState, "load")
    detail = await patient.state(AppointmentDetailState)
    assert (detail.record["visit_type_label"], detail.record["diagnosis"]) == (
        "Follow-up",
        "Viral fever",
    )
    assert [p["medicine"] for p in detail.prescription] == ["Paracetamol 500 mg", "ORS"]
    [download] = downloads(await patient.call(AppointmentDetailState, "download_prescription"))
    assert download["filename"] == f"prescription-{practice.started.id[:8]}.pdf"
    assert pdf_of(download).startswith(b"%PDF-")

    # Another patient gets nothing, even with the appointment id in a crafted tab.
    other = make_client(users.other_patient, url=f"/appointments/{practice.started.id}")
    await other.call(AppointmentDetailState, "load")
    other_detail = await other.state(AppointmentDetailState)
    assert (other_detail.not_found, other_detail.record) == (True, {})
    other_detail.item = {"id": practice.started.id}
    events = await other.call(AppointmentDetailState, "download_prescription")
    assert downloads(events) == [] and toasts(events)


async def test_the_patient_sees_no_record_before_the_visit_is_completed(
    make_client: MakeClient, users: Users, practice: Practice
) -> None:
    doctor = make_client(users.doctor, url=practice.visit_path(practice.started))
    await doctor.call(DoctorVisitState, "load")
    form = {"visit_type": "consultation", "diagnosis": "Migraine", "medicine-0": "Naproxen"}
    await doctor.call(DoctorVisitState, "save", form=form)

    patient = make_client(users.patient, url=f"/appointments/{practice.started.id}")
    await patient.call(AppointmentDetailState, "load")
    detail = await patient.state(AppointmentDetailState)
    assert detail.item["id"] == practice.started.id
    assert (detail.record, detail.prescription) == ({}, [])
    events = await patient.call(AppointmentDetailState, "download_prescription")
    assert downloads(events) == [] and toasts(events)


async def test_cancel_and_no_show_from_the_visit_page(
    make_client: MakeClient, users: Users, practice: Practice, fresh_session: FreshSession
) -> None:
    client = make_client(users.doctor, url=practice.visit_path(practice.ahead))
    await client.call(DoctorVisitState, "load")
    visit = await client.state(DoctorVisitState)
    assert (visit.visit["can_cancel"], visit.visit["can_no_show"]) == ("true", "false")
    events = await client.call(DoctorVisitState, "no_show")
    assert has_toast(
        events, "This appointment has not started yet, so it cannot be marked as a no-show."
    )

    await client.call(DoctorVisitState, "cancel", form={"reason": ""})
    assert "cancel_reason" in visit.errors
    events = await client.call(DoctorVisitState, "cancel", form={"reason": "Conference abroad"})
    assert has_toast(events, "Appointment cancelled. The payment is refunded.")
    assert row(fresh_session, practice.ahead.id).cancel_reason == "Conference abroad"
    assert visit.visit["status"] == "cancelled"

    set_page(client.root, practice.visit_path(practice.started))
    await client.call(DoctorVisitState, "load")
    events = await client.call(DoctorVisitState, "no_show")
    assert has_toast(events, "Marked as a no-show.")
    assert row(fresh_session, practice.started.id).status == "no_show"


async def test_removing_a_prescription_line_keeps_the_others_and_their_inputs(
    make_client: MakeClient, users: Users, practice: Practice
) -> None:
    client = make_client(users.doctor, url=practice.visit_path(practice.started))
    await client.call(DoctorVisitState, "load")
    for _ in range(2):
        await client.call(DoctorVisitState, "add_line")
    visit = await client.state(DoctorVisitState)
    assert [(line["i"], line["n"]) for line in visit.lines] == [("0", "1"), ("1", "2"), ("2", "3")]

    await client.call(DoctorVisitState, "remove_line", line="1")
    visit = await client.state(DoctorVisitState)
    # The rows keep their ids (their inputs' names), and are numbered afresh for the labels.
    assert [(line["i"], line["n"]) for line in visit.lines] == [("0", "1"), ("2", "2")]
    for junk in ("1", "9", "", None, 0, ["0"]):
        await client.call(DoctorVisitState, "remove_line", line=junk)
    visit = await client.state(DoctorVisitState)
    assert [line["i"] for line in visit.lines] == ["0", "2"]
    await client.call(DoctorVisitState, "add_line")  # a new line never reuses an id in use
    visit = await client.state(DoctorVisitState)
    assert [line["i"] for line in visit.lines] == ["0", "2", "3"]

    form = {"visit_type": "consultation", "diagnosis": "Migraine", "medicine-0": "Naproxen"}
    form |= {"medicine-1": "Removed line: not saved", "medicine-2": "Sumatriptan"}
    events = await client.call(DoctorVisitState, "save", form=form)
    assert has_toast(events, "Treatment record saved.")
    visit = await client.state(DoctorVisitState)
    assert [line["medicine"] for line in visit.lines] == ["Naproxen", "Sumatriptan"]

    for line in ("0", "1"):  # removing the last line leaves one empty line to fill in
        await client.call(DoctorVisitState, "remove_line", line=line)
    visit = await client.state(DoctorVisitState)
    assert len(visit.lines) == 1 and visit.lines[0]["medicine"] == ""


async def test_the_doctor_calls_in_the_next_patient_checked_in_at_the_desk(
    make_client: MakeClient, users: Users, practice: Practice, session: Session
) -> None:
    now = utcnow().replace(second=0, microsecond=0)
    arrived = create_appointment(
        session, doctor=practice.doctor, patient=users.other_patient, start_at=now, minutes=30
    )
    session.add(
        QueueEntry(
            appointment_id=arrived.id,
            doctor_id=practice.doctor.id,
            hospital_id=practice.doctor.hospital_id,
            clinic_date=clinic_today(now),
            token=1,
            arrived_at=now,
        )
    )
    session.commit()
    client = make_client(users.doctor, url=routes.DOCTOR_PORTAL)
    await client.call(DoctorPortalState, "load")
    state = await client.state(DoctorPortalState)
    assert state.waiting == 1

    events = await client.call(DoctorPortalState, "call_next")

    assert has_toast(events, f"Token 1: {users.other_patient.name} is called in.")
    row = next(r for r in state.today if r["appointment_id"] == arrived.id)
    assert (row["arrival"], state.waiting) == ("Token 1 · with you", 0)
    events = await client.call(DoctorPortalState, "call_next")
    assert has_toast(events, NOBODY_WAITING)
    session.expire_all()
    entry = session.get(QueueEntry, arrived.id)
    assert entry is not None and entry.stage == "with_doctor"  # nobody next: they stay in
