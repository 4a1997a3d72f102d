"""The waitlist page's cards: open offers (Accept and pay / Decline) and the patient's
entries (Leave)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.patient.waitlist_state import WaitlistState as S
from healthcareplus.ui.shared.cards import aside_row, section_card
from healthcareplus.ui.shared.forms import stacked_form, text_field
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_note, if_any, when_loaded
from healthcareplus.ui.shared.typed import RowVar


def _offer(offer: RowVar) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(offer["doctor_name"], size="4", as_="h3"),
            rx.text(offer["when"], weight="bold"),
            rx.text(t("Held for you until "), offer["expires"], size="2", color_scheme="gray"),
            rx.flex(
                rx.button(
                    t("Accept and pay"),
                    on_click=S.accept(offer["id"]),
                    data_testid="accept-offer",
                ),
                rx.button(
                    t("Decline"),
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.decline(offer["id"]),
                    data_testid="decline-offer",
                ),
                spacing="2",
                wrap="wrap",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        data_testid="waitlist-offer",
    )


def _entry(entry: RowVar) -> rx.Component:
    leave = rx.button(
        t("Leave"),
        variant="soft",
        color_scheme="red",
        on_click=S.leave(entry["id"]),
        aria_label="Leave the waitlist for " + entry["doctor_name"],
    )
    return rx.card(
        aside_row(
            rx.vstack(
                rx.text(entry["doctor_name"], weight="bold"),
                rx.text(entry["days"], size="2"),
                rx.text(t("Joined "), entry["joined"], size="2", color_scheme="gray"),
                spacing="1",
            ),
            leave,
        ),
        width="100%",
        data_testid="waitlist-entry",
    )


def offers_card() -> rx.Component:
    return section_card(
        t("Slots offered to you"),
        t("A freed slot is held for you for a short while. Accept it and pay, or decline it."),
        if_any(
            S.offers,
            rx.vstack(rx.foreach(S.offers, _offer), spacing="3", width="100%"),
            empty_note(t("No offers right now.")),
        ),
    )


def entries_card() -> rx.Component:
    return section_card(
        t("Waiting for"),
        t("When a matching slot frees up, it is offered to the first patient waiting."),
        if_any(
            S.entries,
            rx.vstack(rx.foreach(S.entries, _entry), spacing="3", width="100%"),
            empty_note(t("You are not on any waitlist. Join one from a doctor's full day.")),
        ),
    )


def waitlist_body() -> rx.Component:
    message = rx.cond(
        S.message != "",
        rx.callout(S.message, icon="info", color_scheme="amber", role="alert", width="100%"),
    )
    return when_loaded(
        S.loaded, rx.vstack(message, offers_card(), entries_card(), spacing="4", width="100%")
    )


def join_card(doctor_id: rx.Var) -> rx.Component:
    """On the booking page: no time that suits? Wait for this doctor's freed slots."""
    form = stacked_form(
        rx.el.input(type="hidden", name="doctor_id", value=doctor_id),
        rx.flex(
            text_field(
                t("From"),
                "from_day",
                S.join_errors,
                form_id="waitlist",
                type_="date",
                required=True,
            ),
            text_field(
                t("To"), "to_day", S.join_errors, form_id="waitlist", type_="date", required=True
            ),
            spacing="3",
            direction=rx.breakpoints(initial="column", sm="row"),
            width="100%",
        ),
        rx.button(t("Join the waitlist"), type="submit", variant="outline"),
        on_submit=S.join,
    )
    return section_card(
        t("No time that suits you?"),
        t(
            "Join the waitlist for up to 14 days. When a slot frees up, we hold it for the "
            "first patient waiting and tell them."
        ),
        form,
        data_testid="join-waitlist",
    )
