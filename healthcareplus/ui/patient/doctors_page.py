"""All doctors: search box, filters, sort, results and pagination."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.patient.doctor_search_state import DoctorSearchState as S
from healthcareplus.ui.patient.doctors_components import search_filters, search_pager
from healthcareplus.ui.shared.doctor_cards import doctor_grid
from healthcareplus.ui.shared.layout import empty_block, sections, titled_page, when_loaded
from healthcareplus.ui.shared.registry import Page


def doctors_page() -> rx.Component:
    count = rx.text(
        "Showing ",
        S.first_item,
        "–",
        S.last_item,
        " of ",
        S.total,
        " doctors",
        color_scheme="gray",
        data_testid="result-count",
    )
    results = sections(count, doctor_grid(S.doctors, S.next_slots), search_pager())
    none = empty_block("No doctors match", "Try removing a filter or searching by speciality.")
    return titled_page(
        "Find a doctor",
        rx.card(search_filters(), width="100%"),
        when_loaded(~S.loading, rx.cond(S.total > 0, results, none), "Searching…"),
    )


PAGES = [Page(doctors_page, routes.DOCTORS, "Find a doctor", [S.load])]
