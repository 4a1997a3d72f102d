"""The dashboard's "Needs attention" list: the admin sees the visits still open after
their start, marks one a no-show from it, and the list drops it at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.ui.admin.actions_state import AdminActionsState
from healthcareplus.ui.admin.attention_state import AdminAttentionState
from healthcareplus.ui.admin.dashboard_state import AdminDashboardState
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from tests.factories import create_appointment, create_doctor
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]


async def test_an_open_visit_is_listed_and_leaves_when_marked_a_no_show(
    session: Session, users: Users, make_client: MakeClient
) -> None:
    doctor = create_doctor(session)
    now = utcnow()
    late = create_appointment(session, doctor=doctor, start_at=now - timedelta(hours=2))
    later = create_appointment(session, doctor=doctor, start_at=now - timedelta(minutes=30))
    create_appointment(session, doctor=doctor, start_at=now + timedelta(hours=2))
    client = make_client(users.admin, url="/admin")
    for cls in (AdminDashboardState, AdminAttentionState):
        assert redirects(await client.call(cls, "load")) == []
    attention = await client.state(AdminAttentionState)
    assert attention.total == 2
    assert [i["id"] for i in attention.items] == [late.id, later.id]
    assert attention.items[0]["can_no_show"] == "true"

    events = await client.call(AdminActionsState, "mark_no_show", appointment_id=late.id)
    assert has_toast(events, "Marked as a no-show.")
    await client.call(AdminDashboardState, "tick")
    attention = await client.state(AdminAttentionState)
    assert [i["id"] for i in attention.items] == [later.id]


async def test_only_admins_see_it_and_crafted_pages_change_nothing(
    session: Session, users: Users, make_client: MakeClient
) -> None:
    doctor = create_doctor(session)
    create_appointment(session, doctor=doctor, start_at=utcnow() - timedelta(hours=1))
    for who in (None, "patient", "doctor"):
        stranger = make_client(getattr(users, who) if who else None, url="/admin")
        target = "/admin/login?next=%2Fadmin" if who is None else HOME_FOR_ROLE[who]
        for name, payload in (("load", {}), ("show_page", {"page": 1})):
            events = await stranger.call(AdminAttentionState, name, **payload)
            assert redirects(events) == [target]
        assert (await stranger.state(AdminAttentionState)).items == []
    admin = make_client(users.admin, url="/admin")
    await admin.call(AdminAttentionState, "load")
    for junk in (0, -1, "2", 10**9, None, True):
        await admin.call(AdminAttentionState, "show_page", page=junk)
        state = await admin.state(AdminAttentionState)
        assert (state.page, state.total) == (1, 1)


async def test_today_keeps_the_place_and_shows_the_day_in_order(
    session: Session, users: Users, make_client: MakeClient
) -> None:
    doctor = create_doctor(session)
    url = f"/admin?doctor={doctor.id}&status=cancelled&payment=Success&page=3"
    client = make_client(users.admin, url=url)
    events = await client.call(AdminDashboardState, "show_today")
    today = clinic_today(utcnow()).isoformat()
    assert redirects(events) == [
        f"/admin?doctor={doctor.id}&date={today}&sort=start_asc"  # one day: one parameter
    ]
