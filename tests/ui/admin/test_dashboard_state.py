"""The admin dashboard's states, driven as the page drives them and as a crafted browser
could (any handler, any arguments, from any caller).

The data is the known clinic of tests/services/admin_data.py, built around today's real
date (the handlers read the clock), plus one confirmed visit yesterday for the no-show.
"""

from __future__ import annotations

import copy
import warnings
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import reflex as rx
from reflex.state import BaseState
from sqlmodel import Session, col, select

from healthcareplus.api import api
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, AuditEvent, DownloadGrant, Payment, User
from healthcareplus.domain.admin import dashboard_breakdowns, dashboard_charts, dashboard_views
from healthcareplus.domain.reports.download_links import APPOINTMENTS_CSV_PATH, USED_OR_EXPIRED
from healthcareplus.ui.admin import dashboard_charts_state, dashboard_state, home_state
from healthcareplus.ui.admin.action_dialog_state import AdminActionDialogState
from healthcareplus.ui.admin.actions_state import AdminActionsState
from healthcareplus.ui.admin.dashboard_breakdowns_state import AdminBreakdownState
from healthcareplus.ui.admin.dashboard_charts_state import AdminChartsState, bars_height
from healthcareplus.ui.admin.dashboard_state import AdminDashboardState
from healthcareplus.ui.admin.home_state import AdminHomeState
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from healthcareplus.ui.shared.session import SessionState
from tests.admin_data import AdminClinic, build_admin_clinic
from tests.factories import create_appointment, local, settle_payment
from tests.ui.admin.download_grants import grant_count, grant_of
from tests.ui.harness import Client, Users, has_toast, redirects, set_page, toasts

with warnings.catch_warnings():  # Starlette 1.x nudges towards httpx2; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
SIGN_IN_PLEASE = "Please sign in to continue."
NO_ACCESS = "You do not have access to that page."
STATES = (AdminDashboardState, AdminChartsState, AdminBreakdownState)
HANDLERS = {
    AdminDashboardState: (
        "load",
        "apply",
        "clear",
        "show_today",
        "go_to_page",
        "tick",
        "export_csv",
    ),
    AdminChartsState: ("load",),
    AdminBreakdownState: ("load", "show_hospital_page", "show_doctor_page"),
}
CASES = [(cls, name) for cls, names in HANDLERS.items() for name in names]
# The figures' computations, as dashboard_views calls them.
COMPUTATIONS = [
    *((dashboard_views, n) for n in ("dashboard_stats", "list_appointments", "bookings_per_day")),
    (dashboard_views, "overview"),
    *((dashboard_charts, n) for n in ("hospital_bookings", "hospital_revenue", "top_doctors")),
    (dashboard_charts, "payment_method_mix"),
    (dashboard_breakdowns, "bookings_per_hospital"),
    (dashboard_breakdowns, "bookings_per_doctor"),
]


@pytest.fixture
def clinic(session: Session, users: Users) -> AdminClinic:
    now = utcnow()
    built = build_admin_clinic(session, today=clinic_today(now), now=now)
    yesterday = create_appointment(
        session,
        doctor=built.chitra,
        patient=users.patient,
        start_at=local(built.today - timedelta(days=1), "15:00"),
        reason="Yesterday's visit",
        commit=False,
    )
    settle_payment(session, yesterday, method="upi")
    built.appointments["y1"] = yesterday
    return built


# --- helpers ---------------------------------------------------------------------------------


def db_rows(fresh_session: FreshSession) -> dict[str, list[dict[str, Any]]]:
    with fresh_session() as db:
        return {
            t.__name__: [r.model_dump() for r in db.exec(select(t).order_by(t.id)).all()]
            for t in (Appointment, Payment, AuditEvent, DownloadGrant)
        }


def appointment(fresh_session: FreshSession, appointment_id: str) -> Appointment:
    with fresh_session() as db:
        row = db.get(Appointment, appointment_id)
        assert row is not None
        return row


