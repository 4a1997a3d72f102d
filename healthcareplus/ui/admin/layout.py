"""The admin portal's shell (the site shell plus the portal's section navigation) and the
parts of the page of one record (its header, status note and edit form)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

from healthcareplus.core import routes
from healthcareplus.ui.shared.forms import form_footer
from healthcareplus.ui.shared.layout import (
    page_column,
    page_title,
    record_body,
    section_nav,
    sections,
)

SECTIONS = (
    ("Dashboard", routes.ADMIN_HOME, "layout-dashboard"),
    ("Timetable", routes.ADMIN_TIMETABLE, "calendar-days"),
    ("Doctors", routes.ADMIN_DOCTORS, "stethoscope"),
    ("Fee requests", routes.ADMIN_FEE_REQUESTS, "receipt-indian-rupee"),
    ("Patients", routes.ADMIN_PATIENTS, "users"),
    ("Cities & hospitals", routes.ADMIN_LOCATIONS, "building-2"),
    ("Admins", routes.ADMIN_ADMINS, "shield"),
    ("Front desk", routes.ADMIN_STAFF, "concierge-bell"),
    ("Reports", routes.ADMIN_REPORTS, "file-down"),
    ("Reviews", routes.ADMIN_REVIEWS, "star"),
    ("Audit log", routes.ADMIN_AUDIT, "scroll-text"),
    ("Messages", routes.ADMIN_MESSAGES, "mail"),
    ("Webhooks", routes.ADMIN_WEBHOOKS, "webhook"),
    ("Sign-in locks", routes.ADMIN_SIGN_IN_LOCKS, "lock-keyhole"),
)


def admin_nav() -> rx.Component:
    sections = [(*s, f"admin-nav-{s[1].rsplit('/', 1)[-1]}") for s in SECTIONS]
    return section_nav(sections, "Admin sections")


def admin_shell(title: str | Var[str], *children: rx.Component, intro: str = "") -> rx.Component:
    """An admin page: section navigation, the page heading (and a grey ``intro`` under
    it, when given), then the content."""
    lead = [rx.text(intro, color_scheme="gray")] if intro else []
    return page_column(admin_nav(), page_title(title), *lead, *children, max_width="1400px")


def record_page(
    what: str, state: Any, back: tuple[str, str], header: rx.Component, *cards: rx.Component
) -> rx.Component:
    """The admin page of one ``what`` (a doctor, a patient): loading, then its ``header``
    and ``cards``, or "<what> not found" with the way ``back`` (label, link) to its list."""
    detail = sections(header, *cards)
    return admin_shell(what, record_body(state, (what, *back), detail))


def record_header(
    back: tuple[str, str],
    title: Any,
    badge: rx.Component,
    *facts: rx.Component,
    controls: rx.Component,
    note: rx.Component,
) -> rx.Component:
    """The top of one record's page: the way back to its list (label, link), its name
    with a status badge and lines of facts, its actions on the right, and a note on its
    status below."""
    return rx.fragment(
        rx.link("← " + back[0], href=back[1]),
        rx.flex(
            rx.vstack(
                rx.hstack(rx.heading(title, size="6", as_="h2"), badge, align="center"),
                *facts,
                spacing="1",
            ),
            rx.spacer(),
            controls,
            width="100%",
            wrap="wrap",
            gap="3",
            align="center",
        ),
        note,
    )


def edit_card(title: str, state: Any, submit: str, *fields: rx.Component) -> rx.Component:
    """A record's edit form in a card: its heading, ``fields``, the form's message, the
    saved note and the ``submit`` button (``state``: see ``records.EditForm``, plus
    ``form_key`` and ``save``)."""
    return rx.card(
        rx.form(
            rx.heading(title, size="4", as_="h2", margin_bottom="0.5em"),
            *fields,
            form_footer(state.message, state.saved, submit, margin_top="1em"),
            key=state.form_key,
            on_submit=state.save,
            reset_on_submit=False,
        ),
        width="100%",
    )


def status_note(shown: Any, text: Any, icon: str, color: str, testid: str) -> rx.Component:
    """A full-width callout about the record's status, while ``shown``."""
    callout = rx.callout(text, icon=icon, color_scheme=color, width="100%", data_testid=testid)
    return rx.cond(shown, callout)
