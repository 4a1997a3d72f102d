"""Doctor search page parts: the filters form (from the URL's query) and the pager."""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.core.validation import GENDERS
from healthcareplus.ui.patient.doctor_search_state import DoctorSearchState as S
from healthcareplus.ui.shared.forms import (
    fixed_options,
    labelled,
    native_select,
    row_options,
    search_bar,
    stacked_form,
)
from healthcareplus.ui.shared.tables import centred_pager, neighbour_page, page_of

SORTS = (
    ("relevance", "Most relevant"),
    ("experience", "Most experienced"),
    ("fee", "Fee: low to high"),
    ("fee_desc", "Fee: high to low"),
    ("name", "Name"),
)


def _labelled(label: str, name: str, control: rx.Component) -> rx.Component:
    return labelled(label, f"filter-{name}", control, style={"fontSize": "13px"})


def _select(name: str, *options: rx.Component, blank: str | None = "All") -> rx.Component:
    return native_select(
        *options, blank=blank, id=f"filter-{name}", name=name, default_value=S.form[name]
    )


def _input(name: str, **props: Any) -> rx.Component:
    """A number (or other ``type``) filter input named ``name``, showing the URL's value."""
    kind = props.pop("type", "number")
    return rx.input(
        id=f"filter-{name}",
        name=name,
        type=kind,
        width="100%",
        default_value=S.form[name],
        **props,
    )


def search_filters() -> rx.Component:
    hospitals = rx.foreach(
        S.hospitals, lambda h: rx.el.option(h["name"] + ", " + h["city_name"], value=h["id"])
    )
    specializations = rx.foreach(S.specializations, lambda s: rx.el.option(s, value=s))
    genders = [rx.el.option(g, value=g) for g in GENDERS[:2]]
    grid = rx.grid(
        _labelled("City", "city", _select("city", row_options(S.cities, "name"))),
        _labelled("Hospital", "hospital", _select("hospital", hospitals)),
        _labelled("Speciality", "specialization", _select("specialization", specializations)),
        _labelled("Gender", "gender", _select("gender", *genders)),
        _labelled("Min. experience (years)", "min_exp", _input("min_exp", min=0, max=70)),
        _labelled("Max. fee (₹)", "max_fee", _input("max_fee", min=0, step=50)),
        _labelled("Available on", "date", _input("date", type="date")),
        _labelled("Sort by", "sort", _select("sort", *fixed_options(SORTS), blank=None)),
        columns=rx.breakpoints(initial="2", md="4"),
        spacing="3",
        width="100%",
    )
    return stacked_form(
        search_bar("Doctor name or speciality", S.form["q"]),
        grid,
        rx.hstack(
            rx.button("Apply filters", type="submit", variant="soft"),
            rx.button("Clear", type="button", variant="ghost", on_click=S.clear),
            spacing="3",
        ),
        key=S.form_key,
        on_submit=S.apply,
    )


def search_pager() -> rx.Component:
    return centred_pager(
        rx.button(
            "Previous",
            variant="soft",
            disabled=~S.has_prev,
            on_click=S.go_to_page(neighbour_page(S.page, forward=False)),
        ),
        page_of(S.page, S.pages, data_testid="page-indicator"),
        rx.button(
            "Next",
            variant="soft",
            disabled=~S.has_next,
            on_click=S.go_to_page(neighbour_page(S.page, forward=True)),
        ),
    )
