"""Building blocks of the admin management pages: tables that scroll on phones (and their
cells with a grey note), the search form, the pager, badges, the shown-once password
card, and the doctor profile fields (add and edit)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import reflex as rx
from reflex.event import EventCallback, EventType
from reflex.vars import ObjectVar, Var

from healthcareplus.domain.admin.doctor_fields import DOCTOR_GENDERS
from healthcareplus.domain.catalog.specializations import SPECIALIZATIONS
from healthcareplus.ui.shared.forms import (
    labelled,
    native_select,
    row_options,
    select_field,
    text_field,
    textarea_field,
)
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import list_body, when_loaded
from healthcareplus.ui.shared.profile_fields import email_field, name_field, phone_field
from healthcareplus.ui.shared.tables import (
    header_row,
    page_of,
    pager_bar,
    scroll_table,
    step_button,
)
from healthcareplus.ui.shared.typed import RowsVar, RowVar


def data_table(
    headers: Sequence[str], rows: rx.Component, testid: str, header: rx.Component | None = None
) -> rx.Component:
    """A table with one heading per column (``headers``, or the ``header`` given); on a
    phone each row is a card."""
    top = header if header is not None else header_row(*headers, white_space="nowrap")
    return scroll_table(top, rows, testid=testid)


def _sort_heading(label: str, key: str | None, state: Any) -> rx.Component:
    """A column heading; a button sorting the list by its column when it has a ``key``
    (``aria-sort`` tells screen readers the order shown)."""
    if key is None:
        return rx.table.column_header_cell(label, white_space="nowrap")
    ascending, descending = state.sort == key, state.sort == f"-{key}"
    arrow = rx.cond(
        ascending,
        rx.icon("arrow-up", size=14),
        rx.cond(descending, rx.icon("arrow-down", size=14), rx.icon("arrow-up-down", size=14)),
    )
    button = rx.button(
        label,
        arrow,
        type="button",
        variant="ghost",
        color_scheme="gray",
        size="1",
        on_click=state.sort_by(key),
        data_testid=f"sort-{key}",
    )
    order = rx.cond(ascending, "ascending", rx.cond(descending, "descending", "none"))
    return rx.table.column_header_cell(
        button, white_space="nowrap", custom_attrs={"aria-sort": order}
    )


def sort_menu(headers: Sequence[str], keys: Sequence[str | None], state: Any) -> rx.Component:
    """On a phone, where the rows are cards and the headings are out of sight: the same
    sorts as a menu (each sortable column both ways)."""
    options = [rx.el.option(t("Default order"), value="")]
    for label, key in zip(headers, keys, strict=True):
        if key is not None:
            options += [
                rx.el.option(f"{label} (ascending)", value=key),
                rx.el.option(f"{label} (descending)", value=f"-{key}"),
            ]
    menu = native_select(
        *options, id="list-sort", value=state.sort, on_change=state.sort_by, width="100%"
    )
    return rx.box(labelled("Sort by", "list-sort", menu), class_name="phone-only", width="100%")


def sort_header(headers: Sequence[str], keys: Sequence[str | None], state: Any) -> rx.Component:
    """A list's header whose headings sort it (``keys``: each column's sort key, None for
    a column it cannot be sorted by; ``state`` is a ``lists.SortedList``)."""
    if len(keys) != len(headers):
        raise ValueError(f"{len(keys)} sort keys for {len(headers)} column headings")
    cells = [_sort_heading(label, key, state) for label, key in zip(headers, keys, strict=True)]
    return rx.table.header(rx.table.row(*cells))


def cell_with_note(value: Any, note: Any) -> rx.Component:
    """A table cell: ``value`` with a small grey ``note`` under it."""
    return rx.table.cell(value, rx.text(note, size="1", color_scheme="gray"))


def pager(p: RowVar, on_page: EventCallback[int], testid: str) -> rx.Component:
    """ "21–40 of 127" with previous/next buttons (``p`` is a state's pager row)."""
    summary = rx.text(
        p["first_item"] + "–" + p["last_item"] + " of " + p["total"],
        size="2",
        color_scheme="gray",
        data_testid=f"{testid}-summary",
    )
    return rx.cond(
        (p["total"] != "") & (p["total"] != "0"),
        pager_bar(
            summary,
            step_button(
                "Previous",
                forward=False,
                size="2",
                disabled=p["has_prev"] != "true",
                on_click=on_page(p["prev"].to(int)),
                aria_label=t("Previous page"),
            ),
            page_of(p["page"], p["pages"]),
            step_button(
                "Next",
                forward=True,
                size="2",
                disabled=p["has_next"] != "true",
                on_click=on_page(p["next"].to(int)),
                aria_label=t("Next page"),
            ),
            data_testid=testid,
        ),
    )


def search_form(
    search_id: str,
    placeholder: str,
    default: str | Var[str],
    *filters: rx.Component,
    key: Var[int] | Var[str],
    on_submit: EventType[dict[str, Any]],
    columns: Any,
) -> rx.Component:
    """A list's search box (the field ``q``), its filters and the Search button."""
    box = rx.input(
        id=search_id,
        name="q",
        default_value=default,
        max_length=100,
        placeholder=placeholder,
        size="3",
        width="100%",
    )
    return rx.form(
        rx.grid(
            labelled("Search", search_id, box, style={"fontWeight": "500"}, width=None),
            *filters,
            rx.button(rx.icon("search"), t("Search"), type="submit", align_self="end"),
            columns=columns,
            spacing="3",
            width="100%",
        ),
        key=key,
        on_submit=on_submit,
        reset_on_submit=False,
        width="100%",
    )


def paged_table(
    state: Any,
    headers: Sequence[str],
    row: Callable[[RowVar], rx.Component],
    name: str,
    empty: rx.Component | None = None,
    sorts: Sequence[str | None] | None = None,
) -> rx.Component:
    """A list state's page of rows as the table "<name>-table" (``empty`` when there are
    none), with the pager "<name>-pager" under it. ``state`` has ``loaded``, ``items``,
    ``pager`` and ``go_page`` (see ``lists.PagedList``); with ``sorts`` (each column's
    sort key) the headings sort it (``lists.SortedList``)."""
    header = sort_header(headers, sorts, state) if sorts is not None else None
    table = data_table(headers, rx.foreach(state.items, row), f"{name}-table", header)
    if sorts is not None:
        table = rx.fragment(sort_menu(headers, sorts, state), table)
    body = (
        when_loaded(state.loaded, table)
        if empty is None
        else list_body(state.loaded, state.items, table, empty)
    )
    return rx.fragment(body, pager(state.pager, state.go_page, f"{name}-pager"))


def flag_badge(
    flag: Var[str], on: tuple[str, str], off: tuple[str, str], testid: str
) -> rx.Component:
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
    default_value: str | Var[str],
    first: tuple[str, str] | None = ("All", ""),
) -> rx.Component:
    children = [rx.el.option(first[0], value=first[1])] if first else []
    choices = options if isinstance(options, list) else [options]
    control = native_select(
        *children, *choices, id=control_id, name=name, default_value=default_value
    )
    return labelled(label, control_id, control)


