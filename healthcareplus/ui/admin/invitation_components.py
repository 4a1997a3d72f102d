"""The admin's view of doctors' emailed invitations: the note of the one just sent (whom
to, how long its link works; never the link) and, in a doctor's row, a pending invitation
with the button that emails a new link."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.admin.doctors_state import AdminDoctorsState as L
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.typed import RowVar


def invitation_card() -> rx.Component:
    """Whom the latest invitation was emailed to (the link itself is never shown)."""
    invited = L.invited
    return rx.cond(
        invited.contains("email"),
        rx.callout(
            rx.vstack(
                rx.text(
                    rx.text.strong(invited["name"]),
                    t(" has been added. Invitation emailed to "),
                    rx.code(invited["email"], data_testid="invited-email"),
                    t("; the link works for "),
                    invited["hours"],
                    " hours.",
                ),
                rx.text(
                    t(
                        "The doctor chooses a password with it, then signs in. Until then the "
                        "list shows the invitation as pending, and you can resend it."
                    ),
                    size="2",
                ),
                rx.button(t("Dismiss"), size="2", variant="outline", on_click=L.dismiss_invitation),
                spacing="2",
                align="start",
            ),
            icon="mail-check",
            color_scheme="green",
            width="100%",
            role="status",
            data_testid="invitation-card",
        ),
    )


def sign_in_cell(d: RowVar) -> rx.Component:
    """A pending invitation, with the button that emails a new link."""
    pending = rx.hstack(
        rx.badge(t("Invitation pending"), color_scheme="amber", variant="soft"),
        rx.button(
            rx.icon("mail", size=14),
            t("Resend invitation"),
            size="1",
            variant="soft",
            on_click=L.resend_invitation(d["id"]),
            aria_label="Resend invitation to " + d["name"],
        ),
        align="center",
        wrap="wrap",
        data_testid="invitation-pending",
    )
    return rx.table.cell(rx.cond(d["invitation"] == "pending", pending, rx.fragment()))
