"""Starting the download of a one-time same-site file link (admin exports, a doctor's
monthly report)."""

from __future__ import annotations

import reflex as rx
from reflex.config import get_config
from reflex.event import EventSpec


def download(link: str, filename: str) -> EventSpec:
    """Start the download of a same-site API link.

    ``reflex run --env prod`` (``make run``) serves the API on the page's own port, so the
    browser fetches the relative link; in dev mode the backend (and so the API) listens
    on its own port, which the link must then name."""
    config = get_config()
    if config.frontend_port and config.backend_port and config.frontend_port != config.backend_port:
        return rx.redirect(config.api_url.rstrip("/") + link)
    return rx.download(url=link, filename=filename)
