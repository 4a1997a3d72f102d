"""The doctor's schedule page: weekly hours on one side, time off on the other."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.doctor.portal_components import portal_shell, problem_block
from healthcareplus.ui.doctor.schedule_components import week_editor
from healthcareplus.ui.doctor.schedule_state import DoctorScheduleState as W
from healthcareplus.ui.doctor.schedule_state import DoctorTimeOffState as T
from healthcareplus.ui.doctor.time_off_components import time_off_form, time_off_list
from healthcareplus.ui.shared.layout import loading_block
from healthcareplus.ui.shared.registry import Page


def _time_off() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Time off", size="4", as_="h2"),
            rx.text(
                "Leave, a holiday, an afternoon or a single slot. Patients cannot book "
                "blocked time; it shows on the booking page at once.",
                size="2",
                color_scheme="gray",
            ),
            time_off_form(),
            rx.heading("Planned", size="3", as_="h3", margin_top="0.5em"),
            time_off_list(),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="time-off",
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.heading("Schedule & time off", size="7", as_="h1"),
        rx.grid(
            week_editor(),
            _time_off(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
            align_items="start",
        ),
        spacing="4",
        width="100%",
    )


def doctor_schedule_page() -> rx.Component:
    return portal_shell(
        rx.cond(
            W.loaded & T.loaded,
            rx.cond(W.error != "", problem_block(W.error), _content()),
            loading_block(),
        )
    )


PAGES = [
    Page(doctor_schedule_page, routes.DOCTOR_SCHEDULE, "Schedule & time off", [W.load, T.load])
]
