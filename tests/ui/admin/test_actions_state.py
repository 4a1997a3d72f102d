"""AdminActionsState (the four admin actions) and AdminActionDialogState (the cancel and
refund dialogs they run from) as the page sends them and as a crafted browser could (any
caller, any arguments).

The clinic: one doctor working every day 08:00-20:00 in 30-minute slots; yesterday a
Pay-at-Clinic visit (10:00) and a UPI-paid visit (11:00), both booked through the services
two days ago; in three days a UPI-paid visit.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from reflex_base.event import Event
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, AuditEvent, Payment, TimeOff
from healthcareplus.ui.admin.action_dialog_state import AdminActionDialogState
from healthcareplus.ui.admin.actions_state import AdminActionsState
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from tests.factories import create_booking, create_doctor, local
from tests.ui.harness import Client, Users, has_toast, redirects, toasts

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))
TIMETABLE = "/admin/timetable?doctor=1&date=2026-11-23"
NOT_FOUND = "Appointment not found."
SIGN_IN = "Please sign in to continue."
NO_ACCESS = "You do not have access to that page."
HANDLERS = (
    "open_dialog",
    "dialog_changed",
    "cancel",
    "refund",
    "submit_dialog",
    "mark_no_show",
    "mark_paid",
)
DIALOG_HANDLERS = ("open_dialog", "dialog_changed")


@dataclass
class Clinic:
    clinic_visit: Appointment  # yesterday, Pay at Clinic, confirmed, payment Pending
    paid_visit: Appointment  # yesterday, paid by UPI
    future_visit: Appointment  # in three days, paid by UPI


@pytest.fixture
def clinic(session: Session, users: Users) -> Clinic:
    today = clinic_today(utcnow())
    yesterday = today - timedelta(days=1)
    doctor = create_doctor(session, name="Dr. Kavya Menon", fee_paise=70_000, schedule=EVERY_DAY)
    booked = local(yesterday - timedelta(days=1), "09:00")
    return Clinic(
        clinic_visit=create_booking(
            session,
            doctor=doctor,
            patient=users.patient,
            start_at=local(yesterday, "10:00"),
            now=booked,
            method="pay_at_clinic",
        ),
        paid_visit=create_booking(
            session,
            doctor=doctor,
            patient=users.other_patient,
            start_at=local(yesterday, "11:00"),
            now=booked,
        ),
        future_visit=create_booking(
            session,
            doctor=doctor,
            patient=users.patient,
            start_at=local(today + timedelta(days=3), "10:00"),
            now=utcnow(),
        ),
    )


def db_rows(fresh_session: FreshSession) -> dict[str, list[dict[str, Any]]]:
    with fresh_session() as db:
        return {
            t.__name__: [r.model_dump() for r in db.exec(select(t).order_by(t.id)).all()]
            for t in (Appointment, Payment, AuditEvent, TimeOff)
        }


def appointment(fresh_session: FreshSession, appointment_id: str) -> Appointment:
    with fresh_session() as db:
        row = db.get(Appointment, appointment_id)
        assert row is not None
        return row


def audit_actions(fresh_session: FreshSession, appointment_id: str) -> list[tuple[str, int, str]]:
    with fresh_session() as db:
        rows = db.exec(
            select(AuditEvent)
            .where(AuditEvent.appointment_id == appointment_id)
            .order_by(AuditEvent.id)
        ).all()
        return [(e.action, e.actor_user_id, e.reason or "") for e in rows]


def owner(name: str) -> type[AdminActionsState] | type[AdminActionDialogState]:
    """The state whose handler ``name`` is."""
    return AdminActionDialogState if name in DIALOG_HANDLERS else AdminActionsState


async def values(client: Client) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for cls in (AdminActionsState, AdminActionDialogState):
        state = await client.state(cls)
        found.update({f"{cls.__name__}.{n}": state.get_value(n) for n in cls.base_vars})
    return copy.deepcopy(found)


def refreshes(events: list[Event]) -> list[str]:
    return [e.name for e in events if e.name.endswith(".refresh")]


def payload_for(name: str, clinic: Clinic) -> dict[str, Any]:
    """Arguments that would act if the caller were an admin."""
    visit = clinic.clinic_visit.id
    return {
        "open_dialog": {"kind": "cancel", "appointment_id": visit},
        "dialog_changed": {"is_open": False},
        "cancel": {"appointment_id": visit, "form_data": {"reason": "Doctor unavailable"}},
        "refund": {"appointment_id": clinic.paid_visit.id, "form_data": {"reason": "Late"}},
        "submit_dialog": {"form_data": {"reason": "Doctor unavailable"}},
        "mark_no_show": {"appointment_id": visit},
        "mark_paid": {"appointment_id": visit},
    }[name]


def test_the_cases_cover_every_handler() -> None:
    handlers = set(AdminActionsState.event_handlers) | set(AdminActionDialogState.event_handlers)
    assert handlers - {"setvar"} == set(HANDLERS)
    assert set(AdminActionDialogState.event_handlers) - {"setvar"} == set(DIALOG_HANDLERS)


# --- wrong callers -------------------------------------------------------------------------


@pytest.mark.parametrize("primed", [False, True], ids=["fresh", "primed"])
@pytest.mark.parametrize("who", [None, "patient", "doctor"], ids=["anonymous", "patient", "doctor"])
@pytest.mark.parametrize("name", HANDLERS)
async def test_every_handler_redirects_a_wrong_caller_and_changes_nothing(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    fresh_session: FreshSession,
    name: str,
    who: str | None,
    primed: bool,
) -> None:
    client = make_client(getattr(users, who) if who else None, url=TIMETABLE)
    if primed:  # as an admin's tab would be with the cancel dialog open
        state = await client.state(AdminActionDialogState)
        state.dialog, state.error = f"cancel:{clinic.clinic_visit.id}", "Too short"
    before_state, before_rows = await values(client), db_rows(fresh_session)

    events = await client.call(owner(name), name, **payload_for(name, clinic))

    expected = routes.login_url_for(("admin",), TIMETABLE) if who is None else HOME_FOR_ROLE[who]
    assert redirects(events) == [expected]
    assert has_toast(events, SIGN_IN if who is None else NO_ACCESS)
    assert refreshes(events) == []
    assert await values(client) == before_state
    assert db_rows(fresh_session) == before_rows


# --- the admin's actions -------------------------------------------------------------------


async def test_admin_marks_paid_then_no_show_and_the_timetable_refreshes(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = make_client(users.admin, url=TIMETABLE)
    visit = clinic.clinic_visit.id

    events = await client.call(AdminActionsState, "mark_paid", appointment_id=visit)
    paid = appointment(fresh_session, visit)
    assert (paid.payment_status, paid.status) == ("Success", "confirmed")
    assert has_toast(events, f"Marked paid ({paid.transaction_id}).")
    [refresh] = refreshes(events)
    assert "admin_timetable_state" in refresh

    events = await client.call(AdminActionsState, "mark_no_show", appointment_id=visit.upper())
    assert appointment(fresh_session, visit).status == "no_show"
    assert has_toast(events, "Marked as a no-show.")
    assert len(refreshes(events)) == 1
    assert [a[:2] for a in audit_actions(fresh_session, visit)][-2:] == [
        ("marked_paid", users.admin.id),
        ("no_show", users.admin.id),
    ]


async def test_on_another_admin_page_no_timetable_refresh_is_sent(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = make_client(users.admin, url="/admin")
    events = await client.call(
        AdminActionsState, "mark_paid", appointment_id=clinic.clinic_visit.id
    )
    assert appointment(fresh_session, clinic.clinic_visit.id).payment_status == "Success"
    assert refreshes(events) == []
    assert len(toasts(events)) == 1


async def test_cancel_dialog_stays_open_on_a_bad_reason_and_closes_on_success(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = make_client(users.admin, url=TIMETABLE)
    future = clinic.future_visit.id
    state = await client.state(AdminActionDialogState)

    await client.call(AdminActionDialogState, "open_dialog", kind="cancel", appointment_id=future)
    assert (state.dialog, state.error) == (f"cancel:{future}", "")

    before = db_rows(fresh_session)
    events = await client.call(AdminActionsState, "submit_dialog", form_data={"reason": "no"})
    assert state.dialog == f"cancel:{future}"
    assert state.error == "Describe the reason in at least 3 characters."
    assert refreshes(events) == []
    assert db_rows(fresh_session) == before

    events = await client.call(
        AdminActionsState, "submit_dialog", form_data={"reason": "Doctor on leave"}
    )
    assert (state.dialog, state.error) == ("", "")
    assert has_toast(events, "Appointment cancelled. ₹700 refunded to the patient.")
    row = appointment(fresh_session, future)
    assert (row.status, row.payment_status, row.cancel_reason) == (
        "cancelled",
        "Refunded",
        "Doctor on leave",
    )
    assert audit_actions(fresh_session, future)[-1] == (
        "admin_cancelled",
        users.admin.id,
        "Doctor on leave",
    )
    assert len(refreshes(events)) == 1


async def test_refund_and_the_services_refusals_reach_the_admin(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = make_client(users.admin, url=TIMETABLE)
    paid = clinic.paid_visit.id
    events = await client.call(
        AdminActionsState, "refund", appointment_id=paid, form_data={"reason": "Doctor late"}
    )
    assert has_toast(events, "Refunded ₹700 to the patient.")
    assert appointment(fresh_session, paid).payment_status == "Refunded"

    state = await client.state(AdminActionDialogState)
    state.dialog = f"refund:{paid}"
    events = await client.call(
        AdminActionsState, "refund", appointment_id=paid, form_data={"reason": "Again"}
    )
    assert has_toast(events, "Only successful payments can be refunded.")
    assert state.dialog == ""  # closed: the row on screen was out of date
    assert len(refreshes(events)) == 1  # ... so the page is reloaded

    events = await client.call(
        AdminActionsState, "mark_no_show", appointment_id=clinic.future_visit.id
    )
    assert has_toast(
        events, "This appointment has not started yet, so it cannot be marked as a no-show."
    )
    assert appointment(fresh_session, clinic.future_visit.id).status == "confirmed"


# --- crafted arguments ---------------------------------------------------------------------

BAD_IDS = [
    "00000000-0000-4000-8000-000000000000",
    "",
    "x" * 10_000,
    "' OR 1=1 --",
    123,
    None,
    ["00000000-0000-4000-8000-000000000000"],
    {"id": "x"},
]


@pytest.mark.parametrize("name", ["cancel", "refund", "mark_no_show", "mark_paid"])
@pytest.mark.parametrize("bad_id", BAD_IDS, ids=lambda v: type(v).__name__ + str(len(str(v))))
async def test_crafted_appointment_ids_are_refused_harmlessly(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    fresh_session: FreshSession,
    name: str,
    bad_id: Any,
) -> None:
    client = make_client(users.admin, url=TIMETABLE)
    before = db_rows(fresh_session)
    payload: dict[str, Any] = {"appointment_id": bad_id}
    if name in ("cancel", "refund"):
        payload["form_data"] = {"reason": "A valid reason"}
    events = await client.call(AdminActionsState, name, **payload)
    assert has_toast(events, NOT_FOUND)
    # A well-formed id reached the service (NotFound reloads the page); the rest did not.
    assert len(refreshes(events)) == (1 if bad_id == BAD_IDS[0] else 0)
    assert db_rows(fresh_session) == before


@pytest.mark.parametrize(
    ("form_data", "message"),
    [
        ("Doctor unavailable", "Please give a reason for the cancellation."),
        (None, "Please give a reason for the cancellation."),
        (["Doctor unavailable"], "Please give a reason for the cancellation."),
        ({"reason": 42}, "Please give a reason for the cancellation."),
        ({"reason": "r" * 10_000}, "Keep the reason under 500 characters."),
        ({"other": "Doctor unavailable"}, "Please give a reason for the cancellation."),
    ],
)
async def test_crafted_forms_are_refused_harmlessly(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    fresh_session: FreshSession,
    form_data: Any,
    message: str,
) -> None:
    client = make_client(users.admin, url=TIMETABLE)
    before = db_rows(fresh_session)
    events = await client.call(
        AdminActionsState, "cancel", appointment_id=clinic.future_visit.id, form_data=form_data
    )
    assert has_toast(events, message)
    assert (await client.state(AdminActionDialogState)).error == message
    assert db_rows(fresh_session) == before


@pytest.mark.parametrize(
    ("kind", "appointment_id"),
    [("delete", "ok"), ("cancel", "not-an-id"), (None, "ok"), (["cancel"], "ok"), ("cancel", 7)],
)
async def test_crafted_dialog_keys_are_ignored(
    make_client: MakeClient, users: Users, clinic: Clinic, kind: Any, appointment_id: Any
) -> None:
    client = make_client(users.admin, url=TIMETABLE)
    target = clinic.clinic_visit.id if appointment_id == "ok" else appointment_id
    await client.call(AdminActionDialogState, "open_dialog", kind=kind, appointment_id=target)
    assert (await client.state(AdminActionDialogState)).dialog == ""


async def test_dialog_closes_only_on_a_close_signal(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    client = make_client(users.admin, url=TIMETABLE)
    state = await client.state(AdminActionDialogState)
    await client.call(
        AdminActionDialogState, "open_dialog", kind="refund", appointment_id=clinic.paid_visit.id
    )
    await client.call(AdminActionDialogState, "dialog_changed", is_open=True)
    assert state.dialog == f"refund:{clinic.paid_visit.id}"
    await client.call(AdminActionDialogState, "dialog_changed", is_open="false")
    assert state.dialog == ""


async def test_a_deactivated_admin_is_refused_even_with_a_live_session(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = make_client(users.admin, url=TIMETABLE)
    with fresh_session() as db:
        admin = db.get(type(users.admin), users.admin.id)
        assert admin is not None
        admin.is_active = False
        db.add(admin)
        db.commit()
    before = db_rows(fresh_session)
    events = await client.call(
        AdminActionsState, "mark_paid", appointment_id=clinic.clinic_visit.id
    )
    assert redirects(events) == [routes.login_url_for(("admin",), TIMETABLE)]
    assert db_rows(fresh_session) == before


async def test_submit_dialog_acts_only_on_the_dialog_the_server_opened(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = make_client(users.admin, url=TIMETABLE)
    before = db_rows(fresh_session)
    form = {"reason": "Doctor unavailable", "appointment_id": clinic.future_visit.id}
    assert await client.call(AdminActionsState, "submit_dialog", form_data=form) == []
    assert db_rows(fresh_session) == before

    await client.call(
        AdminActionDialogState, "open_dialog", kind="refund", appointment_id=clinic.paid_visit.id
    )
    events = await client.call(AdminActionsState, "submit_dialog", form_data=form)
    assert has_toast(events, "Refunded ₹700 to the patient.")
    assert appointment(fresh_session, clinic.paid_visit.id).payment_status == "Refunded"
    assert appointment(fresh_session, clinic.future_visit.id).status == "confirmed"
