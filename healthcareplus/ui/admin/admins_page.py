"""Admin: the administrators, and creating another one (generated one-time password or a
password typed by the creating admin)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from healthcareplus.core import routes
from healthcareplus.ui.admin.admins_state import AdminAdminsState as S
from healthcareplus.ui.admin.forms import data_table, one_time_password_card, pager
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.shared.forms import form_alert, text_field
from healthcareplus.ui.shared.layout import loading_block
from healthcareplus.ui.shared.registry import Page


def _row(a: Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                rx.text(a["name"], weight="medium"),
                rx.cond(a["id"] == S.me, rx.badge("You", variant="soft", color_scheme="teal")),
                align="center",
            )
        ),
        rx.table.cell(a["email"]),
        rx.table.cell(a["phone"], white_space="nowrap"),
        rx.table.cell(a["created_label"], white_space="nowrap"),
        data_testid="admin-row",
    )


def _form() -> rx.Component:
    fid = "new-admin"
    return rx.form(
        rx.vstack(
            rx.heading("Add an administrator", size="4", as_="h2"),
            rx.grid(
                text_field(
                    "Full name", "name", S.errors, form_id=fid, required=True, max_length=120
                ),
                text_field(
                    "Email",
                    "email",
                    S.errors,
                    form_id=fid,
                    type_="email",
                    required=True,
                    max_length=254,
                ),
                text_field(
                    "Mobile number",
                    "phone",
                    S.errors,
                    form_id=fid,
                    type_="tel",
                    required=True,
                    max_length=20,
                ),
                columns=rx.breakpoints(initial="1", sm="3"),
                spacing="3",
                width="100%",
            ),
            rx.text(
                "Leave both password fields empty to generate a one-time password, or type one "
                "(8+ characters with upper and lower case, a digit and a symbol).",
                size="2",
                color_scheme="gray",
            ),
            rx.grid(
                text_field(
                    "Password (optional)",
                    "password",
                    S.errors,
                    form_id=fid,
                    type_="password",
                    autocomplete="new-password",
                    max_length=72,
                ),
                text_field(
                    "Confirm password",
                    "confirm_password",
                    S.errors,
                    form_id=fid,
                    type_="password",
                    autocomplete="new-password",
                    max_length=72,
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            form_alert(S.message),
            rx.button(rx.icon("shield-plus"), "Create administrator", type="submit"),
            spacing="3",
            width="100%",
        ),
        key=S.form_key,
        on_submit=S.create,
        reset_on_submit=False,
        width="100%",
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
        rx.cond(
            S.loaded,
            data_table(
                ["Name", "Email", "Phone", "Since"], rx.foreach(S.items, _row), "admins-table"
            ),
            loading_block(),
        ),
        pager(S.pager, S.go_page, "admins-pager"),
    )


PAGES = [Page(admins_page, routes.ADMIN_ADMINS, "Administrators", [S.load])]
