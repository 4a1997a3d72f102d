"""Reflex configuration. The database URL comes from the app's settings (HCP_DATABASE_URL);
Reflex's own REFLEX_DB_URL / REFLEX_REDIS_URL overrides still apply on top of it."""

import reflex as rx

from healthcareplus.core.config import get_settings

config = rx.Config(
    app_name="healthcareplus",
    db_url=get_settings().effective_database_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.SitemapPlugin(),
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="teal", gray_color="slate", radius="large")
        ),
    ],
)
