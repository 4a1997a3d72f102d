"""Browse by location: a city's hospitals, then a hospital's doctors."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.patient.discovery_state import CityState, HospitalState
from healthcareplus.ui.shared.cards import GRID_COLUMNS, doctor_grid, link_card, not_found_block
from healthcareplus.ui.shared.layout import empty_block, loading_block, page_shell
from healthcareplus.ui.shared.registry import Page


def _breadcrumbs(*parts: rx.Component) -> rx.Component:
    return rx.hstack(*parts, spacing="2", align="center", wrap="wrap", aria_label="Breadcrumb")


def _hospital_card(hospital: rx.Var) -> rx.Component:
    return link_card(
        hospital["name"],
        hospital["address"] + " · " + hospital["doctor_count"] + " doctors",
        "/hospital/" + hospital["id"],
        "building-2",
        "hospital-card",
    )


def city_page() -> rx.Component:
    city = CityState.city
    content = rx.vstack(
        _breadcrumbs(rx.link("Home", href=routes.HOME), rx.text("/"), rx.text(city["name"])),
        rx.heading("Hospitals in ", city["name"], size="7", as_="h1"),
        rx.text(city["state"], " · ", city["doctor_count"], " doctors", color_scheme="gray"),
        rx.cond(
            CityState.hospitals.length() > 0,
            rx.grid(
                rx.foreach(CityState.hospitals, _hospital_card),
                columns=GRID_COLUMNS,
                spacing="4",
                width="100%",
            ),
            empty_block("No hospitals yet", "We are adding hospitals in this city soon."),
        ),
        spacing="4",
        width="100%",
    )
    return page_shell(
        rx.cond(
            CityState.loaded,
            rx.cond(
                CityState.not_found, not_found_block("City", "Back to home", routes.HOME), content
            ),
            loading_block(),
        )
    )


def _speciality_chip(name: rx.Var) -> rx.Component:
    return rx.button(
        name,
        size="1",
        variant=rx.cond(HospitalState.specialization == name, "solid", "outline"),
        on_click=HospitalState.filter_specialization(name),
    )


def hospital_page() -> rx.Component:
    hospital = HospitalState.hospital
    content = rx.vstack(
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
        rx.cond(
            HospitalState.doctors.length() > 0,
            doctor_grid(HospitalState.doctors),
            empty_block("No doctors found", "Try another speciality."),
        ),
        spacing="4",
        width="100%",
    )
    return page_shell(
        rx.cond(
            HospitalState.loaded,
            rx.cond(
                HospitalState.not_found,
                not_found_block("Hospital", "Back to home", routes.HOME),
                content,
            ),
            loading_block(),
        )
    )


PAGES = [
    Page(city_page, routes.CITY, "Hospitals", [CityState.load]),
    Page(hospital_page, routes.HOSPITAL, "Doctors", [HospitalState.load]),
]
