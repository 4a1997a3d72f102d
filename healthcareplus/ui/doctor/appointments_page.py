"""All of the doctor's appointments: a list (search by patient, status filter, upcoming,
past or all, a page at a time) or a week view day by day with the previous and next week.
Every appointment opens its visit page. Cards, not a table: the same on a phone."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.domain.clinical.doctor_appointments import STATUS_FILTERS
from healthcareplus.ui.doctor.appointments_state import DoctorAppointmentsState as S
from healthcareplus.ui.doctor.portal_components import (
    portal_body,
    portal_shell,
    search_buttons,
    visit_list,
)
from healthcareplus.ui.shared.forms import fixed_options, labelled, native_select
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_note, page_title
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.statuses import TIME_STATUS_COLORS
from healthcareplus.ui.shared.tables import (
    previous_next_pager,
    step_button,
)
from healthcareplus.ui.shared.typed import RowVar

SCOPE_LABELS = (("upcoming", "Upcoming"), ("past", "Past"), ("all", "All"))


def _view_switch() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item(t("List"), value="list", data_testid="view-list"),
        rx.segmented_control.item(t("Week"), value="week", data_testid="view-week"),
        value=S.view,
        on_change=S.set_view,
        aria_label=t("How to show the appointments"),
    )


def _search_form() -> rx.Component:
    box = rx.input(
        id="appointments-q",
        name="q",
        default_value=S.query,
        max_length=100,
        placeholder=t("Patient or family member name, or phone"),
        size="3",
        width="100%",
        type="search",
    )
    status = native_select(
        *fixed_options(STATUS_FILTERS),
        id="appointments-status",
        name="status",
        default_value=S.status,
    )
    return rx.form(
        rx.grid(
            labelled(t("Search patients"), "appointments-q", box),
            labelled(t("Status"), "appointments-status", status),
            search_buttons((S.query != "") | (S.status != ""), S.clear_search, align_self="end"),
            columns=rx.breakpoints(initial="1", sm="2fr 1fr auto"),
            spacing="3",
            width="100%",
        ),
        key=S.form_key,
        on_submit=S.search,
        reset_on_submit=False,
        width="100%",
        role="search",
        data_testid="appointments-search",
    )


def _scope_switch() -> rx.Component:
    return rx.segmented_control.root(
        *(rx.segmented_control.item(t(label), value=value) for value, label in SCOPE_LABELS),
        value=S.scope,
        on_change=S.set_scope,
        aria_label=t("Which appointments"),
        data_testid="appointments-scope",
    )


def _pager() -> rx.Component:
    return previous_next_pager(S.page, S.pages, S.go_to_page, "appointments-page")


def _list_view() -> rx.Component:
    count = rx.text(
        S.total,
        rx.cond(S.total == 1, t(" appointment"), t(" appointments")),
        size="2",
        color_scheme="gray",
        role="status",
        data_testid="appointments-count",
    )
    return rx.vstack(
        _search_form(),
        rx.flex(_scope_switch(), rx.spacer(), count, align="center", gap="2", wrap="wrap"),
        visit_list(S.rows, "No appointments match.", "appointments-list", show_date=True),
        _pager(),
        spacing="3",
        width="100%",
    )


def _week_visit(visit: RowVar) -> rx.Component:
    return rx.link(
        rx.vstack(
            rx.text(visit["time_label"], weight="bold", size="2"),
            rx.text(visit["patient_name"], size="2", trim="both"),
            rx.badge(
                visit["status_label"],
                color_scheme=rx.cond(
                    visit["status_label"] == "To close",
                    "amber",
                    rx.match(visit["time_status"], *TIME_STATUS_COLORS, "gray"),
                ),
                variant="soft",
                size="1",
            ),
            spacing="1",
            align="start",
            padding="0.5em",
            border_radius="6px",
            border=f"1px solid {rx.color('gray', 5)}",
            width="100%",
        ),
        href=routes.doctor_visit_url(f"{visit['appointment_id']}"),  # Reflex reads the Var back
        underline="none",
        color="inherit",
        width="100%",
        data_testid="week-visit",
    )


def _day(day: RowVar) -> rx.Component:
    visits = rx.foreach(
        S.week_visits, lambda visit: rx.cond(visit["day"] == day["day"], _week_visit(visit))
    )
    today = day["is_today"] == "true"
    return rx.card(
        rx.vstack(
            rx.heading(
                day["label"],
                rx.cond(today, rx.text(t(" · Today"), as_="span", color_scheme="teal")),
                size="2",
                as_="h3",
            ),
            rx.cond(
                day["count"] != "0",
                rx.vstack(visits, spacing="2", width="100%"),
                empty_note(t("No visits")),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        background_color=rx.cond(today, rx.color("teal", 2), "transparent"),
        data_testid="week-day",
    )


def _week_view() -> rx.Component:
    w = S.week
    nav = rx.flex(
        step_button(
            t("Previous week"),
            forward=False,
            on_click=S.show_week(w["previous"]),
            data_testid="previous-week",
        ),
        step_button(
            t("Next week"), forward=True, on_click=S.show_week(w["next"]), data_testid="next-week"
        ),
        rx.cond(
            w["is_current"] != "true",
            rx.button(t("This week"), variant="outline", on_click=S.show_week("")),
        ),
        align="center",
        gap="2",
        wrap="wrap",
    )
    title = rx.vstack(
        rx.heading(w["label"], size="4", as_="h2", data_testid="week-label"),
        rx.text(
            w["total"],
            rx.cond(w["total"] == "1", t(" visit"), t(" visits")),
            size="2",
            color_scheme="gray",
            role="status",
        ),
        spacing="0",
    )
    return rx.vstack(
        rx.flex(title, rx.spacer(), nav, align="center", gap="3", wrap="wrap", width="100%"),
        rx.grid(
            rx.foreach(S.days, _day),
            columns=rx.breakpoints(initial="1", sm="2", md="4", lg="7"),
            spacing="2",
            width="100%",
            data_testid="week-grid",
        ),
        spacing="3",
        width="100%",
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.flex(
            page_title(t("Appointments")),
            rx.spacer(),
            _view_switch(),
            align="center",
            gap="2",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(S.view == "week", _week_view(), _list_view()),
        spacing="4",
        width="100%",
    )


def doctor_appointments_page() -> rx.Component:
    return portal_shell(portal_body(S.loaded, S.error, _content()))


PAGES = [Page(doctor_appointments_page, routes.DOCTOR_APPOINTMENTS, "Appointments", [S.load])]
