"""Home: hero with quick search, browse by city, specialities, symptom checker entry."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.patient.discovery_state import HomeLists, HomeState, home_lists
from healthcareplus.ui.patient.first_view import live_or_built, read_at_build
from healthcareplus.ui.shared.cards import card_grid, link_card
from healthcareplus.ui.shared.forms import search_bar
from healthcareplus.ui.shared.i18n import catalog_label, t
from healthcareplus.ui.shared.layout import page_shell, sections, when_loaded
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.typed import RowsVar, RowVar


def _hero() -> rx.Component:
    return rx.vstack(
        rx.heading(t("Find the right doctor, book in minutes"), size="8", as_="h1"),
        rx.text(
            t(
                "Trusted specialists at leading hospitals across Bangalore, Mumbai, Chennai, "
                "Hyderabad, Delhi and Udupi. Pick a slot, pay securely, done."
            ),
            size="4",
            color_scheme="gray",
        ),
        rx.form(
            search_bar(t("Search doctors or specialities, e.g. Cardiologist")),
            on_submit=HomeState.quick_search,
            width="100%",
            max_width="640px",
        ),
        spacing="4",
        padding_y="2em",
        width="100%",
    )


def _symptom_entry() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.icon("activity", size=32, color=rx.color("teal", 9)),
            rx.vstack(
                rx.heading(t("Not sure whom to see?"), size="5", as_="h2"),
                rx.text(
                    t("Describe your symptoms and we'll suggest the right specialist."),
                    color_scheme="gray",
                ),
                spacing="1",
                flex="1",
            ),
            rx.link(rx.button(t("Check symptoms"), size="3"), href=routes.SYMPTOMS),
            direction=rx.breakpoints(initial="column", sm="row"),
            spacing="4",
            align=rx.breakpoints(initial="start", sm="center"),
        ),
        width="100%",
        size="3",
    )


def _city_card(city: RowVar) -> rx.Component:
    return link_card(
        city["name"],
        t(
            "{state} · {hospitals} hospitals · {doctors} doctors",
            state=city["state"],
            hospitals=city["hospital_count"],
            doctors=city["doctor_count"],
        ),
        "/city/" + city["id"],
        "map-pin",
        "city-card",
    )


def _speciality_card(spec: RowVar) -> rx.Component:
    return link_card(
        catalog_label(spec["name"]),
        t(
            "{count} doctors · {department}",
            count=spec["doctor_count"],
            department=catalog_label(spec["department"]),
        ),
        "/doctors?specialization=" + spec["name"].to(str).replace(" ", "+"),
        "stethoscope",
        "speciality-card",
    )


def _speciality_tile(spec: RowVar) -> rx.Component:
    """A small tile for a phone: two per row."""
    return rx.link(
        rx.card(
            rx.text(catalog_label(spec["name"]), weight="bold", size="2"),
            rx.text(
                t("{count} doctors", count=spec["doctor_count"]), size="1", color_scheme="gray"
            ),
            width="100%",
            size="1",
        ),
        href="/doctors?specialization=" + spec["name"].to(str).replace(" ", "+"),
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        data_testid="speciality-tile",
    )


def _specialities(popular: RowsVar, specializations: RowsVar) -> rx.Component:
    """Every speciality as a card from a tablet up; on a phone the most staffed ones as
    tiles, and the doctor search for the rest (not a page of one card per row)."""
    on_phone = rx.vstack(
        card_grid(popular, _speciality_tile, columns="2", spacing="2"),
        rx.link(t("All specialities and doctors →"), href=routes.DOCTORS, size="2"),
        spacing="3",
        width="100%",
        display=rx.breakpoints(initial="flex", sm="none"),
    )
    everywhere_else = rx.box(
        card_grid(
            specializations,
            _speciality_card,
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="3",
        ),
        width="100%",
        display=rx.breakpoints(initial="none", sm="block"),
    )
    return rx.fragment(on_phone, everywhere_else)


def _section(title: str, cards: rx.Component, built: bool) -> rx.Component:
    """A browse section: its heading, then its cards (if the page was not built with
    them, once they are loaded)."""
    return rx.fragment(
        rx.heading(t(title), size="6", as_="h2", margin_top="1em"),
        cards if built else when_loaded(HomeState.loaded, cards),
    )


def _lists(built: HomeLists | None) -> tuple[RowsVar, RowsVar, RowsVar]:
    """Cities, specialities and the popular ones: the live lists, and until they are
    loaded the lists the page was built with (when the build found a database)."""
    live = (HomeState.cities, HomeState.specializations, HomeState.popular)
    if built is None:
        return live
    cities, specializations, popular = (
        live_or_built(HomeState.loaded, var, rows) for var, rows in zip(live, built, strict=True)
    )
    return cities, specializations, popular


def home_page() -> rx.Component:
    built = read_at_build(home_lists)
    cities, specializations, popular = _lists(built)
    return page_shell(
        sections(
            _hero(),
            _symptom_entry(),
            _section(N_("Browse by location"), card_grid(cities, _city_card), built is not None),
            _section(
                N_("Specialities"), _specialities(popular, specializations), built is not None
            ),
        )
    )


PAGES = [Page(home_page, routes.HOME, N_("Book doctor appointments"), [HomeState.load])]
