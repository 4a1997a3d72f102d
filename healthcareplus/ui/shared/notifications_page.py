"""The notification centre (every signed-in role): the user's messages, newest first, a
page at a time, with marking one or all of them read."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.shared.cards import aside_row
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_block, list_body, titled_page
from healthcareplus.ui.shared.notification_bell_state import NotificationBellState as B
from healthcareplus.ui.shared.notification_components import notification_list, pager
from healthcareplus.ui.shared.notification_preferences_components import (
    notification_preferences_card,
)
from healthcareplus.ui.shared.notification_preferences_state import NotificationPreferencesState
from healthcareplus.ui.shared.notifications_state import NotificationsState as S
from healthcareplus.ui.shared.registry import Page


def _toolbar() -> rx.Component:
    summary = rx.text(
        rx.cond(
            S.total > 0,
            t(
                "Showing {first}–{last} of {total}",
                first=S.first_item,
                last=S.last_item,
                total=S.total,
            ),
            "",
        ),
        size="2",
        color_scheme="gray",
        data_testid="notifications-summary",
    )
    mark_all = rx.button(
        rx.icon("check-check", size=16),
        t("Mark all read"),
        variant="soft",
        size="2",
        disabled=B.unread == 0,
        on_click=S.mark_all_read,
        data_testid="notifications-mark-all",
    )
    return aside_row(summary, mark_all, wrap="wrap")


def _empty() -> rx.Component:
    return empty_block(
        t("No notifications yet"),
        t("News about your appointments (confirmed, moved, cancelled) will appear here."),
        icon="bell-off",
    )


def _centre() -> rx.Component:
    return rx.card(
        rx.vstack(
            _toolbar(),
            notification_list(),
            rx.cond(S.pages > 1, pager()),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="notifications",
    )


def notifications_page() -> rx.Component:
    return titled_page(
        t("Notifications"),
        list_body(S.loaded, S.items, _centre(), _empty()),
        notification_preferences_card(),
        intro=t("What happened with your appointments and account, newest first."),
        max_width="820px",
    )


PAGES = [
    Page(
        notifications_page,
        routes.NOTIFICATIONS,
        N_("Notifications"),
        [S.load, NotificationPreferencesState.load],
    )
]
