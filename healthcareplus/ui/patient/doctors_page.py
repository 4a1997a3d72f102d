"""All doctors: search box, filters, sort, results and pagination."""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.patient.doctor_search_state import DoctorSearchState as S
from healthcareplus.ui.patient.doctor_search_state import FirstPage, first_page
from healthcareplus.ui.patient.doctors_components import search_filters, search_pager
from healthcareplus.ui.patient.first_view import live_or_built, read_at_build
from healthcareplus.ui.shared.doctor_cards import doctor_grid
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import (
    empty_block,
    loading_block,
    sections,
    titled_page,
    when_loaded,
)
from healthcareplus.ui.shared.registry import Page

# The build's first view is the unfiltered search. It may show before the app is live
# (the router is still empty) and, once live, at /doctors without filters: never at a
# URL with filters, nor on the way in from another page.
_URL = rx.State.router.url
UNFILTERED = (_URL.path == "") | (
    ((_URL.path == routes.DOCTORS) | (_URL.path == routes.DOCTORS + "/")) & (_URL.query == "")
)
# Run as the prerendered page is parsed, before its first paint (the router is empty
# then): a URL with filters hides the first view and shows the spinner instead.
MARK_FILTERED = (
    'document.documentElement.toggleAttribute("data-hcp-filtered", location.search !== "")'
)
WHEN_FILTERED = "html[data-hcp-filtered] &"


def _results(doctors: Any, chips: Any, first: Any, last: Any, total: Any) -> rx.Component:
    count = rx.heading(
        t("Showing {first}–{last} of {total} doctors", first=first, last=last, total=total),
        as_="h2",
        size="3",
        weight="regular",
        color_scheme="gray",
        data_testid="result-count",
    )
    return sections(count, doctor_grid(doctors, chips), rx.cond(~S.loading, search_pager()))


def _body(built: FirstPage | None) -> rx.Component:
    none = empty_block(
        t("No doctors match"), t("Try removing a filter or searching by speciality.")
    )
    if built is None or not built.doctors:
        results = _results(S.doctors, S.next_slots, S.first_item, S.last_item, S.total)
        return when_loaded(~S.loading, rx.cond(S.total > 0, results, none), t("Searching…"))
    # One tree for both: the live values replace the build's in place.
    live = (S.doctors, S.next_slots, S.first_item, S.last_item, S.total)
    doctors, chips, first, last, total = (
        live_or_built(~S.loading, var, value) for var, value in zip(live, built, strict=True)
    )
    results = rx.cond(total > 0, _results(doctors, chips, first, last, total), none)
    first_view = S.loading & UNFILTERED
    return rx.fragment(
        rx.el.script(custom_attrs={"dangerouslySetInnerHTML": {"__html": MARK_FILTERED}}),
        rx.box(
            when_loaded(~S.loading | UNFILTERED, results, t("Searching…")),
            data_first_view=rx.cond(first_view, "yes", "no"),
            style={WHEN_FILTERED + "[data-first-view=yes]": {"display": "none"}},
            width="100%",
        ),
        rx.cond(
            first_view,
            rx.box(
                loading_block(t("Searching…")),
                display="none",
                style={WHEN_FILTERED: {"display": "block"}},
            ),
        ),
    )


def doctors_page() -> rx.Component:
    return titled_page(
        t("Find a doctor"),
        rx.card(search_filters(), width="100%"),
        _body(read_at_build(first_page)),
    )


PAGES = [Page(doctors_page, routes.DOCTORS, N_("Find a doctor"), [S.load])]
