from __future__ import annotations

import pytest

from healthcareplus.domain.accounts import passwords
from tests.domain.accounts.sign_in import CHEAP_DUMMY


@pytest.fixture
def cheap_dummy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unknown emails verify against a cost-4 dummy hash (fast throttling tests)."""
    monkeypatch.setattr(passwords, "_DUMMY_HASH", CHEAP_DUMMY)
