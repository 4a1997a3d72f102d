"""The doctor's reviews: their rating, the visible reviews newest first and a "Reply"
button on each review that has no reply yet (one reply, final once posted)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.review_models import MAX_BODY
from healthcareplus.ui.doctor.portal_components import portal_body, portal_shell
from healthcareplus.ui.doctor.reviews_state import DoctorReviewsState as S
from healthcareplus.ui.shared.dialogs import dialog, dialog_buttons, reason_form
from healthcareplus.ui.shared.forms import error_text
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_block, page_title
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.review_components import rating_label, review_card
from healthcareplus.ui.shared.tables import newer_older_pager, page_of
from healthcareplus.ui.shared.typed import RowVar


def _review(row: RowVar) -> rx.Component:
    reply = rx.button(
        rx.icon("reply", size=14),
        t("Reply"),
        size="2",
        variant="soft",
        on_click=S.start_reply(row["id"]),
    )
    return review_card(row, rx.cond(row["reply"] == "", rx.box(reply)))


def _reply_dialog() -> rx.Component:
    form = reason_form(
        "Your reply",
        "review-reply-text",
        S.reply,
        rx.cond(S.reply_error != "", error_text(S.reply_error, id="review-reply-error")),
        dialog_buttons("Cancel", rx.button(t("Post reply"), type="submit"), margin_top="0.5em"),
        name="reply",
        max_length=MAX_BODY,
        rows="5",
    )
    return dialog(
        "Reply to this review",
        "Patients see your reply under the review. A reply cannot be changed once posted.",
        form,
        shown=S.replying != "",
        on_open_change=S.close_reply,
        max_width="480px",
    )


def doctor_reviews_page() -> rx.Component:
    listing = rx.cond(
        S.total > 0,
        rx.vstack(
            rx.foreach(S.rows, _review),
            rx.cond(
                S.pages > 1,
                newer_older_pager(page_of(S.page, S.pages), S.page, S.pages, S.go_to_page),
            ),
            spacing="3",
            width="100%",
        ),
        empty_block(
            t("No reviews yet"), t("Patients can rate a visit once it is completed."), icon="star"
        ),
    )
    return portal_shell(
        page_title(t("Reviews")),
        portal_body(S.loaded, S.error, rx.vstack(rating_label(S.summary), listing, width="100%")),
        _reply_dialog(),
    )


PAGES = [Page(doctor_reviews_page, routes.DOCTOR_REVIEWS, "Reviews", [S.load])]
