"""Every count on the admin's screens is grouped the same way ("1,250", never "1250"):
the dashboard's cards, the landing figures, the per-doctor table; the charts print long
values in lakh and crore and shorten long names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.ui.admin.dashboard_breakdowns_state import AdminBreakdownState
from healthcareplus.ui.admin.dashboard_charts_state import NAME_CHARS, bar_rows
from healthcareplus.ui.admin.dashboard_state import AdminDashboardState
from healthcareplus.ui.admin.home_state import AdminHomeState
from tests.admin_data import build_admin_clinic
from tests.factories import bulk_appointments, local
from tests.ui.harness import Client, Users, redirects

VISITS = 1_250


async def test_counts_over_a_thousand_are_grouped_on_every_admin_figure(
    session: Session, users: Users, make_client: Callable[..., Client]
) -> None:
    now = utcnow()
    clinic = build_admin_clinic(session, today=clinic_today(now), now=now)
    bulk_appointments(
        session,
        doctor=clinic.anil,
        patient=users.patient,
        count=VISITS,
        first_start=local(clinic.today - timedelta(days=60), "09:00"),
        step_minutes=30,
    )
    client = make_client(users.admin, url="/admin")
    for cls in (AdminHomeState, AdminDashboardState, AdminBreakdownState):
        assert redirects(await client.call(cls, "load")) == []
    dash = await client.state(AdminDashboardState)
    total = VISITS + len(clinic.appointments)
    assert dash.stats["bookings"] == f"{total:,}"  # e.g. "1,263"
    assert dash.stats["completed"].count(",") == 1
    doctors = (await client.state(AdminBreakdownState)).doctors
    assert doctors[0]["doctor_name"] == clinic.anil.name
    assert doctors[0]["bookings"] == f"{int(doctors[0]['bookings'].replace(',', '')):,}"
    assert "," in doctors[0]["bookings"]
    home = await client.state(AdminHomeState)
    assert home.figures["patients"] == int(home.labels["patients"].replace(",", ""))


def test_bar_rows_shorten_long_names_and_large_values_for_the_chart() -> None:
    rows = bar_rows(
        [
            {"name": "Narayana Health City Multispeciality Hospital", "rupees": 12_345_678},
            {"name": "Apollo Clinic", "rupees": 4_100},
        ],
        "rupees",
        rupees=True,
    )
    assert [(r["short"], r["end"]) for r in rows] == [
        ("Narayana Health City…", "₹1.23 Cr"),
        ("Apollo Clinic", "₹4,100"),
    ]
    assert rows[0]["name"] == "Narayana Health City Multispeciality Hospital"  # the tooltip's
    assert len(str(rows[0]["short"])) <= NAME_CHARS
    counts = bar_rows([{"name": "Dr. Rao", "bookings": 250_000}], "bookings")
    assert counts[0]["end"] == "2.5 L"
