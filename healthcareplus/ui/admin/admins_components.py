"""The administrators table's row actions: deactivate (with an optional reason) and
reactivate, each behind a confirmation. There are none on the signed-in admin's own row."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.admin.admins_state import AdminAdminsState as S
from healthcareplus.ui.shared.dialogs import confirm_dialog, dialog, dialog_buttons, reason_form
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.typed import RowVar


def _deactivate(a: RowVar) -> rx.Component:
    return dialog(
        "Deactivate " + a["name"] + "?",
        "They are signed out everywhere at once and cannot sign in until an administrator "
        "reactivates them.",
        reason_form(
            "Reason (optional)",
            "deactivate-admin-reason",
            S.deactivate,
            rx.el.input(type="hidden", name="admin_id", value=a["id"]),
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
            aria_label="Deactivate " + a["name"],
            data_testid="deactivate-admin",
        ),
        alert=True,
    )


def _reactivate(a: RowVar) -> rx.Component:
    return confirm_dialog(
        rx.button(
            t("Reactivate"),
            size="1",
            color_scheme="green",
            variant="soft",
            aria_label="Reactivate " + a["name"],
            data_testid="reactivate-admin",
        ),
        "Reactivate " + a["name"] + "?",
        "They will be able to sign in to the admin portal again.",
        "Not now",
        rx.button(t("Reactivate"), color_scheme="green", on_click=S.reactivate(a["id"])),
    )


def activation_action(a: RowVar) -> rx.Component:
    """Deactivate (an active admin) or Reactivate (an inactive one); nothing on your row."""
    action = rx.cond(a["is_active"] == "true", _deactivate(a), _reactivate(a))
    return rx.cond(a["id"] == S.me, rx.fragment(), action)
