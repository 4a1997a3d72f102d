"""Dialogs: the scaffold (trigger, title, description, body), its closing row of buttons,
the "are you sure?" confirmation, and the one-field form for an action's reason."""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.ui.shared.forms import LABEL_STYLE, stacked_form


def _parts(text: Any) -> tuple[Any, ...]:
    return text if isinstance(text, tuple) else (text,)


def dialog(
    title: Any,
    description: Any,
    *body: rx.Component,
    trigger: rx.Component | None = None,
    alert: bool = False,
    shown: Any = None,
    on_open_change: Any = None,
    text_size: str | None = "2",
    **content: Any,
) -> rx.Component:
    """A dialog (an alert dialog when ``alert``): opened by ``trigger`` or, when the state
    controls it, while ``shown``; its ``title``, its ``description`` (None: none) in
    ``text_size``, then ``body``. A tuple title or description has several parts."""
    kit = rx.alert_dialog if alert else rx.dialog
    opener = [] if trigger is None else [kit.trigger(trigger)]
    about = [] if description is None else [kit.description(*_parts(description), size=text_size)]
    return kit.root(
        *opener,
        kit.content(kit.title(*_parts(title)), *about, *body, **content),
        open=shown,
        on_open_change=on_open_change,
    )


def dialog_buttons(
    back: Any, confirm: rx.Component, *, alert: bool = False, **row: Any
) -> rx.Component:
    """A dialog's closing row: a grey button that closes it, then ``confirm``."""
    close = rx.alert_dialog.cancel if alert else rx.dialog.close
    return rx.hstack(
        close(rx.button(back, type="button", variant="soft", color_scheme="gray")),
        confirm,
        justify="end",
        spacing="3",
        **row,
    )


def confirm_dialog(
    trigger: rx.Component,
    title: Any,
    description: Any,
    back: Any,
    confirm: rx.Component,
    *,
    size: str = "2",
    **content: Any,
) -> rx.Component:
    """An alert dialog that asks before acting: ``confirm`` (a button that acts) closes
    it, and so does ``back`` (``size`` is the description's text size)."""
    buttons = dialog_buttons(back, rx.alert_dialog.action(confirm), alert=True, margin_top="1em")
    return dialog(
        title, description, buttons, trigger=trigger, alert=True, text_size=size, **content
    )


def reason_form(
    label: str,
    field_id: str,
    on_submit: Any,
    *below: rx.Component,
    control: Any = rx.text_area,
    stack: dict[str, Any] | None = None,
    **field: Any,
) -> rx.Component:
    """A dialog's one-field form for the reason of an action: the labelled ``control``
    (a text area named ``reason`` unless told), then what goes ``below`` it (its error
    and the buttons)."""
    area = {"rows": "3"} if control is rx.text_area else {}
    props = {"name": "reason", "max_length": 500, **area, "width": "100%", **field}
    return stacked_form(
        rx.el.label(label, html_for=field_id, style=LABEL_STYLE),
        control(id=field_id, **props),
        *below,
        on_submit=on_submit,
        spacing="2",
        stack=stack,
    )
