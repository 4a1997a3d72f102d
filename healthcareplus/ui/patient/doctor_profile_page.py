"""Doctor profile: details, hospital, languages, weekly hours, next free slots."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.patient.doctor_profile_state import DoctorProfileState as S
from healthcareplus.ui.shared.cards import avatar, not_found_block
from healthcareplus.ui.shared.layout import empty_block, loading_block, page_shell
from healthcareplus.ui.shared.registry import Page

D = S.doctor


def _fact(icon: str, text: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=16, color=rx.color("teal", 9)), text, align="center", spacing="2"
    )


def _header() -> rx.Component:
    return rx.flex(
        avatar(D, size="7"),
        rx.vstack(
            rx.heading(D["name"], size="7", as_="h1"),
            rx.badge(D["specialization"], size="2", color_scheme="teal"),
            rx.text(D["qualification"], color_scheme="gray"),
            _fact("briefcase-medical", rx.text(D["experience_years"], " years of experience")),
            _fact("indian-rupee", rx.text("Consultation fee ", rx.text.strong(D["fee_label"]))),
            _fact("languages", rx.text("Speaks ", D["languages"])),
            spacing="2",
            align="start",
        ),
        direction=rx.breakpoints(initial="column", sm="row"),
        spacing="5",
        align="start",
        width="100%",
    )


def _hospital() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Hospital", size="4", as_="h2"),
            rx.link(D["hospital_name"], href="/hospital/" + D["hospital_id"], weight="bold"),
            _fact("map-pin", rx.text(D["hospital_address"])),
            _fact("building", rx.text(D["city_name"], ", ", D["city_state"])),
            _fact("phone", rx.text(D["hospital_phone"])),
            spacing="2",
            align="start",
        ),
        width="100%",
    )


def _schedule_row(day: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(day["day_name"]),
        rx.table.cell(day["hours_label"]),
        rx.table.cell(day["slot_label"]),
    )


def _slots() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Next available slots", size="4", as_="h2"),
            rx.cond(
                S.next_slots.length() > 0,
                rx.flex(
                    rx.foreach(
                        S.next_slots,
                        lambda slot: rx.badge(
                            slot["day"], " · ", slot["label"], size="2", variant="surface"
                        ),
                    ),
                    wrap="wrap",
                    spacing="2",
                    data_testid="next-slots",
                ),
                rx.text("No free slots in the next 30 days.", color_scheme="gray"),
            ),
            rx.link(
                rx.button("Book appointment", size="3"),
                href="/book/" + D["id"],
                data_testid="book-button",
            ),
            spacing="3",
            align="start",
        ),
        width="100%",
    )


def _content() -> rx.Component:
    return rx.vstack(
        _header(),
        rx.text(D["about"]),
        rx.grid(
            _slots(),
            _hospital(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        rx.heading("Weekly hours", size="4", as_="h2"),
        rx.cond(
            S.schedule.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Day"),
                        rx.table.column_header_cell("Hours"),
                        rx.table.column_header_cell("Slots"),
                    )
                ),
                rx.table.body(rx.foreach(S.schedule, _schedule_row)),
                width="100%",
                variant="surface",
            ),
            empty_block("No weekly hours", "This doctor has no published schedule."),
        ),
        spacing="4",
        width="100%",
    )


def doctor_profile_page() -> rx.Component:
    return page_shell(
        rx.cond(
            S.loaded,
            rx.cond(
                S.not_found, not_found_block("Doctor", "Browse doctors", routes.DOCTORS), _content()
            ),
            loading_block(),
        ),
        max_width="1000px",
    )


PAGES = [
    Page(doctor_profile_page, routes.DOCTOR, "Doctor", [S.load]),
]
