"""Admin: all doctors (search, filters, pages, add) and one doctor (profile, weekly
schedule, deactivate / reactivate with the bookings to follow up)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from healthcareplus.core import routes
from healthcareplus.ui.admin.doctors_components import (
    activation_switch,
    add_doctor_dialog,
    follow_ups_card,
    schedule_editor,
)
from healthcareplus.ui.admin.doctors_state import AdminDoctorsState as L
from healthcareplus.ui.admin.doctors_state import AdminDoctorState as D
from healthcareplus.ui.admin.doctors_state import AdminScheduleState as W
from healthcareplus.ui.admin.forms import (
    data_table,
    doctor_fields,
    flag_badge,
    labelled_select,
    one_time_password_card,
    pager,
)
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.shared.cards import not_found_block
from healthcareplus.ui.shared.forms import form_alert
from healthcareplus.ui.shared.layout import empty_block, loading_block
from healthcareplus.ui.shared.registry import Page

DETAIL_ROUTE = "/admin/doctors/[doctor_id]"
ACTIVE = (("Active", "green"), ("Inactive", "gray"))
STATUS_OPTIONS = [("all", "All doctors"), ("active", "Active"), ("inactive", "Inactive")]


def _filters() -> rx.Component:
    return rx.form(
        rx.grid(
            rx.vstack(
                rx.el.label("Search", html_for="doctor-q", style={"fontWeight": "500"}),
                rx.input(
                    id="doctor-q",
                    name="q",
                    default_value=L.q,
                    max_length=100,
                    placeholder="Name or specialization",
                    size="3",
                    width="100%",
                ),
                spacing="1",
            ),
            labelled_select(
                "Hospital",
                "hospital",
                "doctor-hospital",
                rx.foreach(L.hospitals, lambda h: rx.el.option(h["label"], value=h["id"])),
                L.hospital,
                ("All hospitals", ""),
            ),
            labelled_select(
                "Status",
                "status",
                "doctor-status",
                [rx.el.option(label, value=v) for v, label in STATUS_OPTIONS],
                L.status,
                None,
            ),
            rx.button(rx.icon("search"), "Search", type="submit", align_self="end"),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="3",
            width="100%",
        ),
        key=L.q + L.hospital + L.status,
        on_submit=L.search,
        reset_on_submit=False,
        width="100%",
    )


def _row(d: Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(d["name"], href="/admin/doctors/" + d["id"], weight="medium")),
        rx.table.cell(d["specialization"]),
        rx.table.cell(d["hospital_name"], rx.text(d["city_name"], size="1", color_scheme="gray")),
        rx.table.cell(d["fee_label"]),
        rx.table.cell(flag_badge(d["is_active"], *ACTIVE, "doctor-status")),
        data_testid="doctor-row",
    )


def doctors_page() -> rx.Component:
    return admin_shell(
        "Doctors",
        one_time_password_card(L.created, L.dismiss_password()),
        rx.hstack(
            rx.text("Add doctors, edit profiles and timetables, deactivate.", color_scheme="gray"),
            rx.spacer(),
            add_doctor_dialog(),
            width="100%",
            wrap="wrap",
            align="center",
        ),
        _filters(),
        rx.cond(
            L.loaded,
            rx.cond(
                L.items.length() > 0,
                data_table(
                    ["Doctor", "Specialization", "Hospital", "Fee", "Status"],
                    rx.foreach(L.items, _row),
                    "doctors-table",
                ),
                empty_block("No doctors found", "Try another name or filter."),
            ),
            loading_block(),
        ),
        pager(L.pager, L.go_page, "doctors-pager"),
    )


def _detail() -> rx.Component:
    d = D.doctor
    return rx.vstack(
        rx.link("← All doctors", href=routes.ADMIN_DOCTORS),
        rx.flex(
            rx.vstack(
                rx.hstack(
                    rx.heading(d["name"], size="6", as_="h2"),
                    flag_badge(d["is_active"], *ACTIVE, "doctor-active"),
                    align="center",
                ),
                rx.text(
                    d["specialization"], " · ", d["hospital_name"], ", ", d["city_name"], size="2"
                ),
                rx.text(
                    "Sign-in: ",
                    rx.cond(d["login_email"] != "", d["login_email"], "none"),
                    size="2",
                    color_scheme="gray",
                ),
                spacing="1",
            ),
            rx.spacer(),
            activation_switch(),
            width="100%",
            wrap="wrap",
            gap="3",
            align="center",
        ),
        rx.cond(
            d["is_active"] == "false",
            rx.callout(
                "Inactive: hidden from patient search and closed for booking.",
                icon="eye-off",
                color_scheme="gray",
                width="100%",
                data_testid="inactive-note",
            ),
        ),
        follow_ups_card(),
        rx.card(
            rx.form(
                rx.heading("Profile", size="4", as_="h2", margin_bottom="0.5em"),
                doctor_fields(D.errors, d, D.hospitals, form_id="edit-doctor", with_email=False),
                form_alert(D.message),
                rx.cond(
                    D.saved != "",
                    rx.callout(D.saved, icon="check", color_scheme="green", role="status"),
                ),
                rx.button("Save profile", type="submit", margin_top="1em"),
                key=D.form_key,
                on_submit=D.save,
                reset_on_submit=False,
            ),
            width="100%",
        ),
        rx.card(schedule_editor(), width="100%"),
        spacing="4",
        width="100%",
    )


def doctor_page() -> rx.Component:
    return admin_shell(
        "Doctor",
        rx.cond(
            D.loaded,
            rx.cond(
                D.not_found,
                not_found_block("Doctor", "All doctors", routes.ADMIN_DOCTORS),
                _detail(),
            ),
            loading_block(),
        ),
    )


PAGES = [
    Page(doctors_page, routes.ADMIN_DOCTORS, "Doctors", [L.load]),
    Page(doctor_page, DETAIL_ROUTE, "Doctor", [D.load, W.load]),
]
