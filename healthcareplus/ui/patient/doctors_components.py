"""Doctor search page parts: the filters form (from the URL's query) and the pager."""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.core.i18n import N_
from healthcareplus.core.validation import GENDERS
from healthcareplus.ui.patient.doctor_search_state import DoctorSearchState as S
from healthcareplus.ui.shared.forms import (
    labelled,
    native_select,
    row_options,
    search_bar,
    stacked_form,
)
from healthcareplus.ui.shared.i18n import catalog_label, t
from healthcareplus.ui.shared.tables import centred_pager, neighbour_page, page_of

SORTS = (
    ("relevance", N_("Most relevant")),
    ("experience", N_("Most experienced")),
    ("fee", N_("Fee: low to high")),
    ("fee_desc", N_("Fee: high to low")),
    ("name", N_("Name")),
    ("rating", N_("Highest rated")),
)
# The genders a search filters by, as the filter names them.
GENDER_LABELS = {"Male": N_("Male"), "Female": N_("Female")}


def _labelled(label: str, name: str, control: rx.Component) -> rx.Component:
    return labelled(t(label), f"filter-{name}", control, style={"fontSize": "13px"})


def _select(name: str, *options: rx.Component, blank: str | None = N_("All")) -> rx.Component:
    return native_select(
        *options,
        blank=None if blank is None else t(blank),
        id=f"filter-{name}",
        name=name,
        default_value=S.form[name],
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
    specializations = rx.foreach(
        S.specializations, lambda s: rx.el.option(catalog_label(s), value=s)
    )
    genders = [rx.el.option(t(GENDER_LABELS.get(g, g)), value=g) for g in GENDERS[:2]]
    grid = rx.grid(
        _labelled(N_("City"), "city", _select("city", row_options(S.cities, "name"))),
        _labelled(N_("Hospital"), "hospital", _select("hospital", hospitals)),
        _labelled(N_("Speciality"), "specialization", _select("specialization", specializations)),
        _labelled(N_("Gender"), "gender", _select("gender", *genders)),
        _labelled(N_("Min. experience (years)"), "min_exp", _input("min_exp", min=0, max=70)),
        _labelled(N_("Max. fee (₹)"), "max_fee", _input("max_fee", min=0, step=50)),
        _labelled(N_("Available on"), "date", _input("date", type="date")),
        _labelled(
            N_("Sort by"),
            "sort",
            _select("sort", *[rx.el.option(t(label), value=v) for v, label in SORTS], blank=None),
        ),
        columns=rx.breakpoints(initial="2", md="4"),
        spacing="3",
        width="100%",
    )
    return stacked_form(
        search_bar(t("Doctor name or speciality"), S.form["q"]),
        grid,
        rx.hstack(
            rx.button(t("Apply filters"), type="submit", variant="soft"),
            rx.button(t("Clear"), type="button", variant="ghost", on_click=S.clear),
            spacing="3",
        ),
        key=S.form_key,
        on_submit=S.apply,
    )


def search_pager() -> rx.Component:
    return centred_pager(
        rx.button(
            t("Previous"),
            variant="soft",
            disabled=~S.has_prev,
            on_click=S.go_to_page(neighbour_page(S.page, forward=False)),
        ),
        page_of(S.page, S.pages, data_testid="page-indicator"),
        rx.button(
            t("Next"),
            variant="soft",
            disabled=~S.has_next,
            on_click=S.go_to_page(neighbour_page(S.page, forward=True)),
        ),
    )
