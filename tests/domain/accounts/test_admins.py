"""Administrator accounts created by an admin, deactivated and reactivated, and the shared
helpers (one-time passwords, email uniqueness, paging)."""

from __future__ import annotations

import string
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core.audit import Actor
from healthcareplus.core.errors import (
    AuthenticationFailed,
    Conflict,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from healthcareplus.core.models import AuditEvent, Role, User
from healthcareplus.core.paging import paging
from healthcareplus.core.validation import check_password_strength
from healthcareplus.domain.accounts import admins as aa
from healthcareplus.domain.accounts import auth, passwords
from healthcareplus.domain.accounts.passwords import verify_password
from healthcareplus.domain.accounts.sessions import create_session, resolve_session
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


# --- deactivate / reactivate ------------------------------------------------------------------


def sessions_of(session: Session, user: User, count: int = 2) -> list[str]:
    tokens = [
        create_session(session, user_id=user.id, role=user.role, now=NOW) for _ in range(count)
    ]
    session.commit()
    return tokens


def signed_in(session: Session, tokens: list[str]) -> list[bool]:
    return [resolve_session(session, token=t, now=NOW) is not None for t in tokens]


def test_deactivating_an_admin_signs_them_out_everywhere_and_refuses_sign_in(
    session: Session, admin: User
) -> None:
    kiran = session.get(
        User, new_admin(session, admin, password=TYPED, confirm_password=TYPED).admin.id
    )
    theirs, mine = sessions_of(session, kiran), sessions_of(session, admin, 1)

    row = aa.set_admin_active(
        session,
        admin_id=kiran.id,
        active=False,
        reason=" Left the clinic ",
        actor_id=admin.id,
        now=NOW,
    )
    session.commit()

    assert (row.id, row.is_active) == (kiran.id, False)
    assert signed_in(session, theirs) == [False, False]
    assert signed_in(session, mine) == [True]
    with pytest.raises(AuthenticationFailed, match="deactivated"):
        auth.authenticate(
            session, email=kiran.email, password=TYPED, client_key="k", roles=(Role.ADMIN,), now=NOW
        )
    with pytest.raises(Forbidden):  # and can change nothing with a session opened meanwhile
        aa.set_admin_active(session, admin_id=admin.id, active=False, actor_id=kiran.id, now=NOW)
    [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "admin_deactivated")).all()
    assert (event.entity, event.entity_id, event.actor_user_id, event.reason) == (
        "user",
        str(kiran.id),
        admin.id,
        "Left the clinic",
    )
    assert event.detail == {"sessions_ended": 2}
    listed = {r.id: r.is_active for r in aa.list_admins(session).items}
    assert listed == {admin.id: True, kiran.id: False}

    back = aa.set_admin_active(session, admin_id=kiran.id, active=True, actor_id=admin.id, now=NOW)
    session.commit()
    assert back.is_active is True
    assert signed_in(session, theirs) == [False, False]  # ended sessions stay ended
    signed = auth.authenticate(
        session, email=kiran.email, password=TYPED, client_key="k", roles=(Role.ADMIN,), now=NOW
    )
    assert signed.id == kiran.id
    assert (
        len(session.exec(select(AuditEvent).where(AuditEvent.action == "admin_reactivated")).all())
        == 1
    )


def test_an_admin_cannot_deactivate_themselves(session: Session, admin: User) -> None:
    create_user(session, role=Role.ADMIN)  # another active admin exists
    mine = sessions_of(session, admin)
    with pytest.raises(Forbidden, match="your own account"):
        aa.set_admin_active(session, admin_id=admin.id, active=False, actor_id=admin.id, now=NOW)
    session.rollback()
    assert session.get(User, admin.id).is_active is True
    assert signed_in(session, mine) == [True, True]


def test_the_last_active_admin_is_never_deactivated(
    session: Session, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two admins deactivating each other at the same moment: each passed the check that
    it is active before the other's change committed. The second change is refused by the
    UPDATE itself, so one active admin remains."""
    other = create_user(session, role=Role.ADMIN, name="Ravi Das")
    aa.set_admin_active(session, admin_id=other.id, active=False, actor_id=admin.id, now=NOW)
    session.commit()
    stale = Actor(other.id, Role.ADMIN, NOW)  # what other's own check saw a moment before
    monkeypatch.setattr(aa, "acting_admin", lambda *args, **kwargs: stale)

    with pytest.raises(Conflict, match="no active administrator"):
        aa.set_admin_active(session, admin_id=admin.id, active=False, actor_id=other.id, now=NOW)
    session.rollback()
    session.expire_all()
    assert session.get(User, admin.id).is_active is True


@pytest.mark.parametrize(
    ("admin_id", "active", "reason", "error"),
    [
        ("1", False, "", NotFound),
        (None, False, "", NotFound),
        (10**6, False, "", NotFound),
        ("patient", False, "", NotFound),
        ("other", "false", "", ValidationFailed),
        ("other", 0, "", ValidationFailed),
        ("other", False, "x" * 501, ValidationFailed),
        ("other", True, "", Conflict),  # already active
    ],
)
def test_set_admin_active_refuses_crafted_values(
    session: Session, admin: User, admin_id: Any, active: Any, reason: Any, error: type
) -> None:
    other = create_user(session, role=Role.ADMIN)
    patient = create_patient(session)
    target = {"other": other.id, "patient": patient.id}.get(admin_id, admin_id)
    with pytest.raises(error):
        aa.set_admin_active(
            session, admin_id=target, active=active, reason=reason, actor_id=admin.id, now=NOW
        )
    session.rollback()
    assert session.get(User, other.id).is_active is True
    assert session.get(User, patient.id).is_active is True


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR])
def test_only_admins_deactivate_admins(session: Session, admin: User, role: str) -> None:
    outsider = create_user(session, role=role)
    with pytest.raises(Forbidden):
        aa.set_admin_active(session, admin_id=admin.id, active=False, actor_id=outsider.id, now=NOW)
    assert session.get(User, admin.id).is_active is True
