"""Plain helpers shared by the admin states that filter and export appointments (the
dashboard and reports): the pickers' options; downloads start with ``shared.downloads``."""

from __future__ import annotations

from healthcareplus.domain.reports.appointments_export import Choice


def options(choices: tuple[Choice, ...]) -> list[dict[str, str]]:
    """A picker's choices as rows of ``id`` and ``label``."""
    return [{"id": str(c.id), "label": c.label} for c in choices]
