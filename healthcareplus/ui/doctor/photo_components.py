"""The doctor's own photo card on My profile (``ui/shared/photo_card.py``)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.doctor.photo_state import DoctorOwnPhotoState as P
from healthcareplus.ui.shared.photo_card import PhotoWords, photo_card

WORDS = PhotoWords(
    key="own-photo",
    title="Your photo",
    intro="Patients see it on your card, profile and booking page; cropped to a square.",
    file_label="Your photo file",
    remove_question="Remove your photo?",
    remove_effect="Patients will see your initials instead.",
)


def own_photo_card() -> rx.Component:
    return photo_card(P, WORDS)
