"""The Reflex app: theme, access guard, background jobs and pages. Nothing else."""

import reflex as rx

from healthcareplus.api import api
from healthcareplus.core.config import get_settings
from healthcareplus.jobs import sweep_forever
from healthcareplus.ui.pages import register_pages
from healthcareplus.ui.shared.guard import AccessGuard

get_settings().check_safe_for_env()

app = rx.App(
    head_components=[
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        rx.script(src="/countdown.js"),
    ],
    api_transformer=api,  # /api/admin/... downloads, on the app's own port
)
app.add_middleware(AccessGuard())
app.register_lifespan_task(sweep_forever)
register_pages(app)
