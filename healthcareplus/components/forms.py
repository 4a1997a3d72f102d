"""Form building blocks: a labelled field with its server-side error under it."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var


def field_error(errors: Var, name: str) -> rx.Component:
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], color_scheme="red", size="2", data_testid=f"error-{name}"),
    )


def text_field(
    label: str,
    name: str,
    errors: Var,
    *,
    form_id: str,
    type_: str = "text",
    placeholder: str = "",
    default_value: str | Var = "",
    autocomplete: str = "off",
    required: bool = False,
    max_length: int = 200,
) -> rx.Component:
    input_id = f"{form_id}-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=input_id, style={"fontWeight": "500", "fontSize": "14px"}),
        rx.input(
            id=input_id,
            name=name,
            type=type_,
            placeholder=placeholder,
            default_value=default_value,
            auto_complete=autocomplete,
            required=required,
            max_length=max_length,
            width="100%",
            size="3",
        ),
        field_error(errors, name),
        spacing="1",
        width="100%",
    )


def form_alert(message: Var) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle-alert", color_scheme="red", role="alert", width="100%"),
    )


def select_field(
    label: str,
    name: str,
    errors: Var,
    options: Var | list[str],
    *,
    form_id: str,
    default_value: str | Var = "",
    placeholder: str = "Select…",
) -> rx.Component:
    """A native <select> (works with forms, keyboards and screen readers everywhere)."""
    input_id = f"{form_id}-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=input_id, style={"fontWeight": "500", "fontSize": "14px"}),
        rx.el.select(
            rx.el.option(placeholder, value=""),
            rx.foreach(options, lambda option: rx.el.option(option, value=option)),
            id=input_id,
            name=name,
            default_value=default_value,
            style=_NATIVE_CONTROL,
        ),
        field_error(errors, name),
        spacing="1",
        width="100%",
    )


def textarea_field(
    label: str,
    name: str,
    errors: Var,
    *,
    form_id: str,
    default_value: str | Var = "",
    placeholder: str = "",
    max_length: int = 1000,
) -> rx.Component:
    input_id = f"{form_id}-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=input_id, style={"fontWeight": "500", "fontSize": "14px"}),
        rx.text_area(
            id=input_id,
            name=name,
            default_value=default_value,
            placeholder=placeholder,
            max_length=max_length,
            width="100%",
            rows="3",
        ),
        field_error(errors, name),
        spacing="1",
        width="100%",
    )


_NATIVE_CONTROL = {
    "width": "100%",
    "height": "40px",
    "padding": "0 10px",
    "borderRadius": "8px",
    "border": "1px solid var(--gray-7)",
    "background": "var(--color-surface)",
    "color": "var(--gray-12)",
    "fontSize": "15px",
}
