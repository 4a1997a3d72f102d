"""Admin webhooks: the endpoints told of appointment and refund events, adding one (its
secret shown once), turning one off or on, rotating its secret and its deliveries."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.admin.webhooks_components import (
    add_form,
    attempts_block,
    endpoints_table,
    secret_card,
)
from healthcareplus.ui.admin.webhooks_state import AdminWebhooksState as S
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_block, list_body
from healthcareplus.ui.shared.registry import Page


def admin_webhooks_page() -> rx.Component:
    return admin_shell(
        "Webhooks",
        secret_card(),
        list_body(
            S.loaded,
            S.rows,
            endpoints_table(),
            empty_block(
                t("No endpoints"), t("Add one below to be told of events."), icon="webhook"
            ),
        ),
        attempts_block(),
        add_form(),
        intro="Your systems are told of confirmed, moved, cancelled, completed and missed "
        "appointments and processed refunds: a signed POST to each endpoint subscribed to "
        "the event, retried with back-off until it answers 2xx.",
    )


PAGES = [Page(admin_webhooks_page, routes.ADMIN_WEBHOOKS, "Webhooks", [S.load])]
