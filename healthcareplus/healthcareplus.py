"""The Reflex app: theme, access guard, security headers and pages. The background work
runs in the job worker (``python -m healthcareplus worker``), once per deployment."""

import reflex as rx

from healthcareplus.api import api
from healthcareplus.api.security_headers import SecurityHeaders
from healthcareplus.core.config import get_settings
from healthcareplus.ui.pages import register_pages
from healthcareplus.ui.shared.guard import AccessGuard
from healthcareplus.ui.shared.language_state import LanguageMiddleware

get_settings().check_safe_for_env()

app = rx.App(
    head_components=[
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        rx.script(src="/countdown.js"),
        rx.script(src="/live-tick.js"),
        rx.script(src="/lang.js"),  # <html lang> follows the language switch
    ],
    stylesheets=["/contrast.css", "/tables.css", "/print.css"],
    # /api/admin/... downloads on the app's own port; security headers on every response.
    api_transformer=[api, SecurityHeaders],
)
app.add_middleware(LanguageMiddleware())  # first: refusals are in the caller's language too
app.add_middleware(AccessGuard())
register_pages(app)
