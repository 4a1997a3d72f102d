"""The doctor's schedule page: weekly hours on one side, time off on the other."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.doctor.portal_components import portal_body, portal_shell
from healthcareplus.ui.doctor.schedule_components import week_editor
from healthcareplus.ui.doctor.schedule_state import DoctorScheduleState as W
from healthcareplus.ui.doctor.time_off_components import time_off_form, time_off_list
from healthcareplus.ui.doctor.time_off_state import DoctorTimeOffState as T
from healthcareplus.ui.shared.cards import section_card, two_columns
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import sections
from healthcareplus.ui.shared.registry import Page


def _time_off() -> rx.Component:
    return section_card(
        t("Time off"),
        t(
            "Leave, a holiday, an afternoon or a single slot. Patients cannot book "
            "blocked time; it shows on the booking page at once."
        ),
        time_off_form(),
        rx.heading(t("Planned"), size="3", as_="h3", margin_top="0.5em"),
        time_off_list(),
        data_testid="time-off",
    )


def _content() -> rx.Component:
    return sections(
        rx.heading(t("Schedule & time off"), size="7", as_="h1"),
        two_columns(week_editor(), _time_off(), align_items="start"),
    )


def doctor_schedule_page() -> rx.Component:
    return portal_shell(portal_body(W.loaded & T.loaded, W.error, _content()))


PAGES = [
    Page(doctor_schedule_page, routes.DOCTOR_SCHEDULE, "Schedule & time off", [W.load, T.load])
]
