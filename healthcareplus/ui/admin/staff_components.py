"""The front-desk staff page's pieces: the hospitals to tick (grouped by city), the
dialog changing a user's hospitals, and each row's actions (hospitals, deactivate with
an optional reason, reactivate), each change behind a confirmation or a dialog."""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.ui.admin.admins_components import deactivate_dialog, reactivate_dialog
from healthcareplus.ui.admin.staff_state import AdminFrontDeskStaffState as S
from healthcareplus.ui.shared.dialogs import dialog, dialog_buttons
from healthcareplus.ui.shared.forms import LABEL_STYLE, error_text, stacked_form
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.typed import RowVar

_CHOICE_STYLE = {"fontSize": "14px", "display": "flex", "gap": "8px", "alignItems": "center"}


def _hospital(h: RowVar, ticked: Any) -> rx.Component:
    """One hospital's checkbox (``hospital-<id>``), under its city's name when it is the
    first of its city."""
    box = rx.el.label(
        rx.el.input(
            type="checkbox",
            name="hospital-" + h["id"],
            default_checked=ticked(h["id"]) if ticked is not None else False,
            aria_label=h["name"] + " (" + h["city"] + ")",
            style={"width": "18px", "height": "18px"},
        ),
        h["name"],
        style=_CHOICE_STYLE,
        data_testid="hospital-choice",
    )
    city = rx.text(h["city"], size="2", weight="bold", color_scheme="gray", margin_top="0.5em")
    return rx.fragment(rx.cond(h["first"] == "true", city), box)


def hospital_choices(error: rx.Component, ticked: Any = None) -> rx.Component:
    """Every hospital as a checkbox, grouped by city (``ticked(id)``: whether one starts
    ticked), with the form's ``error`` about them under them."""
    return rx.el.fieldset(
        rx.el.legend(t("Hospitals they work at"), style=LABEL_STYLE),
        rx.vstack(
            rx.foreach(S.hospitals, lambda h: _hospital(h, ticked)),
            spacing="1",
            width="100%",
        ),
        error,
        style={"border": "none", "padding": 0, "margin": 0},
        width="100%",
    )


def hospitals_dialog() -> rx.Component:
    """Changing the hospitals of the user ``S.editing`` (opened from their row)."""
    form = stacked_form(
        hospital_choices(
            rx.cond(S.edit_error != "", error_text(S.edit_error, data_testid="edit-error")),
            S.chosen.contains,
        ),
        dialog_buttons("Cancel", rx.button(t("Save hospitals"), type="submit")),
        key=S.edit_key,
        on_submit=S.save_hospitals,
        margin_top="1em",
    )
    return dialog(
        "Hospitals of " + S.editing["name"],
        "They see the patients, bookings and queues of these hospitals only, from their "
        "next action on.",
        form,
        shown=S.edit_open,
        on_open_change=S.set_edit_open,
        max_width="560px",
        max_height="92vh",
        overflow_y="auto",
    )


def _deactivate(u: RowVar) -> rx.Component:
    return deactivate_dialog(u, S.deactivate, "user_id", "deactivate-desk-user")


def _reactivate(u: RowVar) -> rx.Component:
    return reactivate_dialog(u, S.reactivate(u["id"]), "reactivate-desk-user", "front desk")


def row_actions(u: RowVar) -> rx.Component:
    """Change the hospitals, and Deactivate (an active user) or Reactivate (an inactive one)."""
    return rx.hstack(
        rx.button(
            t("Hospitals"),
            size="1",
            variant="soft",
            aria_label="Change the hospitals of " + u["name"],
            on_click=S.edit_hospitals(u["id"]),
            data_testid="edit-desk-hospitals",
        ),
        rx.cond(u["is_active"] == "true", _deactivate(u), _reactivate(u)),
        spacing="2",
        wrap="wrap",
    )
