"""Admin: cities (with hospital and doctor counts) and hospitals, each added and edited in
a dialog."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType
from reflex.vars import StringVar

from healthcareplus.core import routes
from healthcareplus.ui.admin.forms import cell_with_note, data_table, pager
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.admin.locations_components import city_dialog, hospital_dialog
from healthcareplus.ui.admin.locations_state import AdminCitiesState as C
from healthcareplus.ui.admin.locations_state import AdminHospitalsState as H
from healthcareplus.ui.shared.cards import aside_row
from healthcareplus.ui.shared.forms import NATIVE_SELECT_STYLE, native_select, row_options
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import sections, when_loaded
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.tables import labelled_row
from healthcareplus.ui.shared.typed import RowVar

CITY_COLUMNS = ("City", "State", "Hospitals", "Doctors (active / all)", "Actions")
HOSPITAL_COLUMNS = ("Hospital", "City", "Phone", "Specialties", "Doctors", "Actions")


def _edit(name: StringVar, on_click: EventType[()]) -> rx.Component:
    return rx.button(
        t("Edit"), size="1", variant="soft", on_click=on_click, aria_label="Edit " + name
    )


def _city_row(c: RowVar) -> rx.Component:
    hospitals = rx.button(
        t("Hospitals"), size="1", variant="ghost", on_click=H.filter_city(c["id"])
    )
    return labelled_row(
        CITY_COLUMNS,
        rx.table.cell(c["name"], weight="medium"),
        rx.table.cell(c["state"]),
        rx.table.cell(c["hospital_count"]),
        rx.table.cell(c["active_doctor_count"], " / ", c["doctor_count"]),
        rx.table.cell(rx.hstack(_edit(c["name"], C.edit_city(c["id"])), hospitals)),
        data_testid="city-row",
    )


def _hospital_row(h: RowVar) -> rx.Component:
    return labelled_row(
        HOSPITAL_COLUMNS,
        cell_with_note(h["name"], h["address"]),
        rx.table.cell(h["city_name"]),
        rx.table.cell(h["phone"], white_space="nowrap"),
        rx.table.cell(rx.text(h["specialties"], size="1"), max_width="320px"),
        rx.table.cell(h["active_doctor_count"], " / ", h["doctor_count"]),
        rx.table.cell(_edit(h["name"], H.edit_hospital(h["id"]))),
        data_testid="hospital-row",
    )


def _heading(title: str, action: rx.Component) -> rx.Component:
    return aside_row(rx.heading(title, size="5", as_="h2"), action)


def locations_page() -> rx.Component:
    city_filter = native_select(
        row_options(H.city_options, "name"),
        blank="All cities",
        value=H.city_filter,
        on_change=H.filter_city,
        aria_label=t("Show hospitals in"),
        style={**NATIVE_SELECT_STYLE, "width": "auto"},
    )
    lists = sections(
        _heading("Cities", rx.button(rx.icon("plus"), t("Add city"), on_click=C.new_city)),
        data_table(
            CITY_COLUMNS,
            rx.foreach(C.cities, _city_row),
            "cities-table",
        ),
        pager(C.pager, C.go_page, "cities-pager"),
        _heading(
            "Hospitals", rx.button(rx.icon("plus"), t("Add hospital"), on_click=H.new_hospital)
        ),
        city_filter,
        data_table(
            HOSPITAL_COLUMNS,
            rx.foreach(H.hospitals, _hospital_row),
            "hospitals-table",
        ),
        pager(H.pager, H.go_page, "hospitals-pager"),
    )
    return admin_shell(
        "Cities & hospitals", when_loaded(C.loaded, lists), city_dialog(), hospital_dialog()
    )


PAGES = [Page(locations_page, routes.ADMIN_LOCATIONS, "Cities & hospitals", [C.load, H.load])]
