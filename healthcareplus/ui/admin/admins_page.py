"""Admin: the administrators (deactivate / reactivate each), and creating another one
(generated one-time password or a password typed by the creating admin)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.admin.admins_components import activation_action
from healthcareplus.ui.admin.admins_state import AdminAdminsState as S
from healthcareplus.ui.admin.forms import flag_badge, one_time_password_card, paged_table
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.shared.forms import (
    field_grid,
    form_alert,
    password_field,
    stacked_form,
)
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.profile_fields import email_field, name_field, phone_field
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.tables import labelled_row
from healthcareplus.ui.shared.typed import RowVar

FORM_ID = "new-admin"
COLUMNS = ("Name", "Email", "Phone", "Since", "Status", "Actions")
SORTS = ("name", "email", "phone", "since", "status", None)  # domain.accounts.admins
ACTIVE = (("Active", "green"), ("Inactive", "gray"))


def _row(a: RowVar) -> rx.Component:
    return labelled_row(
        COLUMNS,
        rx.table.cell(
            rx.hstack(
                rx.text(a["name"], weight="medium"),
                rx.cond(a["id"] == S.me, rx.badge(t("You"), variant="soft", color_scheme="teal")),
                align="center",
            )
        ),
        rx.table.cell(a["email"]),
        rx.table.cell(a["phone"], white_space="nowrap"),
        rx.table.cell(a["created_label"], white_space="nowrap"),
        rx.table.cell(flag_badge(a["is_active"], *ACTIVE, "admin-status")),
        rx.table.cell(activation_action(a)),
        data_testid="admin-row",
    )


def _password(label: str, name: str) -> rx.Component:
    return password_field(label, name, S.errors, form_id=FORM_ID)


def _form() -> rx.Component:
    return stacked_form(
        rx.heading(t("Add an administrator"), size="4", as_="h2"),
        field_grid(
            name_field(S.errors, form_id=FORM_ID),
            email_field(S.errors, form_id=FORM_ID),
            phone_field(S.errors, form_id=FORM_ID),
            columns="3",
        ),
        rx.text(
            t(
                "Leave both password fields empty to generate a one-time password, or type one "
                "(8+ characters with upper and lower case, a digit and a symbol)."
            ),
            size="2",
            color_scheme="gray",
        ),
        field_grid(
            _password("Password (optional)", "password"),
            _password("Confirm password", "confirm_password"),
        ),
        form_alert(S.message),
        rx.button(rx.icon("shield-plus"), t("Create administrator"), type="submit"),
        key=S.form_key,
        on_submit=S.create,
    )


def admins_page() -> rx.Component:
    return admin_shell(
        "Administrators",
        one_time_password_card(S.created, S.dismiss_password(), who="The new administrator"),
        rx.cond(
            (S.created.contains("email")) & (S.created["password"] == ""),
            rx.callout(
                S.created["name"] + " can now sign in with the password you chose.",
                icon="check",
                color_scheme="green",
                role="status",
                width="100%",
            ),
        ),
        rx.card(_form(), width="100%"),
        paged_table(S, COLUMNS, _row, "admins", sorts=SORTS),
    )


PAGES = [Page(admins_page, routes.ADMIN_ADMINS, "Administrators", [S.load])]
