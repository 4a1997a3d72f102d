"""Fixtures for state tests: users with real sessions and fresh browser tabs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import reflex as rx
from sqlmodel import Session

from healthcareplus.core.db import get_engine
from healthcareplus.core.models import Role, User
from healthcareplus.domain.accounts import sessions
from healthcareplus.ui.shared.session import SessionState
from tests.ui.harness import PASSWORD_HASH, Client, Users, set_page


@pytest.fixture
def users(session: Session) -> Users:
    def make(role: str, name: str, email: str) -> User:
        user = User(
            role=role, name=name, email=email, phone="+91 98450 11111", password_hash=PASSWORD_HASH
        )
        session.add(user)
        return user

    made = Users(
        patient=make(Role.PATIENT, "Asha Rao", "asha@example.com"),
        other_patient=make(Role.PATIENT, "Bina Das", "bina@example.com"),
        doctor=make(Role.DOCTOR, "Dev Iyer", "dev@example.com"),
        admin=make(Role.ADMIN, "Ana Admin", "admin@example.com"),
    )
    made.other_patient.allergies = "Penicillin"
    made.other_patient.medical_history = "Asthma since 2010"
    session.commit()
    return made


@pytest.fixture
def fresh_session(db_url: str) -> Callable[[], Session]:
    """A new DB session, so reads see what the states committed (no identity-map cache)."""
    return lambda: Session(get_engine(db_url), expire_on_commit=False)


@pytest.fixture
def make_client(session: Session) -> Callable[..., Client]:
    """``make_client(user=None, url="/", token=None)``: a fresh tab, signed in as ``user``."""

    def make(user: User | None = None, url: str = "/", token: str | None = None) -> Client:
        root = rx.State()
        set_page(root, url)
        if token is None:
            token = (
                sessions.create_session(session, user_id=user.id, role=user.role) if user else ""
            )
            session.commit()  # the test is the unit of work: the domain only flushes
        root.get_substate(SessionState._get_substate_path()).token = token
        return Client(root=root, token=token)

    return make
