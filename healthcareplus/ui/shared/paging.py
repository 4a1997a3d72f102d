"""The facts of the page of a list that a state shows (a state mixin with no handlers)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.ui.shared.typed import Field, field


class PageFacts(rx.State, mixin=True):
    """Which page of how many is shown, and which items of how many it holds."""

    total: Field[int] = field(0)
    page: Field[int] = field(1)
    pages: Field[int] = field(1)
    first_item: Field[int] = field(0)
    last_item: Field[int] = field(0)

    def _show_page_facts(self, result: Any) -> None:
        """Copy the facts from a service's page (with the same five attributes)."""
        self.total, self.page, self.pages = result.total, result.page, result.pages
        self.first_item, self.last_item = result.first_item, result.last_item
