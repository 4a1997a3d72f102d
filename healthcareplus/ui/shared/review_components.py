"""A review as patients, doctors and moderators see it: stars, author, date, text and the
doctor's reply (rows from ``reviews.ReviewView`` via ``to_row``)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.typed import RowVar


def rating_label(label: object, **text: object) -> rx.Component:
    """ "4.6 ★ (23 reviews)" or "No reviews yet", as cards and headers show it."""
    return rx.text(label, size="2", weight="medium", data_testid="doctor-rating", **text)


def review_body(row: RowVar, *extra: rx.Component) -> rx.Component:
    reply = rx.box(
        rx.text(t("Reply from the doctor · "), row["replied_on"], size="1", weight="bold"),
        rx.text(row["reply"], size="2", white_space="pre-wrap"),
        padding="8px 12px",
        border_left="3px solid var(--accent-8)",
        background="var(--gray-2)",
        width="100%",
        data_testid="review-reply",
    )
    return rx.vstack(
        rx.hstack(
            rx.text(
                row["stars"],
                role="img",
                aria_label=t("{rating} out of 5 stars", rating=row["rating"]),
                color="var(--amber-11)",
                data_testid="review-stars",
            ),
            rx.text(row["author"], weight="medium", size="2"),
            rx.text(
                row["written_on"],
                rx.cond(row["edited"] == "true", t(" · edited"), ""),
                size="2",
                color_scheme="gray",
            ),
            align="center",
            wrap="wrap",
            spacing="2",
        ),
        rx.cond(row["body"] != "", rx.text(row["body"], size="2", white_space="pre-wrap")),
        rx.cond(row["reply"] != "", reply),
        *extra,
        spacing="2",
        width="100%",
    )


def review_card(row: RowVar, *extra: rx.Component) -> rx.Component:
    return rx.card(review_body(row, *extra), width="100%", data_testid="review-card")