def one_time_password_card(
    created: ObjectVar[dict[str, str]], on_dismiss: EventType[()], who: str = "The doctor"
) -> rx.Component:
    """The new account's sign-in details, shown once (the server keeps only a hash)."""
    return rx.cond(
        created.contains("password") & (created["password"] != ""),
        rx.callout(
            rx.vstack(
                rx.text(
                    rx.text.strong(created["name"]),
                    t(" can now sign in as "),
                    rx.code(created["email"], data_testid="new-login-email"),
                    t(" with this one-time password:"),
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
                        t("Copy"),
                        size="1",
                        variant="soft",
                        on_click=rx.set_clipboard(created["password"]),
                    ),
                    align="center",
                    wrap="wrap",
                ),
                rx.text(
                    t("It is shown only this once: only a hash of it is stored, so it cannot be "),
                    f"shown again. Hand it to {who.lower()} securely.",
                    size="2",
                ),
                rx.button(t("I have noted it"), size="2", variant="outline", on_click=on_dismiss),
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
    errors: ObjectVar[dict[str, str]],
    values: ObjectVar[dict[str, str]] | dict[str, str],
    hospitals: RowsVar,
    *,
    form_id: str,
    with_email: bool,
) -> rx.Component:
    """The doctor profile inputs shared by the add dialog and the edit page."""

    def value(key: str) -> str | Var[str]:
        return values[key] if isinstance(values, Var) else values.get(key, "")

    def field(label: str, name: str, **props: Any) -> rx.Component:
        return text_field(label, name, errors, form_id=form_id, default_value=value(name), **props)

    def choice(label: str, name: str, options: Any) -> rx.Component:
        return select_field(
            label, name, errors, options, form_id=form_id, default_value=value(name)
        )

    fields = [
        name_field(
            errors, form_id=form_id, default_value=value("name"), placeholder=t("Dr. Priya Nair")
        ),
        choice("Specialization", "specialization", list(SPECIALIZATIONS)),
        field("Qualification", "qualification", placeholder=t("MBBS, MD"), required=True),
        field(
            "Experience (years)", "experience_years", type_="number", required=True, max_length=2
        ),
        field(
            "Consultation fee (₹)",
            "fee_rupees",
            type_="number",
            placeholder="100 – 10,000",
            required=True,
            max_length=6,
        ),
        choice("Gender", "gender", list(DOCTOR_GENDERS)),
        field("Languages", "languages", placeholder=t("English, Hindi, Kannada"), required=True),
        choice("Hospital", "hospital_id", row_options(hospitals)),
    ]
    if with_email:
        fields.append(email_field(errors, form_id=form_id, label="Email (sign-in)"))
    fields.append(phone_field(errors, form_id=form_id, default_value=value("phone")))
    return rx.vstack(
        rx.grid(*fields, columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
        textarea_field(
            t("About"),
            "about",
            errors,
            form_id=form_id,
            default_value=value("about"),
            max_length=2000,
        ),
        spacing="3",
        width="100%",
    )