async def values(client: Client, cls: type[BaseState]) -> dict[str, Any]:
    state = await client.state(cls)
    return copy.deepcopy({name: state.get_value(name) for name in cls.base_vars})


def defaults(cls: type[BaseState]) -> dict[str, Any]:
    state = rx.State().get_substate(cls._get_substate_path())
    return copy.deepcopy({name: state.get_value(name) for name in cls.base_vars})


def payload_for(cls: type[BaseState], name: str, clinic: AdminClinic) -> dict[str, Any]:
    """Arguments that would act (or change the view) if the caller were an admin."""
    return {
        (AdminDashboardState, "apply"): {"form_data": {"status": "cancelled"}},
        (AdminDashboardState, "go_to_page"): {"page": 2},
        (AdminBreakdownState, "show_hospital_page"): {"page": 2},
        (AdminBreakdownState, "show_doctor_page"): {"page": 2},
    }.get((cls, name), {})


async def prime(client: Client, cls: type[BaseState], clinic: AdminClinic) -> None:
    """Fill the state as an admin's tab would have it, so an unguarded body would act."""
    state = await client.state(cls)
    if cls is AdminDashboardState:
        state.items, state.stats, state.loaded = [{"id": clinic["a4"].id}], {"bookings": "1"}, True
    elif cls is AdminChartsState:
        state.top_doctors, state.loaded = [{"name": "Dr. Anil Rao", "bookings": 7}], True
    else:
        state.hospitals, state.hospital_page, state.loaded = [{"hospital_id": "1"}], 1, True


async def admin_tab(make_client: MakeClient, users: Users, url: str = "/admin") -> Client:
    client = make_client(users.admin, url=url)
    for cls in (AdminHomeState, AdminDashboardState, AdminChartsState, AdminBreakdownState):
        assert redirects(await client.call(cls, "load")) == []
    return client


def keys_of(clinic: AdminClinic, items: list[dict[str, str]]) -> list[str]:
    by_id = {row.id: key for key, row in clinic.appointments.items()}
    return [by_id[i["id"]] for i in items]


# --- 1. wrong callers ------------------------------------------------------------------------


def test_the_cases_cover_every_handler() -> None:
    for cls, names in HANDLERS.items():
        assert set(cls.event_handlers) - {"setvar"} == set(names), cls.__name__


@pytest.mark.parametrize("primed", [False, True], ids=["fresh", "primed"])
@pytest.mark.parametrize("who", [None, "patient", "doctor"], ids=["anonymous", "patient", "doctor"])
@pytest.mark.parametrize(("cls", "name"), CASES, ids=[f"{c.__name__}.{n}" for c, n in CASES])
async def test_every_handler_redirects_a_wrong_caller_and_changes_nothing(
    make_client: MakeClient,
    users: Users,
    clinic: AdminClinic,
    fresh_session: FreshSession,
    cls: type[BaseState],
    name: str,
    who: str | None,
    primed: bool,
) -> None:
    client = make_client(getattr(users, who) if who else None, url="/admin?status=confirmed")
    if primed:
        await prime(client, cls, clinic)
    before_state, before_rows = await values(client, cls), db_rows(fresh_session)

    events = await client.call(cls, name, **payload_for(cls, name, clinic))

    # Signed-in wrong roles go to their own home (HOME_FOR_ROLE: "/" or the doctor portal).
    # Signing in brings them back to the page, its filters included.
    target = (
        "/admin/login?next=%2Fadmin%3Fstatus%3Dconfirmed" if who is None else HOME_FOR_ROLE[who]
    )
    assert redirects(events) == [target]
    assert has_toast(events, SIGN_IN_PLEASE if who is None else NO_ACCESS)
    assert await values(client, cls) == before_state
    if not primed:
        assert before_state == defaults(cls)
    assert db_rows(fresh_session) == before_rows


# --- 2. the admin's dashboard ----------------------------------------------------------------


