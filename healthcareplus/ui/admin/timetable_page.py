"""Admin timetable: one doctor's day, slot by slot, with the admin's actions on each."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.admin.timetable_components import SLOT_STATES, controls, slot_card
from healthcareplus.ui.admin.timetable_state import AdminTimetableState as S
from healthcareplus.ui.shared.cards import card_grid
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_block, if_any, sections, when_loaded
from healthcareplus.ui.shared.registry import Page

G = S.grid


def _summary() -> rx.Component:
    counts = rx.flex(
        *(
            rx.badge(label, ": ", G[key], color_scheme=color, variant="soft", size="2")
            for key, label, color in SLOT_STATES
        ),
        spacing="2",
        wrap="wrap",
        data_testid="timetable-counts",
    )
    return rx.vstack(
        rx.hstack(
            rx.heading(G["doctor_name"], size="5", as_="h2", data_testid="timetable-doctor-name"),
            rx.cond(G["is_today"] == "true", rx.badge(t("Today"), color_scheme="teal")),
            align="center",
            spacing="2",
            wrap="wrap",
        ),
        rx.text(G["specialization"], " · ", G["hospital_name"], color_scheme="gray", size="2"),
        rx.heading(G["day_label"], size="4", as_="h3", data_testid="timetable-day"),
        counts,
        spacing="1",
        width="100%",
    )


def _grid() -> rx.Component:
    no_hours = empty_block(
        t("No working hours"),
        t("The doctor has no schedule and no bookings on this day."),
        icon="calendar-off",
    )
    slots = if_any(S.slots, card_grid(S.slots, slot_card, spacing="3"), no_hours)
    return sections(_summary(), slots)


def _content() -> rx.Component:
    return rx.cond(
        S.not_found,
        empty_block(
            t("Doctor not found"),
            t("This doctor does not exist or is no longer active. Choose another one."),
            icon="user-x",
        ),
        rx.cond(
            S.grid.contains("doctor_id"),
            _grid(),
            empty_block(
                t("Choose a doctor"),
                t("Search by name, specialization or hospital, then pick a doctor to see the day."),
                icon="stethoscope",
            ),
        ),
    )


def admin_timetable_page() -> rx.Component:
    return admin_shell(
        "Timetable",
        controls(),
        when_loaded(S.loaded, _content()),
        intro="Every slot of a doctor's day. Times are India Standard Time.",
    )


PAGES = [Page(admin_timetable_page, routes.ADMIN_TIMETABLE, "Timetable", [S.load])]
