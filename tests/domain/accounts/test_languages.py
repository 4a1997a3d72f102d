"""Each user's language: remembered for the acting user only, only a supported one."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from healthcareplus.core.errors import Forbidden, ValidationFailed
from healthcareplus.core.models import Role, User
from healthcareplus.domain.accounts.languages import UNSUPPORTED, language_of, set_language


def add_user(session: Session, email: str, **extra: object) -> User:
    user = User(role=Role.PATIENT, name="Asha Rao", email=email, password_hash="x", **extra)
    session.add(user)
    session.flush()
    return user


def test_a_user_remembers_a_supported_language(session: Session) -> None:
    user = add_user(session, "asha@example.com")
    assert language_of(user) == "en"  # never chosen: English
    assert set_language(session, actor_id=user.id or 0, language="hi") == "hi"
    session.refresh(user)
    assert (user.language, language_of(user)) == ("hi", "hi")


@pytest.mark.parametrize("bad", ["fr", "", "HI", "hindi", "hi ", "x" * 50])
def test_an_unsupported_language_is_refused(session: Session, bad: str) -> None:
    user = add_user(session, "asha@example.com", language="hi")
    with pytest.raises(ValidationFailed) as refused:
        set_language(session, actor_id=user.id or 0, language=bad)
    assert refused.value.fields == {"language": UNSUPPORTED}
    session.refresh(user)
    assert user.language == "hi"


def test_a_blocked_or_unknown_actor_cannot_save_one(session: Session) -> None:
    blocked = add_user(session, "b@example.com", is_blocked=True)
    for actor_id in (blocked.id or 0, 999_999):
        with pytest.raises(Forbidden):
            set_language(session, actor_id=actor_id, language="hi")
    session.refresh(blocked)
    assert blocked.language is None


def test_language_of_reads_an_odd_stored_value_as_english() -> None:
    assert language_of(None) == "en"
    assert language_of(User(name="x", email="x@e.co", password_hash="x", language="xx")) == "en"
