"""All doctors: search box, filters, sort, results and pagination."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.validation import GENDERS
from healthcareplus.ui.patient.doctor_search_state import DoctorSearchState as S
from healthcareplus.ui.shared.cards import doctor_grid
from healthcareplus.ui.shared.forms import NATIVE_SELECT_STYLE, search_bar
from healthcareplus.ui.shared.layout import empty_block, loading_block, page_shell
from healthcareplus.ui.shared.registry import Page

SORTS = (
    ("relevance", "Most relevant"),
    ("experience", "Most experienced"),
    ("fee", "Fee: low to high"),
    ("fee_desc", "Fee: high to low"),
    ("name", "Name"),
)


def _labelled(label: str, name: str, control: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=f"filter-{name}", style={"fontSize": "13px"}),
        control,
        spacing="1",
        width="100%",
    )


def _select(name: str, options: rx.Component | list, default: str = "All") -> rx.Component:
    return rx.el.select(
        rx.el.option(default, value=""),
        *options if isinstance(options, list) else [options],
        id=f"filter-{name}",
        name=name,
        default_value=S.form[name],
        style=NATIVE_SELECT_STYLE,
    )


def _filters() -> rx.Component:
    grid = rx.grid(
        _labelled(
            "City",
            "city",
            _select("city", rx.foreach(S.cities, lambda c: rx.el.option(c["name"], value=c["id"]))),
        ),
        _labelled(
            "Hospital",
            "hospital",
            _select(
                "hospital",
                rx.foreach(
                    S.hospitals,
                    lambda h: rx.el.option(h["name"] + ", " + h["city_name"], value=h["id"]),
                ),
            ),
        ),
        _labelled(
            "Speciality",
            "specialization",
            _select(
                "specialization", rx.foreach(S.specializations, lambda s: rx.el.option(s, value=s))
            ),
        ),
        _labelled(
            "Gender", "gender", _select("gender", [rx.el.option(g, value=g) for g in GENDERS[:2]])
        ),
        _labelled(
            "Min. experience (years)",
            "min_exp",
            rx.input(
                id="filter-min_exp",
                name="min_exp",
                type="number",
                min=0,
                max=70,
                width="100%",
                default_value=S.form["min_exp"],
            ),
        ),
        _labelled(
            "Max. fee (₹)",
            "max_fee",
            rx.input(
                id="filter-max_fee",
                name="max_fee",
                type="number",
                min=0,
                step=50,
                width="100%",
                default_value=S.form["max_fee"],
            ),
        ),
        _labelled(
            "Available on",
            "date",
            rx.input(
                id="filter-date",
                name="date",
                type="date",
                width="100%",
                default_value=S.form["date"],
            ),
        ),
        _labelled(
            "Sort by",
            "sort",
            rx.el.select(
                *[rx.el.option(label, value=value) for value, label in SORTS],
                id="filter-sort",
                name="sort",
                default_value=S.form["sort"],
                style=NATIVE_SELECT_STYLE,
            ),
        ),
        columns=rx.breakpoints(initial="2", md="4"),
        spacing="3",
        width="100%",
    )
    return rx.form(
        rx.vstack(
            search_bar("Doctor name or speciality", S.form["q"]),
            grid,
            rx.hstack(
                rx.button("Apply filters", type="submit", variant="soft"),
                rx.button("Clear", type="button", variant="ghost", on_click=S.clear),
                spacing="3",
            ),
            spacing="3",
            width="100%",
        ),
        key=S.form_key,
        on_submit=S.apply,
        reset_on_submit=False,
        width="100%",
    )


def _pager() -> rx.Component:
    return rx.hstack(
        rx.button(
            "Previous", variant="soft", disabled=~S.has_prev, on_click=S.go_to_page(S.page - 1)
        ),
        rx.text("Page ", S.page, " of ", S.pages, size="2", data_testid="page-indicator"),
        rx.button("Next", variant="soft", disabled=~S.has_next, on_click=S.go_to_page(S.page + 1)),
        justify="center",
        align="center",
        spacing="3",
        width="100%",
    )


def doctors_page() -> rx.Component:
    return page_shell(
        rx.vstack(
            rx.heading("Find a doctor", size="7", as_="h1"),
            rx.card(_filters(), width="100%"),
            rx.cond(
                S.loading,
                loading_block("Searching…"),
                rx.cond(
                    S.total > 0,
                    rx.vstack(
                        rx.text(
                            "Showing ",
                            S.first_item,
                            "–",
                            S.last_item,
                            " of ",
                            S.total,
                            " doctors",
                            color_scheme="gray",
                            data_testid="result-count",
                        ),
                        doctor_grid(S.doctors),
                        _pager(),
                        spacing="4",
                        width="100%",
                    ),
                    empty_block(
                        "No doctors match", "Try removing a filter or searching by speciality."
                    ),
                ),
            ),
            spacing="4",
            width="100%",
        )
    )


PAGES = [
    Page(doctors_page, routes.DOCTORS, "Find a doctor", [S.load]),
]