async def test_load_reads_the_filters_from_the_url(
    make_client: MakeClient, users: Users, clinic: AdminClinic
) -> None:
    client = await admin_tab(make_client, users, f"/admin?doctor={clinic.anil.id}&payment=Pending")
    dash = await client.state(AdminDashboardState)
    assert dash.loaded and dash.filtered
    assert dash.form == {
        "doctor": str(clinic.anil.id),
        "hospital": "",
        "city": "",
        "from": "",
        "to": "",
        "status": "",
        "payment": "Pending",
        "sort": "start_desc",
    }
    assert dash.form_key == f"/admin?doctor={clinic.anil.id}&payment=Pending"
    assert (dash.stats["bookings"], dash.stats["pending_payments"]) == ("3", "2")
    assert keys_of(clinic, dash.items) == ["a7", "a6", "a5"]
    assert (dash.total, dash.page, dash.pages, dash.first_item, dash.last_item) == (3, 1, 1, 1, 3)
    assert dash.items[2]["can_mark_paid"] == "true"
    assert [d["label"] for d in dash.cities] == ["Bangalore", "Mumbai"]
    assert len(dash.doctors) == 4 and len(dash.hospitals) == 3
    charts = await client.state(AdminChartsState)
    # The last 30 days: a6 and a7 (in two days) and a5 (tomorrow) are not in the window.
    assert len(charts.days) == 30 and charts.day_total == 0
    assert charts.hospital_bookings == [
        {
            **{"id": clinic.sunrise.id, "name": "Sunrise Hospital", "city": "Bangalore"},
            **{"bookings": 3, "short": "Sunrise Hospital", "end": "3"},
        }
    ]
    assert charts.hospital_revenue == []  # a5's Pay-at-Clinic payment is still pending
    assert [(d["name"], d["bookings"]) for d in charts.top_doctors] == [("Dr. Anil Rao", 3)]
    assert charts.methods == [
        {"method": "pay_at_clinic", "label": "Pay at Clinic", "count": 1, "percent": 100}
    ]
    breakdown = await client.state(AdminBreakdownState)
    assert [h["hospital_name"] for h in breakdown.hospitals] == ["Sunrise Hospital"]
    assert [d["doctor_name"] for d in breakdown.doctors] == ["Dr. Anil Rao"]
    assert breakdown.doctors[0]["bookings"] == "3"
    home = await client.state(AdminHomeState)
    assert home.figures["cities"] == 2


async def test_unfiltered_load(make_client: MakeClient, users: Users, clinic: AdminClinic) -> None:
    client = await admin_tab(make_client, users)
    dash = await client.state(AdminDashboardState)
    assert not dash.filtered and dash.form_key == "/admin"
    assert (dash.stats["bookings"], dash.stats["revenue_label"]) == ("13", "₹4,100")
    assert (dash.total, dash.pages, len(dash.items)) == (13, 1, 13)
    assert keys_of(clinic, dash.items)[:2] == ["a10", "a7"]


