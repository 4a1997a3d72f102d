"""Administrator accounts created by an admin, and the shared helpers (one-time
passwords, email uniqueness, paging)."""

from __future__ import annotations

import string
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.models import AuditEvent, Role, User
from healthcareplus.core.paging import paging
from healthcareplus.core.validation import check_password_strength
from healthcareplus.domain.accounts import admins as aa
from healthcareplus.domain.accounts import auth, passwords
from healthcareplus.domain.accounts.passwords import verify_password
from tests.factories import create_doctor, create_patient, create_user, local

NOW = local(date(2030, 1, 7), "06:00")
TYPED = "Adm1n!Secure"


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN, name="Meera Iyer")


def new_admin(session: Session, admin: User, **overrides: Any) -> aa.CreatedAdmin:
    form = {"name": "Kiran Shetty", "email": "Kiran@Example.in", "phone": "98450 77777"}
    form.update(overrides)
    return aa.create_admin(session, **form, actor_id=admin.id, now=NOW)


def test_generated_passwords_meet_the_rules_and_differ() -> None:
    made = {aa.generate_password() for _ in range(200)}
    assert len(made) == 200
    for password in made:
        assert len(password) == aa.PASSWORD_LENGTH
        assert check_password_strength(password) == password
        assert not set(password) & set("0O1lI")
        assert set(password) <= set(string.ascii_letters + string.digits + "@#$%&*!?-+=")


def test_admin_with_a_generated_one_time_password(session: Session, admin: User) -> None:
    created = new_admin(session, admin)
    assert (created.admin.name, created.admin.email, created.admin.phone) == (
        "Kiran Shetty",
        "kiran@example.in",
        "+91 98450 77777",
    )
    secret = created.one_time_password
    assert secret is not None and check_password_strength(secret) == secret
    user = session.get(User, created.admin.id)
    assert user is not None and user.role == Role.ADMIN
    assert verify_password(secret, user.password_hash)
    assert all(secret not in str(value) for value in user.model_dump().values())
    # The new admin can sign in on the admin portal with it.
    signed_in = auth.authenticate(
        session, email="kiran@example.in", password=secret, client_key="k", roles=(Role.ADMIN,)
    )
    assert signed_in.id == user.id
    [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "admin_created")).all()
    assert (event.entity, event.entity_id, event.actor_user_id) == ("user", str(user.id), admin.id)
    assert event.detail == {"email": "kiran@example.in", "password": "generated"}
    assert secret not in str(event.detail)


def test_admin_with_a_typed_password(session: Session, admin: User) -> None:
    created = new_admin(session, admin, password=TYPED, confirm_password=TYPED)
    assert created.one_time_password is None
    user = session.get(User, created.admin.id)
    assert verify_password(TYPED, user.password_hash) and TYPED not in user.password_hash


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"password": "weak", "confirm_password": "weak"}, {"password"}),
        ({"password": TYPED, "confirm_password": TYPED + "x"}, {"confirm_password"}),
        ({"password": "", "confirm_password": TYPED}, {"password", "confirm_password"}),
        ({"name": "1", "email": "nope", "phone": "1"}, {"name", "email", "phone"}),
        ({"email": "meera.admin@EXAMPLE.in"}, {"email"}),
        ({"email": "patient@example.in"}, {"email"}),
        ({"email": "doc@example.in"}, {"email"}),
    ],
)
def test_bad_or_duplicate_details_are_refused(
    session: Session, admin: User, overrides: dict[str, str], fields: set[str]
) -> None:
    admin.email = "meera.admin@example.in"
    session.add(admin)
    session.commit()
    create_patient(session, email="patient@example.in")
    doctor = create_doctor(session)
    doctor.email = "DOC@example.in"  # a doctor profile without a login still owns its email
    session.add(doctor)
    session.commit()
    before = session.exec(select(User.id)).all()
    with pytest.raises(ValidationFailed) as caught:
        new_admin(session, admin, **overrides)
    assert set(caught.value.fields) == fields
    if "email" in fields and len(fields) == 1:
        assert caught.value.fields["email"] == aa.DUPLICATE_EMAIL
    session.rollback()
    assert session.exec(select(User.id)).all() == before


def test_admins_are_listed_by_name_and_paged(session: Session, admin: User) -> None:
    for n in range(21):
        create_user(session, role=Role.ADMIN, name=f"Zed {n:02d}", commit=False)
    create_user(session, role=Role.PATIENT, name="Not An Admin", commit=False)
    session.commit()
    first = aa.list_admins(session)
    assert (first.paging.total, first.paging.pages, first.items[0].name) == (22, 2, "Meera Iyer")
    second = aa.list_admins(session, page=2)
    assert [r.name for r in second.items] == ["Zed 19", "Zed 20"]
    assert all("password" not in field for field in aa.AdminRow.__dataclass_fields__)


@pytest.mark.parametrize(
    ("total", "page", "expected"),
    [
        (0, 1, (1, 1, False, False, 0, 0)),
        (45, 3, (3, 3, True, False, 41, 45)),
        (45, 99, (3, 3, True, False, 41, 45)),
        (45, -4, (1, 3, False, True, 1, 20)),
        (45, "2", (1, 3, False, True, 1, 20)),
        (45, True, (1, 3, False, True, 1, 20)),
    ],
)
def test_paging_clamps_any_page(total: int, page: Any, expected: tuple) -> None:
    p = paging(total, page)
    assert (p.page, p.pages, p.has_prev, p.has_next, p.first_item, p.last_item) == expected


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("080-2630 2630", True),
        ("+91 98450 12345", True),
        ("(080) 2345678", True),
        ("12345", False),
        ("080-CALL-NOW", False),
    ],
)
def test_contact_phone(value: str, ok: bool) -> None:
    if ok:
        assert aa.clean_contact_phone(value) == value
    else:
        with pytest.raises(ValueError):
            aa.clean_contact_phone(value)
