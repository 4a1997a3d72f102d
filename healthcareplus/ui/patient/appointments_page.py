"""My appointments (upcoming / past / cancelled) and one appointment's details."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.patient.appointments_components import appointment_detail, appointment_item
from healthcareplus.ui.patient.appointments_state import AppointmentDetailState as D
from healthcareplus.ui.patient.appointments_state import AppointmentsState as L
from healthcareplus.ui.shared.layout import empty_block, list_body, record_shell, titled_page
from healthcareplus.ui.shared.registry import Page


def appointments_page() -> rx.Component:
    listing = list_body(
        L.loaded,
        L.items,
        rx.vstack(rx.foreach(L.items, appointment_item), spacing="3", width="100%"),
        empty_block("No appointments here", "Find a doctor and book a slot.", icon="calendar-x"),
    )
    # The list is the chosen tab's panel, so the tab names the panel it controls.
    tabs = rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger("Upcoming", value="upcoming"),
            rx.tabs.trigger("Past", value="past"),
            rx.tabs.trigger("Cancelled", value="cancelled"),
        ),
        rx.tabs.content(listing, value=L.tab, padding_top="1em"),
        value=L.tab,
        on_change=L.switch_tab,
        width="100%",
    )
    return titled_page("My appointments", tabs, max_width="900px")


def appointment_page() -> rx.Component:
    missing = ("Appointment", "My appointments", routes.APPOINTMENTS)
    return record_shell(D, missing, appointment_detail(), max_width="820px")


PAGES = [
    Page(appointments_page, routes.APPOINTMENTS, "My appointments", [L.load]),
    Page(appointment_page, routes.APPOINTMENT, "Appointment", [D.load]),
]
