from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import bcrypt
import pytest
from sqlmodel import Session, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import Forbidden, NotFound, ValidationFailed
from healthcareplus.core.models import Role, User
from healthcareplus.domain.accounts.profiles import (
    DUPLICATE_EMAIL,
    Profile,
    get_profile,
    register_admin,
    register_patient,
    update_profile,
)

PASSWORD = "Str0ng!pass"
# 20:00 UTC on 4 March is already 01:30 on 5 March in the clinic (Asia/Kolkata).
NOW = datetime(2030, 3, 4, 20, 0, tzinfo=UTC)
FAKE_HASH = "$2b$12$" + "x" * 53


def form(**overrides: str) -> dict[str, str]:
    fields = {
        "name": "Asha Rao",
        "email": "asha@example.com",
        "phone": "98450 12345",
        "password": PASSWORD,
        "confirm_password": PASSWORD,
    }
    fields.update(overrides)
    return fields


def add_user(session: Session, email: str = "existing@example.com", **extra: object) -> User:
    user = User(
        role=Role.PATIENT,
        name="Existing User",
        email=email,
        phone="+91 90000 00000",
        password_hash=FAKE_HASH,
        **extra,
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def user_count(session: Session) -> int:
    return len(session.exec(select(User.id)).all())


def rejected(
    session: Session, register: Callable[..., User] = register_patient, **fields: str
) -> dict[str, str]:
    """Register with bad ``fields``; return the field messages and check nothing was saved."""
    before = user_count(session)
    with pytest.raises(ValidationFailed) as error:
        register(session, **fields)
    assert user_count(session) == before
    return error.value.fields


# --- register_patient ----------------------------------------------------------------------


def test_register_patient_stores_a_clean_account(session: Session) -> None:
    user = register_patient(
        session, **form(name="  Asha   Rao ", email=" Asha.Rao@Example.COM ", phone="98450-12345")
    )
    stored = session.get(User, user.id)
    assert stored is not None
    assert stored.role == Role.PATIENT
    assert stored.name == "Asha Rao"
    assert stored.email == "asha.rao@example.com"
    assert stored.phone == "+91 98450 12345"
    assert stored.is_active is True
    assert stored.password_hash.startswith("$2b$12$")
    assert PASSWORD not in stored.password_hash
    assert bcrypt.checkpw(PASSWORD.encode(), stored.password_hash.encode())
    assert not bcrypt.checkpw(b"Str0ng!pasS", stored.password_hash.encode())


def test_duplicate_email_is_refused_case_insensitively(session: Session) -> None:
    add_user(session, email="asha@example.com")
    fields = rejected(session, **form(email="  ASHA@Example.com"))
    assert fields == {"email": DUPLICATE_EMAIL}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "A", "Enter your full name"),
        ("name", "Asha 2", "letters, spaces"),
        ("name", "<script>alert(1)</script>", "letters, spaces"),
        ("email", "asha@example", "valid email"),
        ("email", "", "Enter your email"),
        ("phone", "12345", "10-digit Indian mobile"),
        ("phone", "", "Enter your mobile number"),
    ],
)
def test_each_field_rule_gives_a_field_message(
    session: Session, field: str, value: str, message: str
) -> None:
    fields = rejected(session, **form(**{field: value}))
    assert list(fields) == [field]
    assert message in fields[field]


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("short1!", ["at least 8 characters", "an uppercase letter"]),
        ("alllowercase", ["an uppercase letter", "a digit", "a symbol"]),
        ("NoDigits!!", ["a digit"]),
    ],
)
def test_weak_password_lists_what_is_missing(
    session: Session, password: str, missing: list[str]
) -> None:
    fields = rejected(session, **form(password=password, confirm_password=password))
    assert list(fields) == ["password"]
    assert fields["password"].startswith("Password needs")
    for item in missing:
        assert item in fields["password"]


def test_password_over_72_bytes_gets_a_clear_message(session: Session) -> None:
    long = "Aa1!" + "é" * 35  # 39 characters but 74 bytes
    fields = rejected(session, **form(password=long, confirm_password=long))
    assert list(fields) == ["password"]
    assert "72" in fields["password"]


def test_confirmation_must_match(session: Session) -> None:
    fields = rejected(session, **form(confirm_password=PASSWORD + "x"))
    assert fields == {"confirm_password": "Passwords do not match"}


def test_several_bad_fields_are_reported_together(session: Session) -> None:
    fields = rejected(
        session,
        name="<b>x</b>",
        email="not-an-email",
        phone="000",
        password="weak",
        confirm_password="different",
    )
    assert set(fields) == {"name", "email", "phone", "password", "confirm_password"}


