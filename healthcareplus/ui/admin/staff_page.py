"""Admin: the front-desk staff (sorted by their columns; change hospitals, deactivate /
reactivate each), and creating a front-desk user tied to one or more hospitals with a
one-time password shown once."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.admin.forms import flag_badge, one_time_password_card, paged_table
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.admin.staff_components import (
    hospital_choices,
    hospitals_dialog,
    row_actions,
)
from healthcareplus.ui.admin.staff_state import AdminFrontDeskStaffState as S
from healthcareplus.ui.shared.forms import field_error, field_grid, form_alert, stacked_form
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_block
from healthcareplus.ui.shared.profile_fields import email_field, name_field, phone_field
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.tables import labelled_row
from healthcareplus.ui.shared.typed import RowVar

FORM_ID = "new-desk-user"
COLUMNS = ("Name", "Email", "Phone", "Hospitals", "Since", "Status", "Actions")
# Each column's sort key (domain.accounts.front_desk_staff.SORTS; "hospitals": the first
# of them by name).
SORTS = ("name", "email", "phone", "hospitals", "since", "status", None)
ACTIVE = (("Active", "green"), ("Inactive", "gray"))


def _row(u: RowVar) -> rx.Component:
    return labelled_row(
        COLUMNS,
        rx.table.cell(rx.text(u["name"], weight="medium")),
        rx.table.cell(u["email"]),
        rx.table.cell(u["phone"], white_space="nowrap"),
        rx.table.cell(u["hospitals"], data_testid="desk-hospitals"),
        rx.table.cell(u["created_label"], white_space="nowrap"),
        rx.table.cell(flag_badge(u["is_active"], *ACTIVE, "desk-status")),
        rx.table.cell(row_actions(u)),
        data_testid="front-desk-row",
    )


def _form() -> rx.Component:
    return stacked_form(
        rx.heading(t("New front-desk user"), size="4", as_="h2"),
        field_grid(
            name_field(S.errors, form_id=FORM_ID),
            email_field(S.errors, form_id=FORM_ID),
            phone_field(S.errors, form_id=FORM_ID),
            columns="3",
        ),
        hospital_choices(field_error(S.errors, "hospital_ids")),
        rx.text(
            t(
                "A one-time password is generated and shown once; they choose their own at "
                "the first sign-in."
            ),
            size="2",
            color_scheme="gray",
        ),
        form_alert(S.message),
        rx.button(rx.icon("user-plus"), t("Create front-desk user"), type="submit"),
        key=S.form_key,
        on_submit=S.create,
    )


def staff_page() -> rx.Component:
    return admin_shell(
        "Front desk",
        one_time_password_card(S.created, S.dismiss_password(), who="The new front-desk user"),
        rx.card(_form(), width="100%"),
        paged_table(
            S,
            COLUMNS,
            _row,
            "front-desk",
            empty_block(
                t("No front-desk users yet"),
                t("Create one above and tie them to their hospitals."),
                icon="users",
            ),
            sorts=SORTS,
        ),
        hospitals_dialog(),
        intro="Reception staff sign in at the usual sign-in page and see only their hospitals. "
        "Admins can work the front desk at every hospital from /desk.",
    )


PAGES = [Page(staff_page, routes.ADMIN_STAFF, "Front desk", [S.load])]
