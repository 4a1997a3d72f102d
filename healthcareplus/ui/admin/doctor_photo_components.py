"""The doctor's photo card on the admin's doctor page (``ui/shared/photo_card.py``)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.admin.doctor_photo_state import AdminDoctorPhotoState as P
from healthcareplus.ui.shared import photo_card as card

WORDS = card.PhotoWords(
    key="doctor-photo",
    title="Photo",
    intro="Shown to patients on the doctor's cards, profile and booking page; cropped to a square.",
    file_label="Doctor's photo file",
    remove_question="Remove the photo of " + P.photo["name"] + "?",
    remove_effect="Patients will see the doctor's initials instead.",
)


def photo_card() -> rx.Component:
    return card.photo_card(P, WORDS)