async def test_charts_of_the_whole_portal(
    make_client: MakeClient, users: Users, clinic: AdminClinic
) -> None:
    client = await admin_tab(make_client, users)
    charts = await client.state(AdminChartsState)
    # Visit days in the last 30: a9 (-20), a12 (-5), a1 a2 (-2), a3 a11 y1 (-1), a8 (today).
    by_offset = {
        (date.fromisoformat(str(d["iso"])) - clinic.today).days: (
            d["total"],
            d["confirmed"],
            d["cancelled"],
            d["no_shows"],
        )
        for d in charts.days
        if d["total"]
    }
    assert by_offset == {
        -20: (1, 1, 0, 0),
        -5: (1, 1, 0, 0),
        -2: (2, 1, 0, 1),
        -1: (3, 1, 2, 0),
        0: (1, 1, 0, 0),
    }
    assert charts.days[-1]["iso"] == clinic.today.isoformat() and charts.day_total == 8
    assert [(h["name"], h["bookings"]) for h in charts.hospital_bookings] == [
        ("Sunrise Hospital", 8),
        ("Lakeside Clinic", 3),
        ("Harbour Hospital", 2),
    ]
    assert [(h["name"], h["rupees"], h["label"]) for h in charts.hospital_revenue] == [
        ("Sunrise Hospital", 2_300, "₹2,300"),
        ("Lakeside Clinic", 1_800, "₹1,800"),  # a8 a9 y1
    ]
    assert [(d["name"], d["bookings"]) for d in charts.top_doctors] == [
        ("Dr. Anil Rao", 7),
        ("Dr. Chitra Iyer", 3),
        ("Dr. Dinesh Kumar", 2),
        ("Dr. Bela Shah", 1),
    ]
    assert [(m["label"], m["count"], m["percent"]) for m in charts.methods] == [
        ("UPI", 5, 50),
        ("Card", 1, 10),
        ("Net Banking", 1, 10),
        ("Wallet", 1, 10),
        ("Pay at Clinic", 2, 20),
    ]
    assert (charts.hospital_height, charts.revenue_height, charts.doctor_height) == (
        bars_height(3),
        bars_height(2),
        bars_height(4),
    )


async def test_apply_clear_and_pages_change_the_url(
    make_client: MakeClient, users: Users, clinic: AdminClinic
) -> None:
    client = await admin_tab(make_client, users)
    day = (clinic.today - timedelta(days=1)).isoformat()
    events = await client.call(
        AdminDashboardState,
        "apply",
        form_data={"city": str(clinic.bangalore.id), "from": day, "to": day, "sort": "fee_desc"},
    )
    assert redirects(events) == [f"/admin?city={clinic.bangalore.id}&date={day}&sort=fee_desc"]

    set_page(client.root, redirects(events)[0])
    await client.call(AdminDashboardState, "load")
    dash = await client.state(AdminDashboardState)
    assert (dash.form["from"], dash.form["to"], dash.form["sort"]) == (day, day, "fee_desc")
    assert keys_of(clinic, dash.items) == ["y1", "a3"]  # 600 before 500

    # The same filters again: reloaded in place, no navigation.
    dash.items = []
    again = await client.call(
        AdminDashboardState,
        "apply",
        form_data={"city": str(clinic.bangalore.id), "from": day, "to": day, "sort": "fee_desc"},
    )
    assert redirects(again) == [] and len(dash.items) == 2

    assert redirects(await client.call(AdminDashboardState, "go_to_page", page=3)) == [
        f"/admin?city={clinic.bangalore.id}&date={day}&sort=fee_desc&page=3"
    ]
    assert redirects(await client.call(AdminDashboardState, "clear")) == ["/admin"]


@pytest.mark.parametrize("page", ["two", 2.5, True, 0, -1, 10**9, None, [2], {"p": 2}])
async def test_crafted_page_numbers_are_ignored(
    make_client: MakeClient, users: Users, clinic: AdminClinic, page: Any
) -> None:
    client = await admin_tab(make_client, users)
    breakdown = await client.state(AdminBreakdownState)
    before = await values(client, AdminBreakdownState)
    assert await client.call(AdminDashboardState, "go_to_page", page=page) in ([], [None])
    await client.call(AdminBreakdownState, "show_hospital_page", page=page)
    await client.call(AdminBreakdownState, "show_doctor_page", page=page)
    assert await values(client, AdminBreakdownState) == before
    assert breakdown.hospital_page == 1


@pytest.mark.parametrize(
    "form_data",
    [
        "status=cancelled",
        None,
        ["status", "cancelled"],
        {"status": "deleted", "payment": "Stolen", "sort": "DROP", "doctor": "-1"},
        {"doctor": "1 OR 1=1", "city": "x" * 5000, "from": "2026-02-30", "to": "yesterday"},
        {"status": {"$ne": 1}, "hospital": 7, "extra": "ignored"},
    ],
)
async def test_crafted_filter_forms_fall_back_to_no_filter(
    make_client: MakeClient, users: Users, clinic: AdminClinic, form_data: Any
) -> None:
    client = make_client(users.admin, url="/admin?status=confirmed")
    await client.call(AdminDashboardState, "load")
    events = await client.call(AdminDashboardState, "apply", form_data=form_data)
    assert redirects(events) == ["/admin"]


