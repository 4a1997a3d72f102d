"""The reviews section of a doctor's profile: the visible reviews, newest first, with the
doctor's replies and a pager."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.patient.doctor_reviews_state import DoctorReviewsListState as R
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.review_components import review_card
from healthcareplus.ui.shared.tables import newer_older_pager, page_of


def doctor_reviews_section() -> rx.Component:
    listing = rx.vstack(
        rx.foreach(R.rows, review_card),
        rx.cond(
            R.pages > 1,
            newer_older_pager(page_of(R.page, R.pages), R.page, R.pages, R.go_to_page),
        ),
        spacing="3",
        width="100%",
        data_testid="profile-reviews",
    )
    return rx.vstack(
        rx.heading(t("Patient reviews"), size="4", as_="h2"),
        rx.cond(
            R.total > 0,
            listing,
            rx.text(
                t("No reviews yet. Patients can rate a doctor after a completed visit."),
                color_scheme="gray",
            ),
        ),
        spacing="3",
        width="100%",
    )
