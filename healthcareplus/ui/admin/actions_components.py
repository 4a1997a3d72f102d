"""The admin's action buttons for one appointment row, each behind a confirmation.

``appointment_actions(row)`` reads the row's ``id`` and its ``can_cancel``,
``can_no_show``, ``can_refund`` and ``can_mark_paid`` flags ("true"/"false") and shows
only the actions that make sense. Cancel and refund ask for a reason in a dialog that
``AdminActionsState.dialog`` keeps open until the action succeeds.
"""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.admin.actions_state import AdminActionsState as S
from healthcareplus.ui.shared.forms import form_alert


def _buttons(back: str, confirm: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.alert_dialog.cancel(rx.button(back, type="button", variant="soft", color_scheme="gray")),
        confirm,
        spacing="3",
        justify="end",
        margin_top="1em",
        wrap="wrap",
    )


def _reason_dialog(
    kind: str,
    row: rx.Var,
    *,
    label: str,
    title: str,
    description: tuple[str | rx.Component, ...],
    confirm: str,
    color: str,
) -> rx.Component:
    input_id = f"admin-{kind}-reason"
    return rx.fragment(
        rx.button(
            label,
            size="1",
            variant="soft",
            color_scheme=color,
            on_click=S.open_dialog(kind, row["id"]),
            data_testid=f"action-{kind}",
        ),
        rx.alert_dialog.root(
            rx.alert_dialog.content(
                rx.alert_dialog.title(title),
                rx.alert_dialog.description(*description),
                rx.form(
                    rx.vstack(
                        rx.el.label(
                            "Reason",
                            html_for=input_id,
                            style={"fontWeight": "500", "fontSize": "14px"},
                        ),
                        rx.text_area(
                            id=input_id,
                            name="reason",
                            required=True,
                            min_length=3,
                            max_length=500,
                            rows="3",
                            width="100%",
                            placeholder="Shown in the audit log",
                        ),
                        form_alert(S.error),
                        _buttons("Back", rx.button(confirm, type="submit", color_scheme=color)),
                        spacing="2",
                        width="100%",
                        margin_top="1em",
                    ),
                    on_submit=S.submit_dialog,
                    reset_on_submit=False,
                ),
                max_width="460px",
                data_testid=f"dialog-{kind}",
            ),
            open=S.dialog == f"{kind}:" + row["id"].to(str),
            on_open_change=S.dialog_changed,
        ),
    )


def _confirm_dialog(
    kind: str,
    *,
    label: str,
    title: str,
    description: str,
    confirm: str,
    color: str,
    on_confirm: rx.EventSpec,
) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                label, size="1", variant="soft", color_scheme=color, data_testid=f"action-{kind}"
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description),
            _buttons(
                "Back",
                rx.alert_dialog.action(rx.button(confirm, color_scheme=color, on_click=on_confirm)),
            ),
            max_width="460px",
            data_testid=f"dialog-{kind}",
        ),
    )


def appointment_actions(row: rx.Var) -> rx.Component:
    """The sensible actions for ``row`` (a dict var with ``id`` and the ``can_*`` flags)."""
    appointment_id = row["id"]
    return rx.flex(
        rx.cond(
            row["can_mark_paid"] == "true",
            _confirm_dialog(
                "mark-paid",
                label="Mark paid",
                title="Mark this booking paid?",
                description="Record that the patient paid the fee at the clinic. "
                "A transaction id is issued.",
                confirm="Mark paid",
                color="green",
                on_confirm=S.mark_paid(appointment_id),
            ),
        ),
        rx.cond(
            row["can_no_show"] == "true",
            _confirm_dialog(
                "no-show",
                label="No-show",
                title="Mark as a no-show?",
                description="The patient did not come to this appointment.",
                confirm="Mark no-show",
                color="orange",
                on_confirm=S.mark_no_show(appointment_id),
            ),
        ),
        rx.cond(
            row["can_refund"] == "true",
            _reason_dialog(
                "refund",
                row,
                label="Refund",
                title="Refund the payment?",
                description=("The fee goes back to the patient's payment method.",),
                confirm="Refund payment",
                color="amber",
            ),
        ),
        rx.cond(
            row["can_cancel"] == "true",
            _reason_dialog(
                "cancel",
                row,
                label="Cancel",
                title="Cancel this appointment?",
                description=(
                    "The slot is freed",
                    rx.cond(
                        row["can_refund"] == "true",
                        " and the payment is refunded to the patient.",
                        ".",
                    ),
                ),
                confirm="Cancel appointment",
                color="red",
            ),
        ),
        spacing="2",
        wrap="wrap",
        data_testid="appointment-actions",
    )
