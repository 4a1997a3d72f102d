"""Admin: review moderation. Every review with its doctor and patient, filtered to the
visible or hidden ones; "Hide" asks for a reason, "Unhide" asks to confirm."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.admin.reviews_state import AdminReviewsState as S
from healthcareplus.ui.shared.dialogs import confirm_dialog, dialog, dialog_buttons, reason_form
from healthcareplus.ui.shared.forms import error_text, fixed_options, labelled, native_select
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_block, list_body
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.review_components import review_card
from healthcareplus.ui.shared.tables import newer_older_pager, page_of
from healthcareplus.ui.shared.typed import RowVar

FILTERS = (("all", "All"), ("visible", "Visible"), ("hidden", "Hidden"))


def _unhide(row: RowVar) -> rx.Component:
    return confirm_dialog(
        rx.button(rx.icon("eye", size=14), t("Unhide"), size="2", variant="soft"),
        "Show this review again?",
        "It counts in the doctor's average and shows on their profile again.",
        "Back",
        rx.button(t("Unhide"), on_click=S.unhide(row["id"])),
    )


def _actions(row: RowVar) -> rx.Component:
    hide = rx.button(
        rx.icon("eye-off", size=14),
        t("Hide"),
        size="2",
        variant="soft",
        color_scheme="red",
        on_click=S.start_hide(row["id"]),
    )
    hidden_note = rx.text(
        t("Hidden: "),
        row["hidden_reason"],
        size="2",
        color_scheme="red",
        data_testid="hidden-reason",
    )
    return rx.vstack(
        rx.text(t("Dr: "), row["doctor_name"], t(" · Patient: "), row["patient_name"], size="2"),
        rx.cond(row["hidden"] == "true", rx.vstack(hidden_note, _unhide(row)), hide),
        spacing="2",
    )


def _row(row: RowVar) -> rx.Component:
    return review_card(row, _actions(row))


def _hide_dialog() -> rx.Component:
    form = reason_form(
        "Reason for hiding",
        "review-hide-reason",
        S.hide,
        rx.cond(S.hide_error != "", error_text(S.hide_error, id="review-hide-error")),
        dialog_buttons("Cancel", rx.button(t("Hide review"), type="submit", color_scheme="red")),
    )
    return dialog(
        "Hide this review",
        "A hidden review shows nowhere and counts in no average. The reason is kept in the "
        "audit log.",
        form,
        shown=S.hiding != "",
        on_open_change=S.close_hide,
        max_width="480px",
    )


def _filters() -> rx.Component:
    control = native_select(
        *fixed_options(FILTERS), id="review-filter", value=S.shown, on_change=S.show
    )
    return labelled("Show", "review-filter", control, width="220px")


def reviews_page() -> rx.Component:
    listing = rx.vstack(
        rx.foreach(S.rows, _row),
        rx.cond(
            S.pages > 1, newer_older_pager(page_of(S.page, S.pages), S.page, S.pages, S.go_to_page)
        ),
        spacing="3",
        width="100%",
    )
    empty = empty_block(
        t("No reviews here"), t("Reviews appear as patients rate their visits."), icon="star"
    )
    return admin_shell(
        "Reviews",
        _filters(),
        list_body(S.loaded, S.rows, listing, empty),
        _hide_dialog(),
        intro="Hide a review that breaks the clinic's rules (personal details, abuse, "
        "advertising); every hide and unhide is recorded in the audit log.",
    )


PAGES = [Page(reviews_page, routes.ADMIN_REVIEWS, "Reviews", [S.load])]