# --- register_admin ------------------------------------------------------------------------


def test_register_admin_with_this_installations_code(session: Session) -> None:
    code = get_settings().admin_code
    assert get_settings().env == "test" and code.startswith("HCP-") and len(code) == 23
    user = register_admin(session, **form(), admin_code=f"  {code} ")
    stored = session.get(User, user.id)
    assert stored is not None and stored.role == Role.ADMIN
    assert stored.password_hash.startswith("$2b$12$")


@pytest.mark.parametrize("code", ["", "   ", "wrong-code", "HCP-ADMIN-DEV", "lower"])
def test_register_admin_with_a_wrong_code_creates_nobody(session: Session, code: str) -> None:
    if code == "lower":
        code = get_settings().admin_code.lower()
    fields = rejected(session, register=register_admin, **form(), admin_code=code)
    assert fields == {"admin_code": "The admin code is not correct"}


def test_wrong_admin_code_is_reported_with_other_field_errors(session: Session) -> None:
    fields = rejected(
        session, register=register_admin, **form(phone="123"), admin_code="wrong-code"
    )
    assert set(fields) == {"phone", "admin_code"}


def test_register_admin_uses_the_configured_code(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HCP_ADMIN_CODE", "Clinic-Secret-2030")
    get_settings.cache_clear()
    fields = rejected(session, register=register_admin, **form(), admin_code="HCP-ADMIN-DEV")
    assert set(fields) == {"admin_code"}
    user = register_admin(session, **form(), admin_code="Clinic-Secret-2030")
    assert user.role == Role.ADMIN


def test_an_unset_code_is_this_installations_own_not_empty(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HCP_ADMIN_CODE", "")
    get_settings.cache_clear()
    assert len(get_settings().admin_code) == 23
    fields = rejected(session, register=register_admin, **form(), admin_code="")
    assert set(fields) == {"admin_code"}


def test_register_admin_refuses_duplicate_email(session: Session) -> None:
    add_user(session, email="asha@example.com")
    fields = rejected(
        session,
        register=register_admin,
        **form(email="Asha@example.com"),
        admin_code=get_settings().admin_code,
    )
    assert fields == {"email": DUPLICATE_EMAIL}


# --- profile -------------------------------------------------------------------------------


def profile_form(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "name": "Asha Rao",
        "phone": "+91 98450 12345",
        "date_of_birth": "1990-05-12",
        "gender": "Female",
        "blood_group": "O+",
        "allergies": "Penicillin",
        "medical_history": "Asthma since childhood",
    }
    fields.update(overrides)
    return fields


def test_get_profile(session: Session) -> None:
    user = add_user(session, date_of_birth=date(1990, 5, 12), blood_group="B+")
    assert get_profile(session, user_id=user.id) == Profile(
        id=user.id,
        name="Existing User",
        email="existing@example.com",
        phone="+91 90000 00000",
        date_of_birth="1990-05-12",
        gender="",
        blood_group="B+",
        allergies="",
        medical_history="",
        address="",
        emergency_contact_name="",
        emergency_contact_phone="",
    )


def test_get_profile_of_unknown_user(session: Session) -> None:
    with pytest.raises(NotFound):
        get_profile(session, user_id=999_999)


def test_update_profile_of_unknown_user(session: Session) -> None:
    with pytest.raises(Forbidden):
        update_profile(session, user_id=999_999, **profile_form(), now=NOW)


def test_update_profile_changes_only_that_user(session: Session) -> None:
    user = add_user(session, email="asha@example.com")
    other = add_user(session, email="other@example.com")
    profile = update_profile(
        session,
        user_id=user.id,
        **profile_form(name=" Asha  Rao ", phone="9845012345", allergies="  Penicillin "),
        now=NOW,
    )
    assert profile == Profile(
        id=user.id,
        name="Asha Rao",
        email="asha@example.com",
        phone="+91 98450 12345",
        date_of_birth="1990-05-12",
        gender="Female",
        blood_group="O+",
        allergies="Penicillin",
        medical_history="Asthma since childhood",
        address="",
        emergency_contact_name="",
        emergency_contact_phone="",
    )
    session.expire_all()
    stored = session.get(User, user.id)
    assert stored.date_of_birth == date(1990, 5, 12)
    assert stored.updated_at == NOW
    untouched = session.get(User, other.id)
    assert (untouched.name, untouched.phone, untouched.date_of_birth, untouched.gender) == (
        "Existing User",
        "+91 90000 00000",
        None,
        None,
    )
    assert untouched.updated_at is None


def test_update_profile_clears_optional_fields(session: Session) -> None:
    user = add_user(session, date_of_birth=date(1990, 5, 12), gender="Male", blood_group="A+")
    profile = update_profile(
        session,
        user_id=user.id,
        **profile_form(
            date_of_birth="", gender="", blood_group="", allergies="", medical_history=""
        ),
        now=NOW,
    )
    assert (profile.date_of_birth, profile.gender, profile.blood_group) == ("", "", "")
    stored = session.get(User, user.id)
    assert (stored.date_of_birth, stored.gender, stored.blood_group) == (None, None, None)


def test_date_of_birth_uses_the_clinic_date(session: Session) -> None:
    user = add_user(session)
    # NOW is still 4 March in UTC but already 5 March in the clinic.
    profile = update_profile(
        session, user_id=user.id, **profile_form(date_of_birth="2030-03-05"), now=NOW
    )
    assert profile.date_of_birth == "2030-03-05"
    with pytest.raises(ValidationFailed) as error:
        update_profile(
            session, user_id=user.id, **profile_form(date_of_birth="2030-03-06"), now=NOW
        )
    assert error.value.fields == {"date_of_birth": "Date of birth cannot be in the future"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2031-01-01", "cannot be in the future"),
        ("date_of_birth", "12/05/1990", "YYYY-MM-DD"),
        ("date_of_birth", "1990-13-01", "YYYY-MM-DD"),
        ("gender", "Alien", "Choose a valid gender"),
        ("blood_group", "C+", "Choose a valid blood group"),
        ("allergies", "x" * 1001, "Allergies must be at most 1000 characters"),
        ("medical_history", "x" * 4001, "Medical history must be at most 4000 characters"),
        ("name", "<script>alert(1)</script>", "letters, spaces"),
        ("phone", "12345", "10-digit Indian mobile"),
        ("phone", "", "Enter your mobile number"),
    ],
)
def test_update_profile_validates_and_saves_nothing(
    session: Session, field: str, value: str, message: str
) -> None:
    user = add_user(session)
    with pytest.raises(ValidationFailed) as error:
        update_profile(session, user_id=user.id, **profile_form(**{field: value}), now=NOW)
    assert list(error.value.fields) == [field]
    assert message in error.value.fields[field]
    session.expire_all()
    stored = session.get(User, user.id)
    assert (stored.name, stored.gender, stored.allergies, stored.updated_at) == (
        "Existing User",
        None,
        "",
        None,
    )


def test_update_profile_accepts_text_at_the_limits(session: Session) -> None:
    user = add_user(session)
    profile = update_profile(
        session,
        user_id=user.id,
        **profile_form(allergies="a" * 1000, medical_history="m" * 4000),
        now=NOW,
    )
    assert (len(profile.allergies), len(profile.medical_history)) == (1000, 4000)


def test_address_and_emergency_contact(session: Session) -> None:
    user = add_user(session)
    form = profile_form(
        address="  12 MG Road, Bengaluru 560001 ",
        emergency_contact_name=" Ravi  Rao ",
        emergency_contact_phone="9845022222",
    )
    profile = update_profile(session, user_id=user.id, **form, now=NOW)
    assert (profile.address, profile.emergency_contact_name, profile.emergency_contact_phone) == (
        "12 MG Road, Bengaluru 560001",
        "Ravi Rao",
        "+91 98450 22222",
    )
    # A form without these fields (an older client, the API) keeps what is stored.
    kept = update_profile(session, user_id=user.id, **profile_form(), now=NOW)
    assert kept.emergency_contact_name == "Ravi Rao"
    cleared = profile_form(address="", emergency_contact_name="", emergency_contact_phone="")
    assert update_profile(session, user_id=user.id, **cleared, now=NOW).address == ""


@pytest.mark.parametrize(
    ("fields", "refused"),
    [
        (
            {"emergency_contact_name": "Ravi Rao", "emergency_contact_phone": ""},
            "emergency_contact_phone",
        ),
        (
            {"emergency_contact_name": "", "emergency_contact_phone": "9845022222"},
            "emergency_contact_name",
        ),
        (
            {"emergency_contact_name": "Ravi Rao", "emergency_contact_phone": "12"},
            "emergency_contact_phone",
        ),
        ({"address": "x" * 301}, "address"),
    ],
)
def test_emergency_contact_needs_both_and_a_real_phone(
    session: Session, fields: dict[str, str], refused: str
) -> None:
    user = add_user(session)
    with pytest.raises(ValidationFailed) as error:
        update_profile(session, user_id=user.id, **profile_form(**fields), now=NOW)
    assert refused in error.value.fields
