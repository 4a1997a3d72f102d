"""Doctor cards: who the doctor is, where, the fee, and their next free slots as chips
that open the booking wizard at that slot (``/book/<id>?start=…``), with a Book button.

The states send each doctor as a row of text (``next_day``: "Today", "Tomorrow",
"Mon 30 Nov", or "" when nothing is free within the booking horizon) and the chips by
doctor id (``patient.card_slots``), so a whole page of cards needs no query per doctor.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from healthcareplus.core.config import get_settings
from healthcareplus.ui.shared.cards import avatar, card_grid
from healthcareplus.ui.shared.i18n import catalog_label, t
from healthcareplus.ui.shared.review_components import rating_label
from healthcareplus.ui.shared.typed import RowsVar, RowVar

# Doctor id -> that doctor's chips (rows with "href", "label", "day" and "name").
ChipsByDoctorVar = ObjectVar[dict[str, list[dict[str, str]]]]


def slot_link(chip: RowVar, text: Any = None, **props: Any) -> rx.Component:
    """A slot chip: a link to the wizard with the slot chosen, its accessible name the
    doctor, day and time (``chip["name"]``), a clear focus ring, a finger-sized target."""
    return rx.link(
        text if text is not None else chip["label"],
        href=chip["href"],
        aria_label=chip["name"],
        underline="none",
        size="2",
        weight="medium",
        display="inline-flex",
        align_items="center",
        min_height="40px",
        padding_x="0.75em",
        border_radius="var(--radius-3)",
        border=f"1px solid {rx.color('teal', 7)}",
        background_color=rx.color("teal", 3),
        color=rx.color("teal", 11),
        white_space="nowrap",
        _hover={"background_color": rx.color("teal", 5), "color": rx.color("teal", 12)},
        _focus_visible={"outline": f"2px solid {rx.color('teal', 9)}", "outline_offset": "2px"},
        data_testid="slot-chip",
        **props,
    )


def _next_slots(doctor: RowVar, chips: ChipsByDoctorVar) -> rx.Component:
    return rx.cond(
        doctor["next_day"] != "",
        rx.vstack(
            rx.text(t("Next available · "), rx.text.strong(doctor["next_day"]), size="2"),
            rx.flex(
                rx.foreach(chips[doctor["id"]], lambda chip: slot_link(chip)),
                wrap="wrap",
                spacing="2",
                role="group",
                aria_label=t("Next free slots of {doctor}", doctor=doctor["name"]),
            ),
            spacing="1",
            width="100%",
            data_testid="card-next-slots",
        ),
        rx.text(
            t(
                "No free slots in the next {days} days.",
                days=get_settings().booking_horizon_days,
            ),
            size="2",
            color_scheme="gray",
        ),
    )


def doctor_card(doctor: RowVar, chips: ChipsByDoctorVar) -> rx.Component:
    href = "/doctor/" + doctor["id"]
    return rx.card(
        rx.vstack(
            rx.hstack(
                avatar(doctor, size="4"),
                rx.vstack(
                    rx.link(rx.heading(doctor["name"], size="4", as_="h3"), href=href),
                    rx.badge(
                        catalog_label(doctor["specialization"]), color_scheme="teal", variant="soft"
                    ),
                    spacing="1",
                    align="start",
                ),
                spacing="3",
                align="center",
            ),
            rx.text(doctor["qualification"], size="2", color_scheme="gray"),
            rating_label(doctor["rating_label"]),
            rx.hstack(
                rx.text(t("{years} yrs experience", years=doctor["experience_years"]), size="2"),
                rx.text("·", size="2", color_scheme="gray"),
                rx.text(t("{fee} fee", fee=doctor["fee_label"]), size="2", weight="bold"),
                spacing="2",
                wrap="wrap",
            ),
            rx.hstack(
                rx.icon("map-pin", size=14),
                rx.text(doctor["hospital_name"], ", ", doctor["city_name"], size="2"),
                spacing="1",
                align="center",
            ),
            _next_slots(doctor, chips),
            rx.grid(
                rx.link(
                    rx.button(t("View profile"), variant="soft", width="100%"),
                    href=href,
                    width="100%",
                ),
                rx.link(
                    rx.button(t("Book"), width="100%"),
                    href="/book/" + doctor["id"],
                    width="100%",
                    aria_label=t("Book {doctor}", doctor=doctor["name"]),
                    data_testid="card-book",
                ),
                columns="2",
                spacing="2",
                width="100%",
            ),
            spacing="2",
            align="start",
            width="100%",
        ),
        width="100%",
        data_testid="doctor-card",
    )


def doctor_grid(doctors: RowsVar, chips: ChipsByDoctorVar) -> rx.Component:
    return card_grid(doctors, lambda doctor: doctor_card(doctor, chips))
