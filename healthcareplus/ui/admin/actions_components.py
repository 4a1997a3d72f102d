"""The admin's action buttons for one appointment row, each behind a confirmation.

``appointment_actions(row)`` reads the row's ``id`` and its ``can_cancel``,
``can_no_show``, ``can_refund`` and ``can_mark_paid`` flags ("true"/"false") and shows
only the actions that make sense. Cancel and refund ask for a reason in a dialog that
``AdminActionDialogState.dialog`` keeps open until the action succeeds.
"""

from __future__ import annotations

from typing import NamedTuple

import reflex as rx
from reflex.event import EventType

from healthcareplus.ui.admin.action_dialog_state import AdminActionDialogState as D
from healthcareplus.ui.admin.actions_state import AdminActionsState as S
from healthcareplus.ui.shared.dialogs import confirm_dialog, dialog, dialog_buttons, reason_form
from healthcareplus.ui.shared.forms import form_alert
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.typed import RowVar


class Action(NamedTuple):
    kind: str  # in the test ids "action-<kind>" (its button) and "dialog-<kind>"
    label: str
    title: str
    confirm: str
    color: str


MARK_PAID = Action("mark-paid", "Mark paid", "Mark this booking paid?", "Mark paid", "green")
NO_SHOW = Action("no-show", "No-show", "Mark as a no-show?", "Mark no-show", "orange")
REFUND = Action("refund", "Refund", "Refund the payment?", "Refund payment", "amber")
CANCEL = Action("cancel", "Cancel", "Cancel this appointment?", "Cancel appointment", "red")


def _action_button(action: Action, **props: object) -> rx.Component:
    return rx.button(
        action.label,
        size="1",
        variant="soft",
        color_scheme=action.color,
        data_testid=f"action-{action.kind}",
        **props,
    )


def _reason_dialog(action: Action, row: RowVar, *description: str | rx.Component) -> rx.Component:
    """The action's button, and its dialog asking for a reason (open while the state says)."""
    kind = action.kind
    form = reason_form(
        "Reason",
        f"admin-{kind}-reason",
        S.submit_dialog,
        form_alert(D.error),
        dialog_buttons(
            "Back",
            rx.button(action.confirm, type="submit", color_scheme=action.color),
            alert=True,
            margin_top="1em",
            wrap="wrap",
        ),
        stack={"margin_top": "1em"},
        required=True,
        min_length=3,
        placeholder=t("Shown in the audit log"),
    )
    return rx.fragment(
        _action_button(action, on_click=D.open_dialog(kind, row["id"])),
        dialog(
            action.title,
            description,
            form,
            alert=True,
            shown=D.dialog == f"{kind}:" + row["id"].to(str),
            on_open_change=D.dialog_changed,
            text_size=None,
            max_width="460px",
            data_testid=f"dialog-{kind}",
        ),
    )


def _confirm_dialog(action: Action, description: str, on_confirm: EventType[()]) -> rx.Component:
    return confirm_dialog(
        _action_button(action),
        action.title,
        description,
        "Back",
        rx.button(action.confirm, color_scheme=action.color, on_click=on_confirm),
        size="3",
        max_width="460px",
        data_testid=f"dialog-{action.kind}",
    )


def appointment_actions(row: RowVar) -> rx.Component:
    """The sensible actions for ``row`` (a dict var with ``id`` and the ``can_*`` flags)."""
    appointment_id = row["id"]

    def when(flag: str, action: rx.Component) -> rx.Component:
        return rx.cond(row[flag] == "true", action)

    refunded = rx.cond(
        row["can_refund"] == "true", " and the payment is refunded to the patient.", "."
    )
    return rx.flex(
        when(
            "can_mark_paid",
            _confirm_dialog(
                MARK_PAID,
                "Record that the patient paid the fee at the clinic. A transaction id is issued.",
                S.mark_paid(appointment_id),
            ),
        ),
        when(
            "can_no_show",
            _confirm_dialog(
                NO_SHOW,
                "The patient did not come to this appointment.",
                S.mark_no_show(appointment_id),
            ),
        ),
        when(
            "can_refund",
            _reason_dialog(REFUND, row, "The fee goes back to the patient's payment method."),
        ),
        when("can_cancel", _reason_dialog(CANCEL, row, "The slot is freed", refunded)),
        spacing="2",
        wrap="wrap",
        data_testid="appointment-actions",
    )
