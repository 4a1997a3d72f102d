"""The admin landing page's figures."""

from __future__ import annotations

import reflex as rx

from healthcareplus.db import session_scope
from healthcareplus.dbtypes import utcnow
from healthcareplus.models import Role
from healthcareplus.services.admin_overview import overview
from healthcareplus.states.guard import requires


class AdminHomeState(rx.State):
    figures: dict[str, int] = {}
    loaded: bool = False

    @rx.event
    @requires(Role.ADMIN)
    def load(self) -> None:
        with session_scope() as db:
            self.figures = dict(overview(db, now=utcnow()).__dict__)
        self.loaded = True
