"""The admin landing page's figures."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.admin.overview import overview
from healthcareplus.ui.shared.guard import requires
from healthcareplus.ui.shared.typed import Field, event, field


class AdminHomeState(rx.State):
    figures: Field[dict[str, int]] = field(default_factory=dict)
    loaded: Field[bool] = field(False)

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        with session_scope() as db:
            self.figures = dict(overview(db, now=utcnow()).__dict__)
        self.loaded = True
