"""A doctor's photo card, for the staff portals (English): the photo patients see (or the
initials), a button that uploads a new one (a file chosen or dropped is sent at once) and
one that removes it after asking. The admin's doctor page and the doctor's own profile
each give it their state and their wording."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from healthcareplus.domain.catalog.doctor_photos import MAX_BYTES
from healthcareplus.ui.shared.cards import avatar, section_card
from healthcareplus.ui.shared.dialogs import confirm_dialog
from healthcareplus.ui.shared.forms import error_text

ACCEPT = {
    "image/jpeg": [".jpg", ".jpeg"],
    "image/png": [".png"],
    "image/webp": [".webp"],
}
RULES = "A JPEG, PNG or WebP image of at most 5 MB."


@dataclass(frozen=True)
class PhotoWords:
    """What one portal's card says, and its ids (``key``: the upload id and the prefix of
    the test ids)."""

    key: str
    title: str
    intro: str
    file_label: str  # the hidden file input's accessible name
    remove_question: str | rx.Var
    remove_effect: str


def _named_file_input(upload: rx.Component, name: str) -> rx.Component:
    """``upload`` with its file input named ``name`` for assistive technology (the input
    is hidden, but screen readers and axe still meet it; ``rx.upload`` gives it no props)."""
    zone = upload.children[0]
    file_input = zone.children[0] if zone.children else None
    if not isinstance(file_input, rx.Component) or file_input.tag != "input":
        raise TypeError("rx.upload no longer starts with its file input")
    file_input.custom_attrs["aria-label"] = name
    return upload


def _upload_button(state: Any, words: PhotoWords) -> rx.Component:
    upload = rx.upload.root(
        rx.button(
            rx.icon("image-up"),
            rx.cond(state.photo["photo_url"] != "", "Replace photo", "Upload photo"),
            type="button",
        ),
        id=words.key,
        accept=ACCEPT,
        multiple=False,
        max_files=1,
        max_size=MAX_BYTES,
        no_keyboard=True,  # the button inside takes the focus and opens the file chooser
        on_drop=state.upload(rx.upload_files(upload_id=words.key)),
        on_drop_rejected=lambda _files: rx.toast.error(RULES),
        data_testid=f"{words.key}-upload",
    )
    return _named_file_input(upload, words.file_label)


def _remove_button(state: Any, words: PhotoWords) -> rx.Component:
    return confirm_dialog(
        rx.button(rx.icon("trash-2"), "Remove photo", color_scheme="red", variant="soft"),
        words.remove_question,
        words.remove_effect,
        "Keep photo",
        rx.button("Remove photo", color_scheme="red", on_click=state.remove),
    )


def photo_card(state: Any, words: PhotoWords) -> rx.Component:
    """``state``: the page's photo state (``photo``, ``error``, ``upload``, ``remove``)."""
    return section_card(
        words.title,
        f"{words.intro} {RULES}",
        rx.flex(
            rx.box(avatar(state.photo, size="8"), data_testid=f"{words.key}-preview"),
            rx.vstack(
                rx.hstack(
                    _upload_button(state, words),
                    rx.cond(state.photo["photo_url"] != "", _remove_button(state, words)),
                    spacing="3",
                    wrap="wrap",
                ),
                rx.cond(
                    state.error != "",
                    error_text(state.error, role="alert", data_testid=f"{words.key}-error"),
                ),
                spacing="2",
            ),
            direction=rx.breakpoints(initial="column", sm="row"),
            spacing="4",
            align=rx.breakpoints(initial="start", sm="center"),
        ),
        data_testid=f"{words.key}-card",
    )
