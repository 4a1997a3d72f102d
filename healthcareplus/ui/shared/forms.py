"""Form building blocks: a labelled field with its server-side error under it."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var


def field_error(errors: Var, name: str) -> rx.Component:
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], color_scheme="red", size="2", data_testid=f"error-{name}"),
    )


def _labelled(
    label: str, input_id: str, control: rx.Component, errors: Var, name: str
) -> rx.Component:
    """A label tied to its control, the control, and the server's message for the field."""
    return rx.vstack(
        rx.el.label(label, html_for=input_id, style={"fontWeight": "500", "fontSize": "14px"}),
        control,
        field_error(errors, name),
        spacing="1",
        width="100%",
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
    control = rx.input(
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
    )
    return _labelled(label, input_id, control, errors, name)


def search_bar(placeholder: str, default_value: str | Var = "") -> rx.Component:
    """The doctor search box with its button (submits the field ``q``)."""
    return rx.hstack(
        rx.input(
            name="q",
            default_value=default_value,
            placeholder=placeholder,
            aria_label="Search doctors",
            size="3",
            max_length=100,
            flex="1",
        ),
        rx.button(rx.icon("search"), "Search", type="submit", size="3"),
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
    choices = (
        [rx.el.option(option, value=option) for option in options]
        if isinstance(options, list | tuple)
        else [rx.foreach(options, lambda option: rx.el.option(option, value=option))]
    )
    control = rx.el.select(
        rx.el.option(placeholder, value=""),
        *choices,
        id=input_id,
        name=name,
        default_value=default_value,
        style=NATIVE_SELECT_STYLE,
    )
    return _labelled(label, input_id, control, errors, name)


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
    control = rx.text_area(
        id=input_id,
        name=name,
        default_value=default_value,
        placeholder=placeholder,
        max_length=max_length,
        width="100%",
        rows="3",
    )
    return _labelled(label, input_id, control, errors, name)


NATIVE_SELECT_STYLE = {
    "width": "100%",
    "height": "40px",
    "padding": "0 10px",
    "borderRadius": "8px",
    "border": "1px solid var(--gray-7)",
    "background": "var(--color-surface)",
    "color": "var(--gray-12)",
    "fontSize": "15px",
}
