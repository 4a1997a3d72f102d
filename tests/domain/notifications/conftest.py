from __future__ import annotations

from collections.abc import Iterator

import pytest

from healthcareplus.core.config import get_settings


@pytest.fixture(autouse=True)
def no_reminders_unless_tested(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The news and delivery tests count exact rows: reminders and the unpaid hold's
    nudge have their own tests."""
    if request.module.__name__.endswith("test_reminders"):
        yield
        return
    monkeypatch.setenv("HCP_REMINDER_HOURS", "")
    monkeypatch.setenv("HCP_HOLD_NUDGE_MINUTES", "0")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