async def test_junk_in_the_url_is_ignored(
    make_client: MakeClient, users: Users, clinic: AdminClinic
) -> None:
    url = "/admin?doctor=abc&city=-3&from=2026-13-45&status=<script>&page=zzz&sort=1;DROP"
    client = await admin_tab(make_client, users, url)
    dash = await client.state(AdminDashboardState)
    assert not dash.filtered and dash.total == 13 and dash.page == 1


async def test_breakdown_pages_and_their_reset_on_new_filters(
    make_client: MakeClient, users: Users, clinic: AdminClinic
) -> None:
    client = await admin_tab(make_client, users)
    breakdown = await client.state(AdminBreakdownState)
    assert (breakdown.hospital_total, breakdown.doctor_total) == (3, 4)
    assert (breakdown.hospital_pages, breakdown.doctor_pages) == (1, 1)
    await client.call(AdminBreakdownState, "show_doctor_page", page=5)  # clamped to the last
    assert breakdown.doctor_page == 1
    # Paging the appointment table keeps the breakdown's pages; new filters reset them.
    breakdown.doctor_page = 7
    set_page(client.root, "/admin?page=2")
    await client.call(AdminBreakdownState, "load")
    assert breakdown.doctor_page == 1  # clamped: only one page of doctors
    set_page(client.root, f"/admin?city={clinic.mumbai.id}")
    await client.call(AdminBreakdownState, "load")
    assert [d["doctor_name"] for d in breakdown.doctors] == ["Dr. Dinesh Kumar"]
    assert [h["hospital_name"] for h in breakdown.hospitals] == ["Harbour Hospital"]


# --- 3. live refresh, the shared actions and the export ----------------------------------------


async def test_tick_reloads_only_when_the_data_moved(
    make_client: MakeClient, users: Users, clinic: AdminClinic, fresh_session: FreshSession
) -> None:
    client = await admin_tab(make_client, users)
    dash = await client.state(AdminDashboardState)
    charts = await client.state(AdminChartsState)
    dash.items, dash.stats["bookings"] = [], "stale"  # a reload would overwrite these
    charts.hospital_revenue = []
    assert await client.call(AdminDashboardState, "tick") in ([], [None])
    assert (dash.items, dash.stats["bookings"], charts.hospital_revenue) == ([], "stale", [])

    # Another admin cancels a4 (through the shared actions): the next tick shows it.
    other = await admin_tab(make_client, users)
    events = await other.call(
        AdminActionsState,
        "cancel",
        appointment_id=clinic["a4"].id,
        form_data={"reason": "Doctor on leave"},
    )
    assert has_toast(events, "Appointment cancelled. ₹500 refunded to the patient.")
    await client.call(AdminDashboardState, "tick")
    assert dash.stats["bookings"] == "13" and dash.stats["cancelled"] == "3"
    row = next(i for i in dash.items if i["id"] == clinic["a4"].id)
    assert (row["time_status"], row["payment_status"], row["can_cancel"]) == (
        "cancelled",
        "Refunded",
        "false",
    )
    breakdown = await client.state(AdminBreakdownState)
    sunrise = next(h for h in breakdown.hospitals if h["hospital_name"] == "Sunrise Hospital")
    assert sunrise["cancelled"] == "2"
    charts = await client.state(AdminChartsState)
    assert charts.hospital_revenue[0]["label"] == "₹1,800"  # a4's ₹500 refunded


