"""Admin: all doctors (search, filters, pages, add) and one doctor (profile, photo, weekly
schedule, deactivate / reactivate with the bookings to follow up)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.admin.doctor_detail_state import AdminDoctorState as D
from healthcareplus.ui.admin.doctor_photo_components import photo_card
from healthcareplus.ui.admin.doctor_photo_state import AdminDoctorPhotoState as P
from healthcareplus.ui.admin.doctor_schedule_state import AdminScheduleState as W
from healthcareplus.ui.admin.doctors_components import (
    ACTIVE,
    DOCTOR_COLUMNS,
    DOCTOR_SORTS,
    activation_switch,
    add_doctor_dialog,
    doctor_filters,
    doctor_row,
    follow_ups_card,
    schedule_editor,
)
from healthcareplus.ui.admin.doctors_state import AdminDoctorsState as L
from healthcareplus.ui.admin.forms import doctor_fields, flag_badge, paged_table
from healthcareplus.ui.admin.invitation_components import invitation_card
from healthcareplus.ui.admin.layout import (
    admin_shell,
    edit_card,
    record_header,
    record_page,
    status_note,
)
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_block
from healthcareplus.ui.shared.registry import Page

DETAIL_ROUTE = "/admin/doctors/[doctor_id]"
BACK = ("All doctors", routes.ADMIN_DOCTORS)


def doctors_page() -> rx.Component:
    return admin_shell(
        "Doctors",
        invitation_card(),
        rx.hstack(
            rx.text(
                t("Add doctors, edit profiles and timetables, deactivate."), color_scheme="gray"
            ),
            rx.spacer(),
            add_doctor_dialog(),
            width="100%",
            wrap="wrap",
            align="center",
        ),
        doctor_filters(),
        paged_table(
            L,
            DOCTOR_COLUMNS,
            doctor_row,
            "doctors",
            empty_block(t("No doctors found"), t("Try another name or filter.")),
            sorts=DOCTOR_SORTS,
        ),
    )


def _header() -> rx.Component:
    d = D.doctor
    return record_header(
        BACK,
        d["name"],
        flag_badge(d["is_active"], *ACTIVE, "doctor-active"),
        rx.text(d["specialization"], " · ", d["hospital_name"], ", ", d["city_name"], size="2"),
        rx.text(
            t("Sign-in: "),
            rx.cond(d["login_email"] != "", d["login_email"], "none"),
            size="2",
            color_scheme="gray",
        ),
        controls=activation_switch(),
        note=status_note(
            d["is_active"] == "false",
            "Inactive: hidden from patient search and closed for booking.",
            "eye-off",
            "gray",
            "inactive-note",
        ),
    )


def doctor_page() -> rx.Component:
    fields = doctor_fields(D.errors, D.doctor, D.hospitals, form_id="edit-doctor", with_email=False)
    return record_page(
        "Doctor",
        D,
        BACK,
        _header(),
        follow_ups_card(),
        photo_card(),
        edit_card("Profile", D, "Save profile", fields),
        rx.card(schedule_editor(), width="100%"),
    )


PAGES = [
    Page(doctors_page, routes.ADMIN_DOCTORS, "Doctors", [L.load]),
    Page(doctor_page, DETAIL_ROUTE, "Doctor", [D.load, W.load, P.load]),
]
