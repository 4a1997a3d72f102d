"""Building blocks of the admin management pages: tables that scroll on phones, a pager,
badges, the shown-once password card, and the doctor profile fields (add and edit)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import reflex as rx
from reflex.vars import Var

from healthcareplus.domain.admin.doctors import DOCTOR_GENDERS
from healthcareplus.domain.catalog.specializations import SPECIALIZATIONS
from healthcareplus.ui.shared.forms import (
    NATIVE_SELECT_STYLE,
    field_error,
    select_field,
    text_field,
    textarea_field,
)

LABEL_STYLE = {"fontWeight": "500", "fontSize": "14px"}


def data_table(headers: Sequence[str], rows: rx.Component, testid: str) -> rx.Component:
    """A table whose columns stay readable on a phone: the box scrolls sideways."""
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *(rx.table.column_header_cell(h, white_space="nowrap") for h in headers)
                )
            ),
            rx.table.body(rows),
            variant="surface",
            size="2",
            width="100%",
        ),
        overflow_x="auto",
        width="100%",
        data_testid=testid,
    )


def pager(p: Var, on_page: Callable[[Var], rx.event.EventSpec], testid: str) -> rx.Component:
    """ "21–40 of 127" with previous/next buttons (``p`` is a state's pager row)."""
    return rx.cond(
        (p["total"] != "") & (p["total"] != "0"),
        rx.hstack(
            rx.text(
                p["first_item"] + "–" + p["last_item"] + " of " + p["total"],
                size="2",
                color_scheme="gray",
                data_testid=f"{testid}-summary",
            ),
            rx.spacer(),
            rx.button(
                rx.icon("chevron-left", size=16),
                "Previous",
                variant="soft",
                size="2",
                disabled=p["has_prev"] != "true",
                on_click=on_page(p["prev"]),
                aria_label="Previous page",
            ),
            rx.text("Page ", p["page"], " of ", p["pages"], size="2"),
            rx.button(
                "Next",
                rx.icon("chevron-right", size=16),
                variant="soft",
                size="2",
                disabled=p["has_next"] != "true",
                on_click=on_page(p["next"]),
                aria_label="Next page",
            ),
            align="center",
            width="100%",
            wrap="wrap",
            spacing="2",
            data_testid=testid,
        ),
    )


def flag_badge(flag: Var, on: tuple[str, str], off: tuple[str, str], testid: str) -> rx.Component:
    """A badge for a "true"/"false" row value: (label, colour) for each case."""
    return rx.badge(
        rx.cond(flag == "true", on[0], off[0]),
        color_scheme=rx.cond(flag == "true", on[1], off[1]),
        variant="soft",
        data_testid=testid,
    )


def labelled_select(
    label: str,
    name: str,
    control_id: str,
    options: rx.Component | list[rx.Component],
    default_value: str | Var,
    first: tuple[str, str] | None = ("All", ""),
) -> rx.Component:
    children = [rx.el.option(first[0], value=first[1])] if first else []
    return rx.vstack(
        rx.el.label(label, html_for=control_id, style=LABEL_STYLE),
        rx.el.select(
            *children,
            *(options if isinstance(options, list) else [options]),
            id=control_id,
            name=name,
            default_value=default_value,
            style=NATIVE_SELECT_STYLE,
        ),
        spacing="1",
        width="100%",
    )


def one_time_password_card(
    created: Var, on_dismiss: rx.event.EventSpec, who: str = "The doctor"
) -> rx.Component:
    """The new account's sign-in details, shown once (the server keeps only a hash)."""
    return rx.cond(
        created.contains("password") & (created["password"] != ""),
        rx.callout(
            rx.vstack(
                rx.text(
                    rx.text.strong(created["name"]),
                    " can now sign in as ",
                    rx.code(created["email"], data_testid="new-login-email"),
                    " with this one-time password:",
                ),
                rx.hstack(
                    rx.code(
                        created["password"],
                        size="5",
                        weight="bold",
                        data_testid="one-time-password",
                    ),
                    rx.button(
                        rx.icon("copy", size=14),
                        "Copy",
                        size="1",
                        variant="soft",
                        on_click=rx.set_clipboard(created["password"]),
                    ),
                    align="center",
                    wrap="wrap",
                ),
                rx.text(
                    "It is shown only this once: only a hash of it is stored, so it cannot be ",
                    f"shown again. Hand it to {who.lower()} securely.",
                    size="2",
                ),
                rx.button("I have noted it", size="2", variant="outline", on_click=on_dismiss),
                spacing="2",
                align="start",
            ),
            icon="key-round",
            color_scheme="amber",
            width="100%",
            role="status",
            data_testid="password-card",
        ),
    )


def doctor_fields(
    errors: Var,
    values: Var | dict[str, str],
    hospitals: Var,
    *,
    form_id: str,
    with_email: bool,
) -> rx.Component:
    """The doctor profile inputs shared by the add dialog and the edit page."""

    def value(key: str) -> Var | str:
        return values[key] if isinstance(values, Var) else values.get(key, "")

    hospital_id = f"{form_id}-hospital_id"
    fields = [
        text_field(
            "Full name",
            "name",
            errors,
            form_id=form_id,
            default_value=value("name"),
            placeholder="Dr. Priya Nair",
            required=True,
            max_length=120,
        ),
        select_field(
            "Specialization",
            "specialization",
            errors,
            list(SPECIALIZATIONS),
            form_id=form_id,
            default_value=value("specialization"),
        ),
        text_field(
            "Qualification",
            "qualification",
            errors,
            form_id=form_id,
            default_value=value("qualification"),
            placeholder="MBBS, MD",
            required=True,
        ),
        text_field(
            "Experience (years)",
            "experience_years",
            errors,
            form_id=form_id,
            type_="number",
            default_value=value("experience_years"),
            required=True,
            max_length=2,
        ),
        text_field(
            "Consultation fee (₹)",
            "fee_rupees",
            errors,
            form_id=form_id,
            type_="number",
            default_value=value("fee_rupees"),
            placeholder="100 – 10,000",
            required=True,
            max_length=6,
        ),
        select_field(
            "Gender",
            "gender",
            errors,
            list(DOCTOR_GENDERS),
            form_id=form_id,
            default_value=value("gender"),
        ),
        text_field(
            "Languages",
            "languages",
            errors,
            form_id=form_id,
            default_value=value("languages"),
            placeholder="English, Hindi, Kannada",
            required=True,
        ),
        rx.vstack(
            rx.el.label("Hospital", html_for=hospital_id, style=LABEL_STYLE),
            rx.el.select(
                rx.el.option("Select…", value=""),
                rx.foreach(hospitals, lambda h: rx.el.option(h["label"], value=h["id"])),
                id=hospital_id,
                name="hospital_id",
                default_value=value("hospital_id"),
                style=NATIVE_SELECT_STYLE,
            ),
            field_error(errors, "hospital_id"),
            spacing="1",
            width="100%",
        ),
    ]
    if with_email:
        fields.append(
            text_field(
                "Email (sign-in)",
                "email",
                errors,
                form_id=form_id,
                type_="email",
                required=True,
                max_length=254,
            )
        )
    fields.append(
        text_field(
            "Mobile number",
            "phone",
            errors,
            form_id=form_id,
            type_="tel",
            default_value=value("phone"),
            required=True,
            max_length=20,
        )
    )
    return rx.vstack(
        rx.grid(*fields, columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
        textarea_field(
            "About", "about", errors, form_id=form_id, default_value=value("about"), max_length=2000
        ),
        spacing="3",
        width="100%",
    )


def reason_form(
    label: str,
    field_id: str,
    error: Var,
    on_submit: Callable,
    submit: rx.Component,
    *,
    required: bool,
) -> rx.Component:
    """A one-field reason form for a confirmation dialog."""
    return rx.form(
        rx.vstack(
            rx.el.label(label, html_for=field_id, style=LABEL_STYLE),
            rx.text_area(
                id=field_id,
                name="reason",
                required=required,
                max_length=500,
                rows="3",
                width="100%",
            ),
            rx.cond(error != "", rx.text(error, color_scheme="red", size="2", role="alert")),
            submit,
            spacing="2",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
        width="100%",
    )
