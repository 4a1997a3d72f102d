"""My appointments' three tabs and the payment wording, as the patient's tab gets them:
upcoming, past (the visit's time has passed) and cancelled (called off, or a hold that
lapsed unpaid), each opened from the URL or switched to; another patient sees none of it.

Patient A (``users.patient``) has a Pay-at-Clinic visit ahead, one cancelled for later this
week, a hold that lapsed unpaid, a completed Pay-at-Clinic visit not yet recorded as paid
and a paid visit already over; patient B has one cancelled visit of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, AppointmentStatus, AuditEvent, Payment
from healthcareplus.ui.patient.appointments_state import AppointmentDetailState, AppointmentsState
from tests.factories import create_appointment, create_doctor, local, settle_payment
from tests.ui.harness import Client, Users, set_page

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))


@dataclass
class Visits:
    ahead: str  # Pay at Clinic, in three days
    called_off: str  # Pay at Clinic, cancelled, in five days
    lapsed: str  # a hold for the day after tomorrow that ran out unpaid
    done: str  # Pay at Clinic, completed two days ago, not yet recorded as paid
    over: str  # paid by UPI, three days ago, still marked confirmed
    theirs: str  # patient B's, cancelled


@pytest.fixture
def visits(session: Session, users: Users) -> Visits:
    now = utcnow()
    today = clinic_today(now)
    doctor = create_doctor(session, name="Dr. Kavya Menon", schedule=EVERY_DAY)

    def visit(days: int, status: str, method: str | None, paid: str = "Pending", **kw: Any) -> str:
        made = create_appointment(
            session,
            doctor=doctor,
            patient=kw.pop("who", users.patient),
            start_at=local(today + timedelta(days=days), "10:00"),
            minutes=30,
            status=status,
            **kw,
        )
        if method:
            settle_payment(session, made, method=method, status=paid)
        return made.id

    made = Visits(
        ahead=visit(3, AppointmentStatus.CONFIRMED, "pay_at_clinic"),
        called_off=visit(5, AppointmentStatus.CANCELLED, "pay_at_clinic"),
        lapsed=visit(
            2,
            AppointmentStatus.PENDING_PAYMENT,
            None,
            hold_expires_at=now - timedelta(minutes=1),
        ),
        done=visit(-2, AppointmentStatus.COMPLETED, "pay_at_clinic"),
        over=visit(-3, AppointmentStatus.CONFIRMED, "upi", paid="Success"),
        theirs=visit(4, AppointmentStatus.CANCELLED, "pay_at_clinic", who=users.other_patient),
    )
    session.commit()
    return made


def db_rows(fresh_session: FreshSession) -> dict[str, list[dict[str, Any]]]:
    with fresh_session() as db:
        return {
            t.__name__: [r.model_dump() for r in db.exec(select(t).order_by(t.id)).all()]
            for t in (Appointment, Payment, AuditEvent)
        }


def listed(state: Any) -> list[tuple[str, str]]:
    return [(item["id"], item["payment_label"]) for item in state.items]


async def test_each_tab_lists_its_own_with_honest_payment_wording(
    make_client: MakeClient, users: Users, visits: Visits, fresh_session: FreshSession
) -> None:
    rows_before = db_rows(fresh_session)
    client = make_client(users.patient, url="/appointments")
    await client.call(AppointmentsState, "load")
    state = await client.state(AppointmentsState)
    assert state.tab == "upcoming"
    assert listed(state) == [(visits.ahead, "Pay at the clinic")]

    await client.call(AppointmentsState, "switch_tab", tab="past")
    assert state.tab == "past"
    assert listed(state) == [(visits.done, "Due at the clinic"), (visits.over, "Paid")]

    await client.call(AppointmentsState, "switch_tab", tab="cancelled")
    assert state.tab == "cancelled"
    assert listed(state) == [(visits.called_off, "Not charged"), (visits.lapsed, "Not charged")]
    assert [item["time_status"] for item in state.items] == ["cancelled", "expired"]
    # The ledger's own status is unchanged: only the wording is the patient's.
    assert state.items[0]["payment_status"] == "Pending"
    assert db_rows(fresh_session) == rows_before


@pytest.mark.parametrize(
    ("query", "tab"),
    [
        ("?tab=cancelled", "cancelled"),
        ("?tab=past", "past"),
        ("?tab=upcoming", "upcoming"),
        ("", "upcoming"),
        ("?tab=Cancelled", "upcoming"),
        ("?tab=all", "upcoming"),
        ("?tab=cancelled%00", "upcoming"),
    ],
)
async def test_the_url_opens_its_tab(
    make_client: MakeClient, users: Users, visits: Visits, query: str, tab: str
) -> None:
    client = make_client(users.patient, url="/appointments" + query)
    await client.call(AppointmentsState, "load")
    state = await client.state(AppointmentsState)
    expected = {
        "upcoming": [visits.ahead],
        "past": [visits.done, visits.over],
        "cancelled": [visits.called_off, visits.lapsed],
    }[tab]
    assert (state.tab, [item["id"] for item in state.items]) == (tab, expected)


async def test_the_detail_page_says_not_charged_for_a_cancelled_clinic_visit(
    make_client: MakeClient, users: Users, visits: Visits
) -> None:
    client = make_client(users.patient, url=f"/appointments/{visits.called_off}")
    await client.call(AppointmentDetailState, "load")
    detail = await client.state(AppointmentDetailState)
    assert (detail.item["time_status"], detail.item["payment_label"]) == (
        "cancelled",
        "Not charged",
    )
    set_page(client.root, f"/appointments/{visits.ahead}")
    await client.call(AppointmentDetailState, "load")
    assert detail.item["payment_label"] == "Pay at the clinic"


async def test_another_patient_sees_only_their_own_in_every_tab(
    make_client: MakeClient, users: Users, visits: Visits, fresh_session: FreshSession
) -> None:
    rows_before = db_rows(fresh_session)
    other = make_client(users.other_patient, url="/appointments?tab=cancelled")
    await other.call(AppointmentsState, "load")
    state = await other.state(AppointmentsState)
    assert listed(state) == [(visits.theirs, "Not charged")]
    for tab in ("upcoming", "past"):
        await other.call(AppointmentsState, "switch_tab", tab=tab)
        assert (state.tab, state.items) == (tab, [])
    # A's cancelled visit by its id, in the list and on its page: nothing.
    events = await other.call(AppointmentsState, "cancel", appointment_id=visits.ahead)
    assert events and state.items == []
    set_page(other.root, f"/appointments/{visits.called_off}")
    await other.call(AppointmentDetailState, "load")
    detail = await other.state(AppointmentDetailState)
    assert (detail.not_found, detail.item) == (True, {})
    assert db_rows(fresh_session) == rows_before


async def test_an_open_list_shows_the_clinics_cancellation_without_a_reload(
    make_client: MakeClient, users: Users, visits: Visits, session: Session
) -> None:
    from healthcareplus.domain.admin.actions import cancel_appointment

    client = make_client(users.patient, url="/appointments")
    await client.call(AppointmentsState, "load")
    state = await client.state(AppointmentsState)
    assert listed(state) == [(visits.ahead, "Pay at the clinic")]
    state.items = [{"id": "stale"}]  # proves whether a tick reads the list again
    await client.call(AppointmentsState, "tick")
    assert state.items == [{"id": "stale"}]  # nothing changed: no reading at all

    cancel_appointment(
        session, appointment_id=visits.ahead, admin_id=users.admin.id,
        reason="Doctor on leave", now=utcnow(),
    )  # fmt: skip
    session.commit()
    await client.call(AppointmentsState, "tick")
    assert state.items == []  # the upcoming tab is now empty

    await client.call(AppointmentsState, "switch_tab", tab="cancelled")
    assert visits.ahead in [item["id"] for item in state.items]
