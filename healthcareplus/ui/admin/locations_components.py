"""The add/edit dialogs of the admin's cities and hospitals page."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from healthcareplus.domain.catalog.specializations import SPECIALIZATIONS
from healthcareplus.ui.admin.forms import LABEL_STYLE
from healthcareplus.ui.admin.locations_state import SPEC_FIELD
from healthcareplus.ui.admin.locations_state import AdminCitiesState as C
from healthcareplus.ui.admin.locations_state import AdminHospitalsState as H
from healthcareplus.ui.shared.forms import NATIVE_SELECT_STYLE, field_error, text_field


def _dialog(title: Var | str, body: rx.Component, open_: Var, on_open: object) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            body,
            max_width="640px",
            max_height="92vh",
            overflow_y="auto",
        ),
        open=open_,
        on_open_change=on_open,
    )


def _buttons(label: str) -> rx.Component:
    return rx.hstack(
        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
        rx.button(label, type="submit"),
        justify="end",
        spacing="3",
        margin_top="1em",
    )


def city_dialog() -> rx.Component:
    form = rx.form(
        rx.vstack(
            text_field(
                "City",
                "name",
                C.errors,
                form_id="city",
                default_value=C.city_form["name"],
                required=True,
                max_length=80,
            ),
            text_field(
                "State",
                "state",
                C.errors,
                form_id="city",
                default_value=C.city_form["state"],
                required=True,
                max_length=80,
            ),
            _buttons("Save city"),
            spacing="3",
        ),
        key=C.form_key,
        on_submit=C.save_city,
        reset_on_submit=False,
    )
    return _dialog("City", form, C.dialog_open, C.set_dialog_open)


def _specialty(index: int, name: str) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="checkbox", name=SPEC_FIELD.format(index), default_checked=H.chosen.contains(name)
        ),
        " " + name,
        style={"fontSize": "14px", "display": "flex", "gap": "6px", "alignItems": "center"},
    )


def hospital_dialog() -> rx.Component:
    f, e = H.hospital_form, H.errors
    form = rx.form(
        rx.vstack(
            rx.vstack(
                rx.el.label("City", html_for="hospital-city_id", style=LABEL_STYLE),
                rx.el.select(
                    rx.el.option("Select…", value=""),
                    rx.foreach(H.city_options, lambda c: rx.el.option(c["name"], value=c["id"])),
                    id="hospital-city_id",
                    name="city_id",
                    default_value=f["city_id"],
                    style=NATIVE_SELECT_STYLE,
                ),
                field_error(e, "city_id"),
                spacing="1",
                width="100%",
            ),
            text_field(
                "Hospital name",
                "name",
                e,
                form_id="hospital",
                default_value=f["name"],
                required=True,
                max_length=120,
            ),
            text_field(
                "Address",
                "address",
                e,
                form_id="hospital",
                default_value=f["address"],
                required=True,
                max_length=300,
            ),
            text_field(
                "Phone",
                "phone",
                e,
                form_id="hospital",
                type_="tel",
                default_value=f["phone"],
                max_length=20,
            ),
            rx.el.fieldset(
                rx.el.legend("Specialties", style=LABEL_STYLE),
                rx.grid(
                    *(_specialty(i, n) for i, n in enumerate(SPECIALIZATIONS)),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="1",
                ),
                field_error(e, "specialties"),
                style={"border": "none", "padding": 0, "margin": 0},
            ),
            _buttons("Save hospital"),
            spacing="3",
        ),
        key=H.form_key,
        on_submit=H.save_hospital,
        reset_on_submit=False,
    )
    return _dialog("Hospital", form, H.dialog_open, H.set_dialog_open)
