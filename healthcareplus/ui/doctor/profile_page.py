"""The doctor's own profile: what patients read, the medical registration printed on
prescriptions, and the consultation fee with its change requests."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.domain.admin.doctor_self_service import REGISTRATION_COUNCILS
from healthcareplus.ui.doctor.photo_components import own_photo_card
from healthcareplus.ui.doctor.photo_state import DoctorOwnPhotoState
from healthcareplus.ui.doctor.portal_components import portal_body, portal_shell
from healthcareplus.ui.doctor.profile_state import DoctorOwnProfileState as S
from healthcareplus.ui.doctor.requests_components import confirm_bookings_card
from healthcareplus.ui.doctor.requests_state import DoctorBookingSettingState
from healthcareplus.ui.shared.cards import section_card, two_columns
from healthcareplus.ui.shared.forms import (
    field_grid,
    form_footer,
    select_field,
    stacked_form,
    text_field,
    textarea_field,
)
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import sections
from healthcareplus.ui.shared.registry import Page

FORM_ID, FEE_FORM_ID = "doctor-profile", "fee-request"


def _profile_form() -> rx.Component:
    p = S.profile
    return section_card(
        t("What patients read"),
        t("Your name, specialization and hospital are set by the clinic."),
        stacked_form(
            text_field(
                t("Qualifications"),
                "qualification",
                S.errors,
                form_id=FORM_ID,
                default_value=p["qualification"],
                required=True,
            ),
            text_field(
                t("Languages (comma separated)"),
                "languages",
                S.errors,
                form_id=FORM_ID,
                default_value=p["languages"],
                required=True,
                max_length=400,
            ),
            textarea_field(
                t("About"),
                "about",
                S.errors,
                form_id=FORM_ID,
                default_value=p["about"],
                max_length=2000,
            ),
            field_grid(
                text_field(
                    t("Registration number"),
                    "registration_number",
                    S.errors,
                    form_id=FORM_ID,
                    default_value=p["registration_number"],
                    max_length=30,
                ),
                select_field(
                    t("Registered with"),
                    "registration_council",
                    S.errors,
                    list(REGISTRATION_COUNCILS),
                    form_id=FORM_ID,
                    default_value=p["registration_council"],
                    placeholder=t("Choose the council"),
                ),
            ),
            rx.text(
                t("Your registration (state medical council or NMC) prints on every prescription."),
                size="1",
                color_scheme="gray",
            ),
            form_footer(rx.Var.create(""), S.saved, "Save profile"),
            on_submit=S.save,
            key=S.form_key,
        ),
        data_testid="doctor-profile-form",
    )


def _request_status() -> rx.Component:
    r = S.fee_request
    return rx.cond(
        r.contains("status"),
        rx.callout(
            rx.text(
                t("Your request to change "),
                r["from"],
                " to ",
                r["to"],
                " (",
                r["asked"],
                "): ",
                rx.text.strong(r["status_text"]),
                rx.cond(r["note"] != "", rx.fragment(". Note: ", r["note"])),
            ),
            icon="receipt-indian-rupee",
            color_scheme=rx.match(
                r["status"],
                ("approved", "green"),
                ("declined", "red"),
                ("pending", "amber"),
                "gray",
            ),
            role="status",
            data_testid="fee-request-status",
        ),
    )


def _fee_card() -> rx.Component:
    pending = S.fee_request["status"] == "pending"
    ask = stacked_form(
        text_field(
            t("New fee (₹)"),
            "fee_rupees",
            S.fee_errors,
            form_id=FEE_FORM_ID,
            type_="number",
            required=True,
            max_length=6,
        ),
        text_field(
            t("Reason (optional)"), "reason", S.fee_errors, form_id=FEE_FORM_ID, max_length=500
        ),
        rx.button(t("Ask for this fee"), type="submit"),
        on_submit=S.request_fee,
        key=S.form_key,
    )
    return section_card(
        t("Consultation fee"),
        t("A new fee needs the clinic's approval; visits already booked keep theirs."),
        rx.text(t("Current fee: "), rx.text.strong(S.profile["fee"], data_testid="current-fee")),
        _request_status(),
        rx.cond(
            pending,
            rx.button(
                t("Withdraw request"), variant="soft", color_scheme="gray", on_click=S.withdraw_fee
            ),
            ask,
        ),
        data_testid="fee-card",
    )


def _content() -> rx.Component:
    return sections(
        rx.heading(t("My profile"), size="7", as_="h1"),
        rx.text(
            S.profile["name"], " · ", S.profile["specialization"], " · ", S.profile["hospital"]
        ),
        own_photo_card(),
        two_columns(_profile_form(), _fee_card(), align_items="start"),
        confirm_bookings_card(),
    )


def doctor_profile_page() -> rx.Component:
    return portal_shell(portal_body(S.loaded, S.error, _content()))


PAGES = [
    Page(
        doctor_profile_page,
        routes.DOCTOR_PROFILE,
        "My profile",
        [S.load, DoctorOwnPhotoState.load, DoctorBookingSettingState.load],
    )
]
