"""Admin: cities (with hospital and doctor counts) and hospitals, each added and edited in
a dialog."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from healthcareplus.core import routes
from healthcareplus.ui.admin.forms import data_table, pager
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.admin.locations_components import city_dialog, hospital_dialog
from healthcareplus.ui.admin.locations_state import AdminCitiesState as C
from healthcareplus.ui.admin.locations_state import AdminHospitalsState as H
from healthcareplus.ui.shared.forms import NATIVE_SELECT_STYLE
from healthcareplus.ui.shared.layout import loading_block
from healthcareplus.ui.shared.registry import Page


def _city_row(c: Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(c["name"], weight="medium"),
        rx.table.cell(c["state"]),
        rx.table.cell(c["hospital_count"]),
        rx.table.cell(c["active_doctor_count"], " / ", c["doctor_count"]),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    "Edit",
                    size="1",
                    variant="soft",
                    on_click=C.edit_city(c["id"]),
                    aria_label="Edit " + c["name"],
                ),
                rx.button("Hospitals", size="1", variant="ghost", on_click=H.filter_city(c["id"])),
            )
        ),
        data_testid="city-row",
    )


def _hospital_row(h: Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(h["name"], rx.text(h["address"], size="1", color_scheme="gray")),
        rx.table.cell(h["city_name"]),
        rx.table.cell(h["phone"], white_space="nowrap"),
        rx.table.cell(rx.text(h["specialties"], size="1"), max_width="320px"),
        rx.table.cell(h["active_doctor_count"], " / ", h["doctor_count"]),
        rx.table.cell(
            rx.button(
                "Edit",
                size="1",
                variant="soft",
                on_click=H.edit_hospital(h["id"]),
                aria_label="Edit " + h["name"],
            )
        ),
        data_testid="hospital-row",
    )


def _heading(title: str, action: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.heading(title, size="5", as_="h2"), rx.spacer(), action, width="100%", align="center"
    )


def locations_page() -> rx.Component:
    city_filter = rx.el.select(
        rx.el.option("All cities", value=""),
        rx.foreach(H.city_options, lambda c: rx.el.option(c["name"], value=c["id"])),
        value=H.city_filter,
        on_change=H.filter_city,
        aria_label="Show hospitals in",
        style={**NATIVE_SELECT_STYLE, "width": "auto"},
    )
    return admin_shell(
        "Cities & hospitals",
        rx.cond(
            C.loaded,
            rx.vstack(
                _heading("Cities", rx.button(rx.icon("plus"), "Add city", on_click=C.new_city)),
                data_table(
                    ["City", "State", "Hospitals", "Doctors (active / all)", ""],
                    rx.foreach(C.cities, _city_row),
                    "cities-table",
                ),
                pager(C.pager, C.go_page, "cities-pager"),
                _heading(
                    "Hospitals", rx.button(rx.icon("plus"), "Add hospital", on_click=H.new_hospital)
                ),
                city_filter,
                data_table(
                    ["Hospital", "City", "Phone", "Specialties", "Doctors", ""],
                    rx.foreach(H.hospitals, _hospital_row),
                    "hospitals-table",
                ),
                pager(H.pager, H.go_page, "hospitals-pager"),
                spacing="4",
                width="100%",
            ),
            loading_block(),
        ),
        city_dialog(),
        hospital_dialog(),
    )


PAGES = [Page(locations_page, routes.ADMIN_LOCATIONS, "Cities & hospitals", [C.load, H.load])]
