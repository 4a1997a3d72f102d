"""The add/edit dialogs of the admin's cities and hospitals page."""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.domain.catalog.specializations import SPECIALIZATIONS
from healthcareplus.ui.admin.locations_state import SPEC_FIELD
from healthcareplus.ui.admin.locations_state import AdminCitiesState as C
from healthcareplus.ui.admin.locations_state import AdminHospitalsState as H
from healthcareplus.ui.shared.dialogs import dialog, dialog_buttons
from healthcareplus.ui.shared.forms import (
    LABEL_STYLE,
    field_error,
    row_options,
    select_field,
    stacked_form,
    text_field,
)
from healthcareplus.ui.shared.i18n import t


def _dialog(title: str, state: Any, form: rx.Component) -> rx.Component:
    """An add/edit dialog, open while ``state`` (an ``EditDialog``) says so."""
    return dialog(
        title,
        None,
        form,
        shown=state.dialog_open,
        on_open_change=state.set_dialog_open,
        max_width="640px",
        max_height="92vh",
        overflow_y="auto",
    )


def _buttons(label: str) -> rx.Component:
    return dialog_buttons("Cancel", rx.button(label, type="submit"), margin_top="1em")


def city_dialog() -> rx.Component:
    def field(label: str, name: str) -> rx.Component:
        return text_field(
            label,
            name,
            C.errors,
            form_id="city",
            default_value=C.city_form[name],
            required=True,
            max_length=80,
        )

    form = stacked_form(
        field("City", "name"),
        field("State", "state"),
        _buttons("Save city"),
        key=C.form_key,
        on_submit=C.save_city,
    )
    return _dialog("City", C, form)


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

    def field(label: str, name: str, **props: Any) -> rx.Component:
        return text_field(label, name, e, form_id="hospital", default_value=f[name], **props)

    specialties = rx.el.fieldset(
        rx.el.legend("Specialties", style=LABEL_STYLE),
        rx.grid(
            *(_specialty(i, n) for i, n in enumerate(SPECIALIZATIONS)),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="1",
        ),
        field_error(e, "specialties"),
        style={"border": "none", "padding": 0, "margin": 0},
    )
    form = stacked_form(
        select_field(
            t("City"),
            "city_id",
            e,
            row_options(H.city_options, "name"),
            form_id="hospital",
            default_value=f["city_id"],
        ),
        field("Hospital name", "name", required=True, max_length=120),
        field("Address", "address", required=True, max_length=300),
        field("Phone", "phone", type_="tel", max_length=20),
        specialties,
        _buttons("Save hospital"),
        key=H.form_key,
        on_submit=H.save_hospital,
    )
    return _dialog("Hospital", H, form)