async def test_fifty_open_dashboards_compute_each_figure_once_per_change(
    make_client: MakeClient,
    users: Users,
    clinic: AdminClinic,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Item 2 of "Scale": after one change, 50 admins' dashboards (same filters) tick and
    show it, and every figure was computed once for all of them (``dashboard_views``)."""
    now = utcnow()  # one instant for every tab: a new minute would be new figures
    for module in (dashboard_state, dashboard_charts_state, home_state):
        monkeypatch.setattr(module, "utcnow", lambda: now)
    tabs = [await admin_tab(make_client, users, "/admin?status=confirmed") for _ in range(50)]
    other = await admin_tab(make_client, users)
    upcoming = (await tabs[0].state(AdminHomeState)).figures["upcoming_confirmed"]
    computed: Counter[str] = Counter()
    for module, name in COMPUTATIONS:
        real = getattr(module, name)

        def counting(*args: Any, _real: Any = real, _name: str = name, **kw: Any) -> Any:
            computed[_name] += 1
            return _real(*args, **kw)

        monkeypatch.setattr(module, name, counting)

    events = await other.call(
        AdminActionsState, "cancel", appointment_id=clinic["a4"].id, form_data={"reason": "Leave"}
    )
    assert has_toast(events, "Appointment cancelled. ₹500 refunded to the patient.")
    for tab in tabs:
        await tab.call(AdminDashboardState, "tick")

    assert computed == {name: 1 for _, name in COMPUTATIONS}
    for tab in tabs:
        dash = await tab.state(AdminDashboardState)
        assert clinic["a4"].id not in {i["id"] for i in dash.items}  # no longer confirmed
        assert dash.stats["bookings"] == "4"
        assert (await tab.state(AdminHomeState)).figures["upcoming_confirmed"] == upcoming - 1
    # Nothing moved since: the next ticks compute nothing.
    for tab in tabs[:5]:
        await tab.call(AdminDashboardState, "tick")
    assert sum(computed.values()) == len(COMPUTATIONS)


async def test_an_action_on_the_dashboard_shows_at_once(
    make_client: MakeClient, users: Users, clinic: AdminClinic
) -> None:
    """The admin's own action asks for a tick straight away (no waiting for the timer)."""
    client = await admin_tab(make_client, users)
    dash = await client.state(AdminDashboardState)
    assert dash.stats["no_shows"] == "1"
    events = await client.call(AdminActionsState, "mark_no_show", appointment_id=clinic["y1"].id)
    ticks = [e for e in events if e.name.endswith(".tick")]
    assert len(ticks) == 1 and "admin_dashboard_state" in ticks[0].name
    await client.call(AdminDashboardState, "tick")
    assert dash.stats["no_shows"] == "2"
    row = next(i for i in dash.items if i["id"] == clinic["y1"].id)
    assert row["time_status"] == "missed"
    # Elsewhere in the portal no dashboard tick is asked for.
    other = make_client(users.admin, url="/admin/patients")
    events = await other.call(AdminActionsState, "mark_paid", appointment_id=clinic["a5"].id)
    assert any("Marked paid (HCP-" in js for js in toasts(events))
    assert [e for e in events if e.name.endswith(".tick")] == []


async def test_a_hold_expiring_counts_as_a_change(
    make_client: MakeClient, users: Users, clinic: AdminClinic, fresh_session: FreshSession
) -> None:
    client = await admin_tab(make_client, users)
    dash = await client.state(AdminDashboardState)
    assert dash.stats["pending_payments"] == "3"
    from healthcareplus.core.dbtypes import utcnow
    from healthcareplus.domain.scheduling.lifecycle import expire_lapsed_holds

    with fresh_session() as db:
        held = db.get(Appointment, clinic["a6"].id)
        assert held is not None
        held.hold_expires_at = utcnow() - timedelta(minutes=1)  # its hold ran out
        db.add(held)
        db.commit()
        # The sweep's one expiry statement (it audits each expiry).
        assert expire_lapsed_holds(db, now=utcnow(), where=(col(Appointment.id) == held.id,)) == 1
        db.commit()
    await client.call(AdminDashboardState, "tick")
    assert dash.stats["pending_payments"] == "2"


async def test_tick_waits_while_a_reason_dialog_is_open(
    make_client: MakeClient, users: Users, clinic: AdminClinic
) -> None:
    client = await admin_tab(make_client, users)
    dash = await client.state(AdminDashboardState)
    await client.call(
        AdminActionDialogState, "open_dialog", kind="refund", appointment_id=clinic["a4"].id
    )
    other = await admin_tab(make_client, users)
    await other.call(AdminActionsState, "mark_no_show", appointment_id=clinic["y1"].id)
    dash.stats["no_shows"] = "unchanged"
    await client.call(AdminDashboardState, "tick")
    assert dash.stats["no_shows"] == "unchanged"
    await client.call(AdminActionDialogState, "dialog_changed", is_open=False)
    await client.call(AdminDashboardState, "tick")
    assert dash.stats["no_shows"] == "2"


async def test_tick_before_load_does_nothing(
    make_client: MakeClient, users: Users, clinic: AdminClinic
) -> None:
    client = make_client(users.admin, url="/admin")
    assert await client.call(AdminDashboardState, "tick") in ([], [None])
    assert await values(client, AdminDashboardState) == defaults(AdminDashboardState)


async def test_export_gives_a_one_time_link_for_the_filters_on_screen(
    make_client: MakeClient, users: Users, clinic: AdminClinic, fresh_session: FreshSession
) -> None:
    client = await admin_tab(make_client, users, f"/admin?city={clinic.mumbai.id}&page=2")
    assert grant_count() == 0  # loading the page makes no link: only the click does

    events = await client.call(AdminDashboardState, "export_csv")

    [event] = [e for e in events if e.name == "_download"]
    url = event.payload["url"]
    assert url.startswith(APPOINTMENTS_CSV_PATH + "?grant=")
    grant = grant_of(url, "appointments_csv")
    # The filters on screen, without the table's page; the grant names this admin.
    assert (grant.user_id, grant.params) == (users.admin.id, {"city": str(clinic.mumbai.id)})
    assert event.payload["filename"] == f"appointments-{clinic.today.isoformat()}.csv"
    # The browser's one fetch gets the file; the link is then spent.
    api_client = TestClient(api)
    assert api_client.get(url).status_code == 200
    assert api_client.get(url).json() == {"detail": USED_OR_EXPIRED}
    # Each click makes its own link.
    [again] = [
        e for e in await client.call(AdminDashboardState, "export_csv") if e.name == "_download"
    ]
    assert again.payload["url"] != url and grant_count() == 2
    assert api_client.get(again.payload["url"]).status_code == 200


async def test_an_admin_deactivated_mid_click_gets_a_message_not_a_link(
    make_client: MakeClient, users: Users, clinic: AdminClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another admin deactivates this one between the guard's check and the link."""
    client = await admin_tab(make_client, users)
    real = dashboard_state.export_link

    def deactivated_first(db: Session, *args: Any) -> str:
        db.get(User, users.admin.id).is_active = False
        return real(db, *args)

    monkeypatch.setattr(dashboard_state, "export_link", deactivated_first)

    events = await client.call(AdminDashboardState, "export_csv")

    assert has_toast(events, "Only administrators can download reports.")
    assert [e for e in events if e.name == "_download"] == [] and grant_count() == 0


async def test_a_session_revoked_on_the_dashboard_stops_everything(
    make_client: MakeClient, users: Users, clinic: AdminClinic, fresh_session: FreshSession
) -> None:
    client = await admin_tab(make_client, users)
    await client.call(SessionState, "logout")
    for cls in STATES:  # private data forgotten at logout
        assert await values(client, cls) == defaults(cls)
    for name in ("tick", "export_csv", "load"):
        events = await client.call(AdminDashboardState, name)
        assert redirects(events) == ["/admin/login?next=%2Fadmin"]
        assert [e for e in events if e.name == "_download"] == []
    assert await values(client, AdminDashboardState) == defaults(AdminDashboardState)
