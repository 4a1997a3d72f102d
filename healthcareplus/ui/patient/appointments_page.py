"""My appointments (upcoming / past / cancelled) and one appointment's details."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.patient.appointments_components import appointment_detail, appointment_item
from healthcareplus.ui.patient.appointments_state import AppointmentDetailState as D
from healthcareplus.ui.patient.appointments_state import AppointmentsState as L
from healthcareplus.ui.patient.review_dialog_components import review_dialog
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_block, list_body, record_shell, titled_page
from healthcareplus.ui.shared.registry import Page

LIVE_MS = 5000  # how often an open list asks whether anything changed


def appointments_page() -> rx.Component:
    listing = list_body(
        L.loaded,
        L.items,
        rx.vstack(rx.foreach(L.items, appointment_item), spacing="3", width="100%"),
        empty_block(
            t("No appointments here"), t("Find a doctor and book a slot."), icon="calendar-x"
        ),
    )
    # The list is the chosen tab's panel, so the tab names the panel it controls.
    tabs = rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger(t("Upcoming"), value="upcoming"),
            rx.tabs.trigger(t("Past"), value="past"),
            rx.tabs.trigger(t("Cancelled"), value="cancelled"),
        ),
        rx.tabs.content(listing, value=L.tab, padding_top="1em"),
        value=L.tab,
        on_change=L.switch_tab,
        width="100%",
    )
    waitlist = rx.link(t("My waitlist and slot offers"), href=routes.WAITLIST, size="2")
    # An invisible clock: each tick asks whether the clinic changed anything (a visit
    # cancelled or moved shows without a reload while the page is open).
    # Mounted only once the list has loaded (for a signed-in patient): a signed-out visitor
    # sends no tick, so the page's one sign-in redirect is the only one.
    ticker = rx.moment(interval=LIVE_MS, on_change=L.tick, display="none", aria_hidden="true")
    live = rx.cond(L.loaded, ticker)
    return titled_page(
        t("My appointments"), waitlist, tabs, review_dialog(), live, max_width="900px"
    )


def appointment_page() -> rx.Component:
    missing = (N_("Appointment"), N_("My appointments"), routes.APPOINTMENTS)
    return record_shell(D, missing, appointment_detail(), max_width="820px")


PAGES = [
    Page(appointments_page, routes.APPOINTMENTS, N_("My appointments"), [L.load]),
    Page(appointment_page, routes.APPOINTMENT, N_("Appointment"), [D.load]),
]
