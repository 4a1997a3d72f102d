"""Users and sign-in attempts for the accounts tests."""

from __future__ import annotations

from datetime import UTC, datetime

import bcrypt
import pytest
from sqlmodel import Session

from healthcareplus.core.errors import AuthenticationFailed
from healthcareplus.core.models import Role, User
from healthcareplus.domain.accounts import passwords
from healthcareplus.domain.accounts.auth import authenticate

PASSWORD = "Correct#Horse9"
T0 = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)
PATIENT_PORTAL = (Role.PATIENT, Role.DOCTOR)
ADMIN_PORTAL = (Role.ADMIN,)

# A real cost-12 hash (made once) for the timing tests; a cheap cost-4 hash elsewhere, so the
# many sign-ins of the throttling tests don't cost a quarter second each.
REAL_HASH = passwords.hash_password(PASSWORD)
CHEAP_HASH = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
CHEAP_DUMMY = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(4))


def make_user(
    session: Session,
    *,
    email: str = "asha@example.com",
    role: str = Role.PATIENT,
    password_hash: str = CHEAP_HASH,
    is_active: bool = True,
    name: str = "Asha Rao",
) -> User:
    user = User(
        role=role,
        name=name,
        email=email,
        phone="+91 98450 12345",
        password_hash=password_hash,
        is_active=is_active,
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def login(
    session: Session,
    email: str = "asha@example.com",
    password: str = PASSWORD,
    *,
    client_key: str = "client-a",
    roles: tuple[str, ...] = PATIENT_PORTAL,
    now: datetime = T0,
) -> User:
    return authenticate(
        session, email=email, password=password, client_key=client_key, roles=roles, now=now
    )


def fail(session: Session, email: str = "asha@example.com", **kwargs: object) -> None:
    with pytest.raises(AuthenticationFailed):
        login(session, email, "Wrong#Pass1", **kwargs)  # type: ignore[arg-type]
