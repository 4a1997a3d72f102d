"""Front-desk accounts managed by administrators: created tied to hospitals with a
one-time password, listed and sorted, their hospitals changed, deactivated (signed out
everywhere) and reactivated; and nobody but an active admin may do any of it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.errors import (
    AuthenticationFailed,
    Conflict,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from healthcareplus.core.models import AuditEvent, Hospital, Role, StaffHospital, User, UserSession
from healthcareplus.core.validation import check_password_strength
from healthcareplus.domain.accounts import admins as aa
from healthcareplus.domain.accounts import auth, passwords
from healthcareplus.domain.accounts import front_desk_staff as fd
from healthcareplus.domain.accounts.passwords import verify_password
from healthcareplus.domain.accounts.sessions import create_session, resolve_session
from tests.factories import create_city, create_doctor, create_hospital, create_user, local

NOW = local(date(2030, 1, 7), "06:00")
DESK_PORTAL = (Role.FRONT_DESK,)


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN, name="Meera Iyer")


@pytest.fixture
def hospitals(session: Session) -> dict[str, Hospital]:
    bangalore = create_city(session, name="Bangalore")
    mysore = create_city(session, name="Mysore")
    return {
        "sunrise": create_hospital(session, city=bangalore, name="Sunrise Hospital"),
        "apollo": create_hospital(session, city=bangalore, name="Apollo Clinic"),
        "palace": create_hospital(session, city=mysore, name="Palace Care"),
    }


def new_desk(
    session: Session, admin: User, hospital_ids: Any, **overrides: Any
) -> fd.CreatedFrontDesk:
    form = {"name": "Lata Shetty", "email": "Lata@Example.in", "phone": "98450 66666"}
    form.update(overrides)
    made = fd.create_front_desk_user(
        session, **form, hospital_ids=hospital_ids, actor_id=admin.id, now=NOW
    )
    session.commit()
    return made


def staff_ids(session: Session, user_id: int) -> set[int]:
    rows = session.exec(select(StaffHospital.hospital_id).where(StaffHospital.user_id == user_id))
    return set(rows.all())


def audit_rows(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


# --- create ----------------------------------------------------------------------------------


def test_a_front_desk_user_with_a_one_time_password(
    session: Session, admin: User, hospitals: dict[str, Hospital]
) -> None:
    ids = [hospitals["sunrise"].id, hospitals["palace"].id, hospitals["sunrise"].id]
    made = new_desk(session, admin, ids)

    row, secret = made.user, made.one_time_password
    assert (row.name, row.email, row.phone, row.is_active) == (
        "Lata Shetty",
        "lata@example.in",
        "+91 98450 66666",
        True,
    )
    assert row.hospitals == "Sunrise Hospital (Bangalore), Palace Care (Mysore)"
    assert row.hospital_ids == (hospitals["sunrise"].id, hospitals["palace"].id)
    assert check_password_strength(secret) == secret
    user = session.get(User, row.id)
    assert user is not None
    assert (user.role, user.must_change_password, user.created_at) == (Role.FRONT_DESK, True, NOW)
    assert verify_password(secret, user.password_hash)
    assert all(secret not in str(value) for value in user.model_dump().values())
    assert staff_ids(session, user.id) == {hospitals["sunrise"].id, hospitals["palace"].id}
    # The one-time password passes the real sign-in check (then must be replaced).
    signed_in = auth.authenticate(
        session, email="LATA@example.in", password=secret, client_key="k", roles=DESK_PORTAL
    )
    assert signed_in.id == user.id and signed_in.must_change_password
    with pytest.raises(AuthenticationFailed):
        auth.authenticate(
            session,
            email="lata@example.in",
            password=secret + "x",
            client_key="k2",
            roles=DESK_PORTAL,
        )
    [event] = audit_rows(session, "front_desk_created")
    assert (event.entity, event.entity_id, event.actor_user_id) == ("user", str(user.id), admin.id)
    assert event.detail == {
        "email": "lata@example.in",
        "hospital_ids": sorted([hospitals["sunrise"].id, hospitals["palace"].id]),
        "password": "generated",
    }
    assert secret not in str(event.detail)


def test_two_accounts_never_share_a_password(
    session: Session, admin: User, hospitals: dict[str, Hospital]
) -> None:
    first = new_desk(session, admin, [hospitals["apollo"].id])
    second = new_desk(session, admin, [hospitals["apollo"].id], email="ravi@example.in")
    assert first.one_time_password != second.one_time_password


@pytest.mark.parametrize(
    ("hospital_ids", "message"),
    [
        ([], fd.CHOOSE_HOSPITAL),
        (None, fd.CHOOSE_HOSPITAL),
        ("1", fd.CHOOSE_HOSPITAL),
        ({"id": 1}, fd.CHOOSE_HOSPITAL),
        ([10**6], fd.UNKNOWN_HOSPITAL),
        (["sunrise"], fd.UNKNOWN_HOSPITAL),  # its id as text: only ints are ids
        (["sunrise", 10**6], fd.UNKNOWN_HOSPITAL),
        ([True], fd.UNKNOWN_HOSPITAL),
        ([0], fd.UNKNOWN_HOSPITAL),
        ([-1], fd.UNKNOWN_HOSPITAL),
        ([2**40], fd.UNKNOWN_HOSPITAL),
        ([1.0], fd.UNKNOWN_HOSPITAL),
        (list(range(1, 200)), fd.UNKNOWN_HOSPITAL),
    ],
)
def test_bad_hospital_choices_are_refused(
    session: Session,
    admin: User,
    hospitals: dict[str, Hospital],
    hospital_ids: Any,
    message: str,
) -> None:
    if isinstance(hospital_ids, list):
        hospital_ids = [
            str(hospitals["sunrise"].id) if item == "sunrise" else item for item in hospital_ids
        ]
    before = session.exec(select(User.id)).all()
    with pytest.raises(ValidationFailed) as caught:
        new_desk(session, admin, hospital_ids)
    assert caught.value.fields == {"hospital_ids": message}
    session.rollback()
    assert session.exec(select(User.id)).all() == before
    assert session.exec(select(StaffHospital)).all() == []


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"name": "1", "email": "nope", "phone": "1"}, {"name", "email", "phone"}),
        ({"email": "meera.admin@EXAMPLE.in"}, {"email"}),  # an admin's
        ({"email": "patient@example.in"}, {"email"}),
        ({"email": "doc@example.in"}, {"email"}),  # a doctor profile's (no login)
        ({"email": "lata@example.in"}, {"email"}),  # another front-desk user's
    ],
)
def test_bad_or_duplicate_details_are_refused(
    session: Session,
    admin: User,
    hospitals: dict[str, Hospital],
    overrides: dict[str, str],
    fields: set[str],
) -> None:
    admin.email = "meera.admin@example.in"
    session.add(admin)
    patient = create_user(session, role=Role.PATIENT)
    patient.email = "patient@example.in"
    session.add(patient)
    doctor = create_doctor(session, hospital=hospitals["sunrise"])
    doctor.email = "DOC@example.in"
    session.add(doctor)
    session.commit()
    new_desk(session, admin, [hospitals["sunrise"].id])  # lata@example.in
    before = session.exec(select(User.id)).all()
    with pytest.raises(ValidationFailed) as caught:
        new_desk(session, admin, [hospitals["apollo"].id], **overrides)
    assert set(caught.value.fields) == fields
    if fields == {"email"}:
        assert caught.value.fields["email"] == aa.DUPLICATE_EMAIL
    session.rollback()
    assert session.exec(select(User.id)).all() == before


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR, Role.FRONT_DESK, None, "inactive"])
def test_only_an_active_admin_creates_front_desk_users(
    session: Session, admin: User, hospitals: dict[str, Hospital], role: str | None
) -> None:
    if role == "inactive":
        actor_id: Any = create_user(session, role=Role.ADMIN).id
        inactive = session.get(User, actor_id)
        inactive.is_active = False
        session.add(inactive)
        session.commit()
    elif role is None:
        actor_id = 10**6
    else:
        actor_id = create_user(session, role=role).id
    before = session.exec(select(User.id)).all()
    with pytest.raises(Forbidden):
        fd.create_front_desk_user(
            session,
            actor_id=actor_id,
            name="Lata Shetty",
            email="lata@example.in",
            phone="98450 66666",
            hospital_ids=[hospitals["sunrise"].id],
            now=NOW,
        )
    session.rollback()
    assert session.exec(select(User.id)).all() == before
    assert audit_rows(session, "front_desk_created") == []


# --- list --------------------------------------------------------------------------------------


def test_the_list_holds_only_front_desk_users_sorted_by_each_column(
    session: Session, admin: User, hospitals: dict[str, Hospital]
) -> None:
    made = {}
    for n, (name, email, phone, where) in enumerate(
        [
            ("bina Das", "zed@example.in", "98450 00003", "apollo"),
            ("Asha Rao", "mid@example.in", "98450 00001", "palace"),
            ("Chitra Iyer", "abe@example.in", "98450 00002", "sunrise"),
        ]
    ):
        at = NOW + timedelta(days=n)
        row = fd.create_front_desk_user(
            session,
            name=name,
            email=email,
            phone=phone,
            hospital_ids=[hospitals[where].id],
            actor_id=admin.id,
            now=at,
        ).user
        made[name.split()[0].lower()] = row.id
    asha = session.get(User, made["asha"])
    asha.is_active = False
    session.add(asha)
    session.commit()
    names = {v: k for k, v in made.items()}

    def order(sort: Any) -> list[str]:
        return [names[r.id] for r in fd.list_front_desk_users(session, sort=sort).items]

    assert order("name") == ["asha", "bina", "chitra"]  # not case-sensitive
    assert order("-name") == ["chitra", "bina", "asha"]
    assert order("email") == ["chitra", "asha", "bina"]
    assert order("phone") == ["asha", "chitra", "bina"]
    assert order("hospitals") == ["bina", "asha", "chitra"]  # Apollo, Palace, Sunrise
    assert order("-since") == ["chitra", "asha", "bina"]
    assert order("status") == ["asha", "bina", "chitra"]  # inactive (false) first
    for crafted in ("", "password_hash", "-", "--name", None, 3, ["name"]):
        assert order(crafted) == ["asha", "bina", "chitra"]
    page = fd.list_front_desk_users(session, page_size=2, page=2)
    assert (page.paging.total, page.paging.pages, [names[r.id] for r in page.items]) == (
        3,
        2,
        ["chitra"],
    )
    assert admin.id not in {r.id for r in fd.list_front_desk_users(session).items}
    assert all("password" not in f for f in fd.FrontDeskRow.__dataclass_fields__)


def test_every_sort_key_is_a_column_the_page_shows() -> None:
    from healthcareplus.ui.admin import staff_page

    assert set(fd.SORTS) == {key for key in staff_page.SORTS if key}


def test_hospital_options_by_city_then_name(
    session: Session, hospitals: dict[str, Hospital]
) -> None:
    assert [(o.name, o.city) for o in fd.hospital_options(session)] == [
        ("Apollo Clinic", "Bangalore"),
        ("Sunrise Hospital", "Bangalore"),
        ("Palace Care", "Mysore"),
    ]


# --- hospitals ---------------------------------------------------------------------------------


def test_changing_the_hospitals(
    session: Session, admin: User, hospitals: dict[str, Hospital]
) -> None:
    user_id = new_desk(session, admin, [hospitals["sunrise"].id]).user.id
    row = fd.set_front_desk_hospitals(
        session,
        user_id=user_id,
        hospital_ids=[hospitals["palace"].id, hospitals["apollo"].id],
        actor_id=admin.id,
        now=NOW,
    )
    session.commit()
    assert row.hospitals == "Apollo Clinic (Bangalore), Palace Care (Mysore)"
    assert staff_ids(session, user_id) == {hospitals["palace"].id, hospitals["apollo"].id}
    [event] = audit_rows(session, "front_desk_hospitals_changed")
    assert (event.entity_id, event.actor_user_id) == (str(user_id), admin.id)
    assert event.detail == {
        "added": sorted([hospitals["palace"].id, hospitals["apollo"].id]),
        "removed": [hospitals["sunrise"].id],
    }
    # The same hospitals again change nothing and are not audited.
    fd.set_front_desk_hospitals(
        session,
        user_id=user_id,
        hospital_ids=[hospitals["apollo"].id, hospitals["palace"].id],
        actor_id=admin.id,
        now=NOW,
    )
    session.commit()
    assert len(audit_rows(session, "front_desk_hospitals_changed")) == 1


@pytest.mark.parametrize(
    ("target", "hospital_ids", "error"),
    [
        ("desk", [], ValidationFailed),
        ("desk", [10**6], ValidationFailed),
        ("desk", "1", ValidationFailed),
        ("admin", "palace", NotFound),
        ("patient", "palace", NotFound),
        ("missing", "palace", NotFound),
        ("text", "palace", NotFound),
        (None, "palace", NotFound),
    ],
)
def test_bad_hospital_changes_are_refused(
    session: Session,
    admin: User,
    hospitals: dict[str, Hospital],
    target: Any,
    hospital_ids: Any,
    error: type,
) -> None:
    desk_id = new_desk(session, admin, [hospitals["sunrise"].id]).user.id
    patient = create_user(session, role=Role.PATIENT)
    user_id = {
        "desk": desk_id,
        "admin": admin.id,
        "patient": patient.id,
        "missing": 10**6,
        "text": str(desk_id),
    }.get(target, target)
    ids = [hospitals["palace"].id] if hospital_ids == "palace" else hospital_ids
    with pytest.raises(error):
        fd.set_front_desk_hospitals(
            session, user_id=user_id, hospital_ids=ids, actor_id=admin.id, now=NOW
        )
    session.rollback()
    assert staff_ids(session, desk_id) == {hospitals["sunrise"].id}
    assert staff_ids(session, admin.id) == set()
    assert audit_rows(session, "front_desk_hospitals_changed") == []


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR, Role.FRONT_DESK])
def test_only_admins_change_hospitals(
    session: Session, admin: User, hospitals: dict[str, Hospital], role: str
) -> None:
    desk_id = new_desk(session, admin, [hospitals["sunrise"].id]).user.id
    outsider = create_user(session, role=role)
    for actor_id in (outsider.id, desk_id):  # a front-desk user cannot widen their own reach
        with pytest.raises(Forbidden):
            fd.set_front_desk_hospitals(
                session,
                user_id=desk_id,
                hospital_ids=[h.id for h in hospitals.values()],
                actor_id=actor_id,
                now=NOW,
            )
    assert staff_ids(session, desk_id) == {hospitals["sunrise"].id}


# --- deactivate / reactivate -------------------------------------------------------------------


def open_sessions(session: Session, user_id: int, count: int = 2) -> list[str]:
    tokens = [
        create_session(session, user_id=user_id, role=Role.FRONT_DESK, now=NOW)
        for _ in range(count)
    ]
    session.commit()
    return tokens


def signed_in(session: Session, tokens: list[str]) -> list[bool]:
    return [resolve_session(session, token=t, now=NOW) is not None for t in tokens]


def test_deactivating_signs_them_out_everywhere_and_refuses_sign_in(
    session: Session, admin: User, hospitals: dict[str, Hospital]
) -> None:
    made = new_desk(session, admin, [hospitals["sunrise"].id])
    user_id, secret = made.user.id, made.one_time_password
    theirs = open_sessions(session, user_id)
    mine = [create_session(session, user_id=admin.id, role=Role.ADMIN, now=NOW)]
    session.commit()
    assert signed_in(session, theirs) == [True, True]

    row = fd.set_front_desk_active(
        session, user_id=user_id, active=False, reason=" Left ", actor_id=admin.id, now=NOW
    )
    session.commit()

    assert (row.id, row.is_active) == (user_id, False)
    assert signed_in(session, theirs) == [False, False]
    assert signed_in(session, mine) == [True]
    reasons = session.exec(
        select(UserSession.revoked_reason).where(col(UserSession.user_id) == user_id)
    ).all()
    assert reasons == ["front_desk_deactivated", "front_desk_deactivated"]
    with pytest.raises(AuthenticationFailed, match="deactivated"):
        auth.authenticate(
            session, email="lata@example.in", password=secret, client_key="k", roles=DESK_PORTAL
        )
    [event] = audit_rows(session, "front_desk_deactivated")
    assert (event.entity, event.entity_id, event.actor_user_id, event.reason) == (
        "user",
        str(user_id),
        admin.id,
        "Left",
    )
    assert event.detail == {"sessions_ended": 2}
    with pytest.raises(Conflict, match="already inactive"):
        fd.set_front_desk_active(session, user_id=user_id, active=False, actor_id=admin.id, now=NOW)
    session.rollback()

    back = fd.set_front_desk_active(
        session, user_id=user_id, active=True, actor_id=admin.id, now=NOW
    )
    session.commit()
    assert back.is_active is True
    assert signed_in(session, theirs) == [False, False]  # ended sessions stay ended
    signed = auth.authenticate(
        session, email="lata@example.in", password=secret, client_key="k", roles=DESK_PORTAL
    )
    assert signed.id == user_id
    assert staff_ids(session, user_id) == {hospitals["sunrise"].id}  # hospitals kept
    [again] = audit_rows(session, "front_desk_reactivated")
    assert (again.entity_id, again.detail) == (str(user_id), {})


@pytest.mark.parametrize(
    ("target", "active", "reason", "error"),
    [
        ("text", False, "", NotFound),
        (None, False, "", NotFound),
        (10**6, False, "", NotFound),
        ("admin", False, "", NotFound),  # admins are managed on their own page
        ("patient", False, "", NotFound),
        ("desk", "false", "", ValidationFailed),
        ("desk", 0, "", ValidationFailed),
        ("desk", False, "x" * 501, ValidationFailed),
        ("desk", True, "", Conflict),  # already active
    ],
)
def test_set_front_desk_active_refuses_crafted_values(
    session: Session,
    admin: User,
    hospitals: dict[str, Hospital],
    target: Any,
    active: Any,
    reason: Any,
    error: type,
) -> None:
    desk_id = new_desk(session, admin, [hospitals["sunrise"].id]).user.id
    other_admin = create_user(session, role=Role.ADMIN)
    patient = create_user(session, role=Role.PATIENT)
    tokens = open_sessions(session, desk_id, 1)
    user_id = {
        "desk": desk_id,
        "admin": other_admin.id,
        "patient": patient.id,
        "text": str(desk_id),
    }.get(target, target)
    with pytest.raises(error):
        fd.set_front_desk_active(
            session, user_id=user_id, active=active, reason=reason, actor_id=admin.id, now=NOW
        )
    session.rollback()
    assert all(u.is_active for u in session.exec(select(User)).all())
    assert signed_in(session, tokens) == [True]


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR, Role.FRONT_DESK])
def test_only_admins_deactivate_front_desk_users(
    session: Session, admin: User, hospitals: dict[str, Hospital], role: str
) -> None:
    desk_id = new_desk(session, admin, [hospitals["sunrise"].id]).user.id
    outsider = create_user(session, role=role)
    with pytest.raises(Forbidden):
        fd.set_front_desk_active(
            session, user_id=desk_id, active=False, actor_id=outsider.id, now=NOW
        )
    session.rollback()
    assert session.get(User, desk_id).is_active is True


# --- admins: a front-desk user never manages administrators ------------------------------------


def test_front_desk_users_neither_manage_admins_nor_are_managed_as_admins(
    session: Session, admin: User, hospitals: dict[str, Hospital]
) -> None:
    desk_id = new_desk(session, admin, [hospitals["sunrise"].id]).user.id
    with pytest.raises(Forbidden):
        aa.set_admin_active(session, admin_id=admin.id, active=False, actor_id=desk_id, now=NOW)
    with pytest.raises(Forbidden):
        aa.create_admin(
            session,
            name="Kiran Rao",
            email="kiran@example.in",
            phone="98450 77777",
            actor_id=desk_id,
            now=NOW,
        )
    with pytest.raises(NotFound):  # not an administrator: the admins' page cannot touch them
        aa.set_admin_active(session, admin_id=desk_id, active=False, actor_id=admin.id, now=NOW)
    session.rollback()
    assert session.get(User, desk_id).is_active and session.get(User, admin.id).is_active
    assert desk_id not in {r.id for r in aa.list_admins(session).items}
