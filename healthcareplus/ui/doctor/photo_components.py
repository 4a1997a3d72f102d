"""The doctor's own photo card on My profile: the photo patients see (or the initials),
a button that uploads a new one (a file chosen or dropped is sent at once) and one that
removes it after asking."""

from __future__ import annotations

import reflex as rx

from healthcareplus.domain.catalog.doctor_photos import MAX_BYTES
from healthcareplus.ui.doctor.photo_state import DoctorOwnPhotoState as P
from healthcareplus.ui.shared.cards import avatar, section_card
from healthcareplus.ui.shared.dialogs import confirm_dialog
from healthcareplus.ui.shared.forms import error_text
from healthcareplus.ui.shared.i18n import t

UPLOAD_ID = "own-photo"
ACCEPT = {
    "image/jpeg": [".jpg", ".jpeg"],
    "image/png": [".png"],
    "image/webp": [".webp"],
}
RULES = "A JPEG, PNG or WebP image of at most 5 MB."


def _named_file_input(upload: rx.Component, name: str) -> rx.Component:
    """``upload`` with its hidden file input named ``name`` for assistive technology
    (``rx.upload`` gives the input no props of its own)."""
    zone = upload.children[0]
    file_input = zone.children[0] if zone.children else None
    if not isinstance(file_input, rx.Component) or file_input.tag != "input":
        raise TypeError("rx.upload no longer starts with its file input")
    file_input.custom_attrs["aria-label"] = name
    return upload


def _upload_button() -> rx.Component:
    upload = rx.upload.root(
        rx.button(
            rx.icon("image-up"),
            rx.cond(P.photo["photo_url"] != "", "Replace photo", "Upload photo"),
            type="button",
        ),
        id=UPLOAD_ID,
        accept=ACCEPT,
        multiple=False,
        max_files=1,
        max_size=MAX_BYTES,
        no_keyboard=True,  # the button inside takes the focus and opens the file chooser
        on_drop=P.upload(rx.upload_files(upload_id=UPLOAD_ID)),
        on_drop_rejected=lambda _files: rx.toast.error(RULES),
        data_testid="own-photo-upload",
    )
    return _named_file_input(upload, "Your photo file")


def _remove_button() -> rx.Component:
    return confirm_dialog(
        rx.button(rx.icon("trash-2"), t("Remove photo"), color_scheme="red", variant="soft"),
        "Remove your photo?",
        "Patients will see your initials instead.",
        "Keep photo",
        rx.button(t("Remove photo"), color_scheme="red", on_click=P.remove),
    )


def own_photo_card() -> rx.Component:
    return section_card(
        t("Your photo"),
        "Patients see it on your card, profile and booking page; cropped to a square. " + RULES,
        rx.flex(
            rx.box(avatar(P.photo, size="8"), data_testid="own-photo-preview"),
            rx.vstack(
                rx.hstack(
                    _upload_button(),
                    rx.cond(P.photo["photo_url"] != "", _remove_button()),
                    spacing="3",
                    wrap="wrap",
                ),
                rx.cond(
                    P.error != "",
                    error_text(P.error, role="alert", data_testid="own-photo-error"),
                ),
                spacing="2",
            ),
            direction=rx.breakpoints(initial="column", sm="row"),
            spacing="4",
            align=rx.breakpoints(initial="start", sm="center"),
        ),
        data_testid="own-photo-card",
    )
