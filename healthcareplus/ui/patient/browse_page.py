"""Browse by location: a city's hospitals, then a hospital's doctors."""

from __future__ import annotations

import reflex as rx
from reflex.vars import StringVar

from healthcareplus.core import routes
from healthcareplus.ui.patient.discovery_state import CityState, HospitalState
from healthcareplus.ui.shared.cards import card_grid, link_card
from healthcareplus.ui.shared.doctor_cards import doctor_grid
from healthcareplus.ui.shared.layout import empty_block, if_any, record_shell, sections
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.typed import RowVar


def _breadcrumbs(*parts: rx.Component) -> rx.Component:
    return rx.hstack(*parts, spacing="2", align="center", wrap="wrap", aria_label="Breadcrumb")


def _hospital_card(hospital: RowVar) -> rx.Component:
    return link_card(
        hospital["name"],
        hospital["address"] + " · " + hospital["doctor_count"] + " doctors",
        "/hospital/" + hospital["id"],
        "building-2",
        "hospital-card",
    )


def city_page() -> rx.Component:
    city = CityState.city
    content = sections(
        _breadcrumbs(rx.link("Home", href=routes.HOME), rx.text("/"), rx.text(city["name"])),
        rx.heading("Hospitals in ", city["name"], size="7", as_="h1"),
        rx.text(city["state"], " · ", city["doctor_count"], " doctors", color_scheme="gray"),
        rx.heading("Hospitals", size="5", as_="h2"),
        if_any(
            CityState.hospitals,
            card_grid(CityState.hospitals, _hospital_card),
            empty_block("No hospitals yet", "We are adding hospitals in this city soon."),
        ),
    )
    return record_shell(CityState, ("City", "Back to home", routes.HOME), content)


def _speciality_chip(name: StringVar) -> rx.Component:
    return rx.button(
        name,
        size="1",
        variant=rx.cond(HospitalState.specialization == name, "solid", "outline"),
        on_click=HospitalState.filter_specialization(name),
    )


def hospital_page() -> rx.Component:
    hospital = HospitalState.hospital
    content = sections(
        _breadcrumbs(
            rx.link("Home", href=routes.HOME),
            rx.text("/"),
            rx.link(hospital["city_name"], href="/city/" + hospital["city_id"]),
            rx.text("/"),
            rx.text(hospital["name"]),
        ),
        rx.heading(hospital["name"], size="7", as_="h1"),
        rx.hstack(rx.icon("map-pin", size=16), rx.text(hospital["address"]), align="center"),
        rx.hstack(rx.icon("phone", size=16), rx.text(hospital["phone"]), align="center"),
        rx.heading("Doctors", size="5", as_="h2"),
        rx.hstack(
            rx.button(
                "All",
                size="1",
                variant=rx.cond(HospitalState.specialization == "", "solid", "outline"),
                on_click=HospitalState.filter_specialization(""),
            ),
            rx.foreach(HospitalState.specialties, _speciality_chip),
            wrap="wrap",
            spacing="2",
            aria_label="Filter by speciality",
        ),
        if_any(
            HospitalState.doctors,
            doctor_grid(HospitalState.doctors, HospitalState.next_slots),
            empty_block("No doctors found", "Try another speciality."),
        ),
    )
    return record_shell(HospitalState, ("Hospital", "Back to home", routes.HOME), content)


PAGES = [
    Page(city_page, routes.CITY, "Hospitals", [CityState.load]),
    Page(hospital_page, routes.HOSPITAL, "Doctors", [HospitalState.load]),
]
