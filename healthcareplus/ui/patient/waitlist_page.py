"""The patient's waitlist: offers of freed slots and the waitlists they are on."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.patient.waitlist_components import waitlist_body
from healthcareplus.ui.patient.waitlist_state import WaitlistState as S
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import titled_page
from healthcareplus.ui.shared.registry import Page


def waitlist_page() -> rx.Component:
    return titled_page(t("Waitlist"), waitlist_body(), max_width="820px")


PAGES = [Page(waitlist_page, routes.WAITLIST, N_("Waitlist"), [S.load])]
