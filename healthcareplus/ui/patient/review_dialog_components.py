"""The review dialog of My appointments: 1-5 stars as a labelled radio group (native
radios: keyboard and screen readers get them for free) and an optional text."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.i18n import N_
from healthcareplus.core.review_models import MAX_BODY
from healthcareplus.ui.patient.review_dialog_state import RATINGS
from healthcareplus.ui.patient.review_dialog_state import ReviewDialogState as S
from healthcareplus.ui.shared.dialogs import dialog, dialog_buttons
from healthcareplus.ui.shared.forms import LABEL_STYLE, field_error, stacked_form
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.typed import RowVar

STAR_WORDS = {
    "1": N_("Poor"),
    "2": N_("Fair"),
    "3": N_("Good"),
    "4": N_("Very good"),
    "5": N_("Excellent"),
}


def review_button(item: RowVar) -> rx.Component:
    """ "Rate your visit" / "Edit your review" on a completed visit that may get one."""
    return rx.match(
        item["review"],
        (
            "rate",
            rx.button(rx.icon("star", size=16), t("Rate your visit"), on_click=S.start(item["id"])),
        ),
        (
            "edit",
            rx.button(
                rx.icon("pencil", size=16),
                t("Edit your review"),
                variant="outline",
                on_click=S.start(item["id"]),
            ),
        ),
        rx.fragment(),
    )


def _star(value: str) -> rx.Component:
    stars = "★" * int(value)
    return rx.el.label(
        rx.el.input(
            type="radio",
            name="rating",
            value=value,
            default_checked=S.rating == value,
            data_testid=f"rating-{value}",
        ),
        rx.text(stars, as_="span", aria_hidden="true", color="var(--amber-11)"),
        rx.text(
            t("{value} of 5: {word}", value=value, word=t(STAR_WORDS[value])), as_="span", size="2"
        ),
        style={"display": "flex", "gap": "8px", "alignItems": "center", "cursor": "pointer"},
    )


def _stars() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(t("Your rating"), style=LABEL_STYLE),
        rx.vstack(*[_star(v) for v in reversed(RATINGS)], spacing="1"),
        field_error(S.errors, "rating", id="review-rating-error"),
        style={"border": "none", "padding": "0", "margin": "0"},
        aria_describedby="review-rating-error",
    )


def review_dialog() -> rx.Component:
    form = stacked_form(
        _stars(),
        rx.el.label(t("Your review (optional)"), html_for="review-body", style=LABEL_STYLE),
        rx.text_area(
            id="review-body",
            name="body",
            default_value=S.body,
            max_length=MAX_BODY,
            rows="5",
            width="100%",
            placeholder=t("What went well, and what could be better?"),
        ),
        field_error(S.errors, "body", id="review-body-error"),
        dialog_buttons(t("Cancel"), rx.button(t("Submit review"), type="submit"), margin_top="1em"),
        on_submit=S.save,
        spacing="2",
    )
    return dialog(
        rx.cond(S.editing, t("Edit your review"), t("Rate your visit")),
        t(
            "You can edit your review for 30 days after writing it. Other patients see your "
            "first name and initial."
        ),
        form,
        shown=S.shown,
        on_open_change=S.close,
        max_width="480px",
        data_testid="review-dialog",
    )
