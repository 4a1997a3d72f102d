"""Plain helpers shared by the admin states that filter and export appointments (the
dashboard and reports): the pickers' options and starting the download of a one-time
same-site link."""

from __future__ import annotations

import reflex as rx
from reflex.config import get_config
from reflex.event import EventSpec

from healthcareplus.domain.reports.appointments_export import Choice


def options(choices: tuple[Choice, ...]) -> list[dict[str, str]]:
    """A picker's choices as rows of ``id`` and ``label``."""
    return [{"id": str(c.id), "label": c.label} for c in choices]


def download(link: str, filename: str) -> EventSpec:
    """Start the download of a same-site API link.

    ``reflex run --env prod`` (``make run``) serves the API on the page's own port, so the
    browser fetches the relative link; in dev mode the backend (and so the API) listens
    on its own port, which the link must then name."""
    config = get_config()
    if config.frontend_port and config.backend_port and config.frontend_port != config.backend_port:
        return rx.redirect(config.api_url.rstrip("/") + link)
    return rx.download(url=link, filename=filename)
