"""The notification bell of the signed-in navigation, and the notification centre's rows
and pager. Pure UI over ``NotificationBellState`` and ``NotificationsState``."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

from healthcareplus.core import routes
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.notification_bell_state import NotificationBellState as B
from healthcareplus.ui.shared.notifications_state import NotificationsState as S
from healthcareplus.ui.shared.tables import centred_pager, neighbour_page, page_of, step_button
from healthcareplus.ui.shared.typed import RowVar

BELL_TICK_MS = 5000  # how often a visible signed-in page asks for the unread count

# --- the bell --------------------------------------------------------------------------------


def _bell_tick() -> rx.Component:
    """The hidden button ``/live-tick.js`` clicks every ``BELL_TICK_MS``."""
    return rx.el.button(
        type="button",
        hidden=True,
        aria_hidden="true",
        tab_index=-1,
        on_click=B.refresh,
        custom_attrs={"data-live-tick": str(BELL_TICK_MS)},
        data_testid="nav-bell-tick",
    )


def notification_bell() -> rx.Component:
    """A link to the centre with the unread count as a badge (none at 0). Counts on
    mount, so every page load shows a fresh number; render it once, signed in only."""
    count = rx.badge(
        B.badge,
        color_scheme="red",
        variant="solid",
        radius="full",
        size="1",
        position="absolute",
        top="-6px",
        right="-8px",
        aria_hidden="true",
        data_testid="nav-bell-count",
    )
    return rx.fragment(
        rx.link(
            rx.box(
                rx.icon("bell", size=20),
                rx.cond(B.unread > 0, count),
                position="relative",
                display="flex",
            ),
            href=routes.NOTIFICATIONS,
            aria_label=B.label,
            title=B.label,
            color_scheme="gray",
            high_contrast=True,
            padding="0.25em",
            on_mount=B.refresh,
            data_testid="nav-bell",
        ),
        _bell_tick(),
    )


# --- the centre ------------------------------------------------------------------------------


def _open_link(n: RowVar, unread: Var[bool]) -> rx.Component:
    """The message's link; opening an unread one marks it read on the way."""

    def link(**on: Any) -> rx.Component:
        return rx.link(
            rx.hstack(
                rx.text(t("Open")), rx.icon("arrow-right", size=14), spacing="1", align="center"
            ),
            href=n["link"],
            size="2",
            aria_label=t("Open: {subject}", subject=n["subject"]),
            data_testid="notification-open",
            **on,
        )

    return rx.cond(unread, link(on_click=S.mark_read(n["id"])), link())


def notification_item(n: RowVar) -> rx.Component:
    unread = n["is_read"] == "false"
    mark = rx.button(
        t("Mark read"),
        size="1",
        variant="soft",
        on_click=S.mark_read(n["id"]),
        aria_label=t("Mark read: {subject}", subject=n["subject"]),
        data_testid="notification-mark-read",
    )
    row = rx.hstack(
        rx.box(
            rx.cond(
                unread,
                rx.icon(
                    "circle", size=10, fill=rx.color("teal", 9), role="img", aria_label=t("Unread")
                ),
            ),
            width="12px",
            padding_top="0.35em",
            flex_shrink="0",
        ),
        rx.vstack(
            rx.text(
                n["subject"],
                weight=rx.cond(unread, "bold", "regular"),
                data_testid="notification-subject",
            ),
            rx.text(n["body"], size="2"),
            rx.hstack(
                rx.text(n["when_label"], size="1", color_scheme="gray"),
                rx.cond(n["link"] != "", _open_link(n, unread)),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            spacing="1",
            width="100%",
        ),
        rx.cond(unread, mark),
        align="start",
        width="100%",
    )
    return rx.el.li(
        row,
        padding_y="0.75em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        data_testid="notification",
        data_read=n["is_read"],
    )


def notification_list() -> rx.Component:
    return rx.el.ul(
        rx.foreach(S.items, notification_item),
        list_style_type="none",
        margin="0",
        padding="0",
        width="100%",
        aria_label=t("Notifications"),
    )


def pager() -> rx.Component:
    return centred_pager(
        step_button(
            t("Previous"),
            forward=False,
            size="1",
            disabled=S.page <= 1,
            on_click=S.go_to_page(neighbour_page(S.page, forward=False)),
            data_testid="notifications-prev",
        ),
        page_of(S.page, S.pages, data_testid="notifications-page"),
        step_button(
            t("Next"),
            forward=True,
            size="1",
            disabled=S.page >= S.pages,
            on_click=S.go_to_page(neighbour_page(S.page, forward=True)),
            data_testid="notifications-next",
        ),
    )
