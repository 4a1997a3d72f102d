"""Booking wizard page (also used to reschedule): the date and time on one screen, then
the reason and summary to confirm. ``/book/<doctor>?start=<instant>`` opens it with that
slot chosen (the doctor cards' and profile's slot chips)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.patient.booking_components import picker, steps, summary_card
from healthcareplus.ui.patient.booking_state import BookingState as S
from healthcareplus.ui.patient.waitlist_components import join_card
from healthcareplus.ui.shared.cards import avatar
from healthcareplus.ui.shared.forms import form_alert
from healthcareplus.ui.shared.i18n import catalog_label, t
from healthcareplus.ui.shared.layout import record_shell, sections
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.review_components import rating_label


def _doctor() -> rx.Component:
    return rx.hstack(
        avatar(S.doctor, size="4"),
        rx.vstack(
            rx.heading(
                rx.cond(
                    S.mode == "book",
                    t("Book {doctor}", doctor=S.doctor["name"]),
                    t("Reschedule with {doctor}", doctor=S.doctor["name"]),
                ),
                size="6",
                as_="h1",
            ),
            rx.text(
                catalog_label(S.doctor["specialization"]),
                " · ",
                S.doctor["hospital_name"],
                ", ",
                S.doctor["city_name"],
                " · ",
                S.doctor["fee_label"],
                color_scheme="gray",
            ),
            rating_label(S.doctor["rating_label"]),
            spacing="1",
            min_width="0",
        ),
        spacing="3",
        align="center",
    )


def _wizard() -> rx.Component:
    return sections(
        _doctor(),
        rx.cond(
            S.booked_for != "",
            rx.callout(
                t("Booking for {patient}", patient=S.booked_for),
                icon="user",
                data_testid="booking-for-patient",
            ),
        ),
        steps(),
        form_alert(S.error),
        rx.cond(S.step == 3, summary_card(), picker()),
        rx.cond(
            (S.mode == "book") & (S.step != 3) & (S.booked_for == ""), join_card(S.doctor["id"])
        ),
    )


def booking_page() -> rx.Component:
    missing = (N_("Doctor"), N_("Browse doctors"), routes.DOCTORS)
    return record_shell(S, missing, _wizard(), max_width="1000px")


PAGES = [
    Page(booking_page, routes.BOOK, N_("Book an appointment"), [S.load]),
    Page(booking_page, routes.RESCHEDULE, N_("Reschedule"), [S.load]),
]
