"""Admin messages: the changes whose emails and texts the job worker has yet to write,
and those whose letters failed every try, each with "Try again"."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.admin.messages_state import AdminMessagesState as S
from healthcareplus.ui.shared.typed import RowVar


def _stuck(row: RowVar) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(row["event"], " · ", row["when_label"], size="2", weight="medium"),
            rx.text(row["error"], size="1", color_scheme="red"),
            spacing="0",
        ),
        rx.button("Try again", size="1", variant="soft", on_click=S.retry_letters(row["id"])),
        justify="between",
        align="center",
        width="100%",
        data_testid="stuck-letters",
    )


def letters_to_write() -> rx.Component:
    """Changes whose emails and texts are still to be written, or failed to be."""
    waiting = rx.cond(
        S.waiting > 0,
        rx.text(
            S.waiting,
            " changes are waiting for the job worker to write their emails and texts.",
            size="2",
            data_testid="letters-waiting",
        ),
        rx.fragment(),
    )
    stuck = rx.cond(
        S.stuck.length() > 0,
        rx.callout.root(
            rx.callout.text(
                "The emails and texts of these changes failed every try, so nobody was told "
                "of them outside the app. Fix the cause (see the error), then try again."
            ),
            rx.vstack(rx.foreach(S.stuck, _stuck), spacing="2", width="100%"),
            color_scheme="red",
            width="100%",
        ),
        rx.fragment(),
    )
    return rx.vstack(waiting, stuck, spacing="2", width="100%")
