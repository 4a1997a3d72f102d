"""Browse by location: a city's hospitals, then a hospital's doctors."""

from __future__ import annotations

import reflex as rx
from reflex.vars import StringVar

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.patient.discovery_state import CityState, HospitalState
from healthcareplus.ui.shared.cards import card_grid, link_card
from healthcareplus.ui.shared.doctor_cards import doctor_grid
from healthcareplus.ui.shared.i18n import catalog_label, t
from healthcareplus.ui.shared.layout import empty_block, if_any, record_shell, sections
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.typed import RowVar


def _breadcrumbs(*parts: rx.Component) -> rx.Component:
    return rx.hstack(*parts, spacing="2", align="center", wrap="wrap", aria_label=t("Breadcrumb"))


def _hospital_card(hospital: RowVar) -> rx.Component:
    return link_card(
        hospital["name"],
        t(
            "{address} · {count} doctors",
            address=hospital["address"],
            count=hospital["doctor_count"],
        ),
        "/hospital/" + hospital["id"],
        "building-2",
        "hospital-card",
    )


def city_page() -> rx.Component:
    city = CityState.city
    content = sections(
        _breadcrumbs(rx.link(t("Home"), href=routes.HOME), rx.text("/"), rx.text(city["name"])),
        rx.heading(t("Hospitals in {city}", city=city["name"]), size="7", as_="h1"),
        rx.text(
            t("{state} · {count} doctors", state=city["state"], count=city["doctor_count"]),
            color_scheme="gray",
        ),
        rx.heading(t("Hospitals"), size="5", as_="h2"),
        if_any(
            CityState.hospitals,
            card_grid(CityState.hospitals, _hospital_card),
            empty_block(t("No hospitals yet"), t("We are adding hospitals in this city soon.")),
        ),
    )
    return record_shell(CityState, (N_("City"), N_("Back to home"), routes.HOME), content)


def _speciality_chip(name: StringVar) -> rx.Component:
    return rx.button(
        catalog_label(name),
        size="1",
        variant=rx.cond(HospitalState.specialization == name, "solid", "outline"),
        on_click=HospitalState.filter_specialization(name),
    )


def hospital_page() -> rx.Component:
    hospital = HospitalState.hospital
    content = sections(
        _breadcrumbs(
            rx.link(t("Home"), href=routes.HOME),
            rx.text("/"),
            rx.link(hospital["city_name"], href="/city/" + hospital["city_id"]),
            rx.text("/"),
            rx.text(hospital["name"]),
        ),
        rx.heading(hospital["name"], size="7", as_="h1"),
        rx.hstack(rx.icon("map-pin", size=16), rx.text(hospital["address"]), align="center"),
        rx.hstack(rx.icon("phone", size=16), rx.text(hospital["phone"]), align="center"),
        rx.heading(t("Doctors"), size="5", as_="h2"),
        rx.hstack(
            rx.button(
                t("All"),
                size="1",
                variant=rx.cond(HospitalState.specialization == "", "solid", "outline"),
                on_click=HospitalState.filter_specialization(""),
            ),
            rx.foreach(HospitalState.specialties, _speciality_chip),
            wrap="wrap",
            spacing="2",
            aria_label=t("Filter by speciality"),
        ),
        if_any(
            HospitalState.doctors,
            doctor_grid(HospitalState.doctors, HospitalState.next_slots),
            empty_block(t("No doctors found"), t("Try another speciality.")),
        ),
    )
    return record_shell(HospitalState, (N_("Hospital"), N_("Back to home"), routes.HOME), content)


PAGES = [
    Page(city_page, routes.CITY, N_("Hospitals"), [CityState.load]),
    Page(hospital_page, routes.HOSPITAL, N_("Doctors"), [HospitalState.load]),
]
