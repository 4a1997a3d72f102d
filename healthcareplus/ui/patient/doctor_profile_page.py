"""Doctor profile: details, hospital, languages, weekly hours, next free slots."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.config import get_settings
from healthcareplus.core.i18n import N_
from healthcareplus.ui.patient.doctor_profile_state import DoctorProfileState as S
from healthcareplus.ui.patient.doctor_reviews_components import doctor_reviews_section
from healthcareplus.ui.patient.doctor_reviews_state import DoctorReviewsListState as R
from healthcareplus.ui.shared.cards import avatar, titled_card, two_columns
from healthcareplus.ui.shared.doctor_cards import slot_link
from healthcareplus.ui.shared.i18n import catalog_label, t
from healthcareplus.ui.shared.layout import empty_block, if_any, page_title, record_shell, sections
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.review_components import rating_label
from healthcareplus.ui.shared.tables import header_row, labelled_row, scroll_table
from healthcareplus.ui.shared.typed import RowVar

D = S.doctor
HOURS_COLUMNS = ("Day", "Hours", "Slots")


def _fact(icon: str, text: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=16, color=rx.color("teal", 9)), text, align="center", spacing="2"
    )


def _header() -> rx.Component:
    return rx.flex(
        avatar(D, size="7"),
        rx.vstack(
            page_title(D["name"]),
            rx.badge(catalog_label(D["specialization"]), size="2", color_scheme="teal"),
            rx.text(D["qualification"], color_scheme="gray"),
            rating_label(D["rating_label"]),
            _fact(
                "briefcase-medical",
                rx.text(t("{years} years of experience", years=D["experience_years"])),
            ),
            _fact("indian-rupee", rx.text(t("Consultation fee "), rx.text.strong(D["fee_label"]))),
            _fact("languages", rx.text(t("Speaks {languages}", languages=D["languages"]))),
            spacing="2",
            align="start",
        ),
        direction=rx.breakpoints(initial="column", sm="row"),
        spacing="5",
        align="start",
        width="100%",
    )


def _hospital() -> rx.Component:
    return titled_card(
        t("Hospital"),
        rx.link(D["hospital_name"], href="/hospital/" + D["hospital_id"], weight="bold"),
        _fact("map-pin", rx.text(D["hospital_address"])),
        _fact("building", rx.text(D["city_name"], ", ", D["city_state"])),
        _fact("phone", rx.text(D["hospital_phone"])),
        spacing="2",
    )


def _schedule_row(day: RowVar) -> rx.Component:
    return labelled_row(
        HOURS_COLUMNS,
        rx.table.cell(day["day_name"]),
        rx.table.cell(day["hours_label"]),
        rx.table.cell(day["slot_label"]),
    )


def _slot(slot: RowVar) -> rx.Component:
    return slot_link(slot, slot["day"] + " · " + slot["label"])


def _slots() -> rx.Component:
    slots = rx.flex(
        rx.foreach(S.next_slots, _slot),
        wrap="wrap",
        spacing="2",
        role="group",
        aria_label=t("Next free slots"),
        data_testid="next-slots",
    )
    book = rx.button(t("Book appointment"), size="3")
    return titled_card(
        t("Next available slots"),
        if_any(
            S.next_slots,
            slots,
            rx.text(
                t(
                    "No free slots in the next {days} days.",
                    days=get_settings().booking_horizon_days,
                ),
                color_scheme="gray",
            ),
        ),
        rx.link(book, href="/book/" + D["id"], data_testid="book-button"),
    )


def _content() -> rx.Component:
    hours = scroll_table(header_row(*HOURS_COLUMNS), rx.foreach(S.schedule, _schedule_row))
    return sections(
        _header(),
        rx.text(D["about"]),
        two_columns(_slots(), _hospital()),
        rx.heading(t("Weekly hours"), size="4", as_="h2"),
        if_any(
            S.schedule,
            hours,
            empty_block(t("No weekly hours"), t("This doctor has no published schedule.")),
        ),
        doctor_reviews_section(),
    )


def doctor_profile_page() -> rx.Component:
    missing = (N_("Doctor"), N_("Browse doctors"), routes.DOCTORS)
    return record_shell(S, missing, _content(), max_width="1000px")


PAGES = [Page(doctor_profile_page, routes.DOCTOR, N_("Doctor"), [S.load, R.load])]
