"""My appointments (upcoming / past) and one appointment's details."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.patient.appointments_components import appointment_detail, appointment_item
from healthcareplus.ui.patient.appointments_state import AppointmentDetailState as D
from healthcareplus.ui.patient.appointments_state import AppointmentsState as L
from healthcareplus.ui.shared.cards import not_found_block
from healthcareplus.ui.shared.layout import empty_block, loading_block, page_shell
from healthcareplus.ui.shared.registry import Page


def appointments_page() -> rx.Component:
    return page_shell(
        rx.vstack(
            rx.heading("My appointments", size="7", as_="h1"),
            rx.tabs.root(
                rx.tabs.list(
                    rx.tabs.trigger("Upcoming", value="upcoming"),
                    rx.tabs.trigger("Past", value="past"),
                ),
                value=L.tab,
                on_change=L.switch_tab,
            ),
            rx.cond(
                L.loaded,
                rx.cond(
                    L.items.length() > 0,
                    rx.vstack(rx.foreach(L.items, appointment_item), spacing="3", width="100%"),
                    empty_block(
                        "No appointments here", "Find a doctor and book a slot.", icon="calendar-x"
                    ),
                ),
                loading_block(),
            ),
            spacing="4",
            width="100%",
        ),
        max_width="900px",
    )


def appointment_page() -> rx.Component:
    return page_shell(
        rx.cond(
            D.loaded,
            rx.cond(
                D.not_found,
                not_found_block("Appointment", "My appointments", routes.APPOINTMENTS),
                appointment_detail(),
            ),
            loading_block(),
        ),
        max_width="820px",
    )


PAGES = [
    Page(appointments_page, routes.APPOINTMENTS, "My appointments", [L.load]),
    Page(appointment_page, routes.APPOINTMENT, "Appointment", [D.load]),
]
