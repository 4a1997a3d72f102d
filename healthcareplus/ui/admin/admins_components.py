"""The administrators table's row actions: deactivate (with an optional reason) and
reactivate, each behind a confirmation. There are none on the signed-in admin's own row."""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.ui.admin.admins_state import AdminAdminsState as S
from healthcareplus.ui.shared.dialogs import confirm_dialog, dialog, dialog_buttons, reason_form
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.typed import RowVar


def deactivate_dialog(row: RowVar, on_submit: Any, id_field: str, testid: str) -> rx.Component:
    """Deactivate an account (``row``) behind a confirmation with an optional reason: the
    form sends ``id_field`` (the row's id) and ``reason`` to ``on_submit``."""
    return dialog(
        "Deactivate " + row["name"] + "?",
        "They are signed out everywhere at once and cannot sign in until an administrator "
        "reactivates them.",
        reason_form(
            "Reason (optional)",
            f"{testid}-reason",
            on_submit,
            rx.el.input(type="hidden", name=id_field, value=row["id"]),
            dialog_buttons(
                "Keep active",
                rx.alert_dialog.action(
                    rx.button(t("Deactivate"), type="submit", color_scheme="red")
                ),
                alert=True,
            ),
            required=False,
        ),
        trigger=rx.button(
            t("Deactivate"),
            size="1",
            color_scheme="red",
            variant="soft",
            aria_label="Deactivate " + row["name"],
            data_testid=testid,
        ),
        alert=True,
    )


def reactivate_dialog(row: RowVar, on_click: Any, testid: str, portal: str) -> rx.Component:
    """Reactivate an account behind a confirmation (they may sign in to ``portal`` again)."""
    return confirm_dialog(
        rx.button(
            t("Reactivate"),
            size="1",
            color_scheme="green",
            variant="soft",
            aria_label="Reactivate " + row["name"],
            data_testid=testid,
        ),
        "Reactivate " + row["name"] + "?",
        f"They will be able to sign in to the {portal} again.",
        "Not now",
        rx.button(t("Reactivate"), color_scheme="green", on_click=on_click),
    )


def _deactivate(a: RowVar) -> rx.Component:
    return deactivate_dialog(a, S.deactivate, "admin_id", "deactivate-admin")


def _reactivate(a: RowVar) -> rx.Component:
    return reactivate_dialog(a, S.reactivate(a["id"]), "reactivate-admin", "admin portal")


def activation_action(a: RowVar) -> rx.Component:
    """Deactivate (an active admin) or Reactivate (an inactive one); nothing on your row."""
    action = rx.cond(a["is_active"] == "true", _deactivate(a), _reactivate(a))
    return rx.cond(a["id"] == S.me, rx.fragment(), action)
