"""The admin landing page's figures (the dashboard's ``tick`` refreshes them too)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import format_count
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import dashboard_views as views
from healthcareplus.ui.shared.guard import requires
from healthcareplus.ui.shared.typed import Field, event, field


class AdminHomeState(rx.State):
    figures: Field[dict[str, int]] = field(default_factory=dict)
    labels: Field[dict[str, str]] = field(default_factory=dict)  # the figures as shown
    loaded: Field[bool] = field(False)

    def _refresh(self, marker: str | None = None) -> None:
        """The figures as of ``marker`` (default: the current one), shared by every
        admin page showing them (``dashboard_views``)."""
        with session_scope() as db:
            marker = marker or views.change_marker(db)
            self.figures = dict(views.landing(db, marker=marker, now=utcnow()).__dict__)
        self.labels = {key: format_count(value) for key, value in self.figures.items()}

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self._refresh()
        self.loaded = True
