"""Form building blocks: labelled controls with their server-side error under them, native
selects and their options, and the full-width form every page submits."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar, Var

from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.typed import RowsVar

LABEL_STYLE = {"fontWeight": "500", "fontSize": "14px"}
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


def error_text(message: Any, **props: Any) -> rx.Component:
    """A refusal in red (size 2 unless told)."""
    props.setdefault("size", "2")
    return rx.text(message, color_scheme="red", **props)


def field_error(
    errors: ObjectVar[dict[str, str]], name: str | Var[str], **props: Any
) -> rx.Component:
    """The server's message for the field ``name`` (test id "error-<name>" unless told)."""
    props.setdefault("data_testid", f"error-{name}")
    return rx.cond(errors.contains(name), error_text(errors[name], **props))


def labelled(
    label: Any,
    input_id: str | Var[str],
    control: rx.Component,
    *below: rx.Component,
    style: dict[str, str] = LABEL_STYLE,
    width: str | None = "100%",
    **stack: Any,
) -> rx.Component:
    """A label tied to its control, the control, then what goes ``below`` it (its error)."""
    label_el = rx.el.label(label, html_for=input_id, style=style)
    return rx.vstack(label_el, control, *below, spacing="1", width=width, **stack)


def _field(
    make: Callable[..., rx.Component],
    label: str | Var[str],
    name: str,
    errors: ObjectVar[dict[str, str]],
    form_id: str,
    **props: Any,
) -> rx.Component:
    """``make(...)`` (an input or a text area) named ``name``, labelled, with its error."""
    input_id = f"{form_id}-{name}"
    control = make(id=input_id, name=name, width="100%", **props)
    return labelled(label, input_id, control, field_error(errors, name))


def text_field(
    label: str | Var[str],
    name: str,
    errors: ObjectVar[dict[str, str]],
    *,
    form_id: str,
    type_: str = "text",
    placeholder: str | Var[str] = "",
    default_value: str | Var[str] = "",
    autocomplete: str = "off",
    required: bool = False,
    max_length: int = 200,
) -> rx.Component:
    return _field(
        rx.input,
        label,
        name,
        errors,
        form_id,
        type=type_,
        placeholder=placeholder,
        default_value=default_value,
        auto_complete=autocomplete,
        required=required,
        max_length=max_length,
        size="3",
    )


PASSWORD_MAX = 72  # bcrypt reads at most 72 bytes


def password_field(
    label: str | Var[str],
    name: str,
    errors: ObjectVar[dict[str, str]],
    *,
    form_id: str,
    autocomplete: str = "new-password",
    required: bool = False,
) -> rx.Component:
    return text_field(
        label,
        name,
        errors,
        form_id=form_id,
        type_="password",
        autocomplete=autocomplete,
        required=required,
        max_length=PASSWORD_MAX,
    )


def textarea_field(
    label: str | Var[str],
    name: str,
    errors: ObjectVar[dict[str, str]],
    *,
    form_id: str,
    default_value: str | Var[str] = "",
    placeholder: str | Var[str] = "",
    max_length: int = 1000,
) -> rx.Component:
    return _field(
        rx.text_area,
        label,
        name,
        errors,
        form_id,
        default_value=default_value,
        placeholder=placeholder,
        max_length=max_length,
        rows="3",
    )


def fixed_options(pairs: Iterable[tuple[str, str]]) -> list[rx.Component]:
    """A select's options from (value, label) pairs."""
    return [rx.el.option(label, value=value) for value, label in pairs]


def row_options(rows: RowsVar, label: str = "label", value: str = "id") -> rx.Component:
    """A select's options from a state's rows (each row's ``label`` shown, ``value`` sent)."""
    return rx.foreach(rows, lambda row: rx.el.option(row[label], value=row[value]))


def native_select(*options: Any, blank: str | Var[str] | None = None, **props: Any) -> rx.Component:
    """A native <select> (works with forms, keyboards and screen readers everywhere),
    first offering ``blank`` (the value "") when given."""
    first = [rx.el.option(blank, value="")] if blank is not None else []
    props.setdefault("style", NATIVE_SELECT_STYLE)
    return rx.el.select(*first, *options, **props)


def select_field(
    label: str | Var[str],
    name: str,
    errors: ObjectVar[dict[str, str]],
    options: ArrayVar[list[str]] | list[str] | rx.Component,
    *,
    form_id: str,
    default_value: str | Var[str] = "",
    placeholder: str | Var[str] | None = None,
) -> rx.Component:
    """A labelled native select: ``options`` are texts (shown and sent as is) or the
    option elements themselves (``row_options``)."""
    input_id = f"{form_id}-{name}"
    if isinstance(options, list | tuple):
        choices = [rx.el.option(option, value=option) for option in options]
    elif isinstance(options, Var):
        choices = [rx.foreach(options, lambda option: rx.el.option(option, value=option))]
    else:
        choices = [options]
    blank = t("Select…") if placeholder is None else placeholder
    control = native_select(
        *choices, blank=blank, id=input_id, name=name, default_value=default_value
    )
    return labelled(label, input_id, control, field_error(errors, name))


def field_grid(*fields: rx.Component, columns: str = "2", spacing: str = "3") -> rx.Component:
    """Form fields side by side (``columns`` of them) from small screens up, one under
    the other on a phone."""
    return rx.grid(
        *fields, columns=rx.breakpoints(initial="1", sm=columns), spacing=spacing, width="100%"
    )


def stacked_form(
    *children: rx.Component,
    on_submit: Any,
    spacing: str = "3",
    key: Any = None,
    stack: dict[str, Any] | None = None,
    **form: Any,
) -> rx.Component:
    """A full-width form whose ``children`` stack full width. What was typed stays after a
    submit: the server answers with field errors, or with a new ``key`` for a blank form."""
    form.setdefault("width", "100%")
    return rx.form(
        rx.vstack(*children, spacing=spacing, width="100%", **(stack or {})),
        key=key,
        on_submit=on_submit,
        reset_on_submit=False,
        **form,
    )


def search_bar(placeholder: str | Var[str], default_value: str | Var[str] = "") -> rx.Component:
    """The doctor search box with its button (submits the field ``q``)."""
    return rx.hstack(
        rx.input(
            name="q",
            default_value=default_value,
            placeholder=placeholder,
            aria_label=t("Search doctors"),
            size="3",
            max_length=100,
            flex="1",
        ),
        rx.button(rx.icon("search"), t("Search"), type="submit", size="3"),
        width="100%",
    )


def form_alert(message: Var[str]) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle-alert", color_scheme="red", role="alert", width="100%"),
    )


def saved_note(saved: Var[str]) -> rx.Component:
    """The server's confirmation that a form was saved (nothing while it is empty)."""
    note = rx.callout(saved, icon="check", color_scheme="green", role="status")
    return rx.cond(saved != "", note)


def form_footer(
    message: Var[str], saved: Var[str], submit: str | Var[str], **button: Any
) -> rx.Component:
    """The end of an edit form: its message, the saved note and the submit button."""
    return rx.fragment(
        form_alert(message), saved_note(saved), rx.button(submit, type="submit", **button)
    )
