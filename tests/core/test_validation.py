from __future__ import annotations

from datetime import date

import pytest

from healthcareplus.core import validation as v
from healthcareplus.core.errors import ValidationFailed

TODAY = date(2030, 3, 5)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Asha Rao", "Asha Rao"),
        ("  Asha \t  Rao \n", "Asha Rao"),
        ("D'Souza", "D'Souza"),
        ("Mary-Jane O'Neil", "Mary-Jane O'Neil"),
        ("Dr. R. K. Narayan", "Dr. R. K. Narayan"),
        ("José Álvarez", "José Álvarez"),
        ("Zoe\u0308 Kapoor", "Zoe\u0308 Kapoor"),  # decomposed accent
        ("अनिल कुमार", "अनिल कुमार"),  # Devanagari vowel signs are combining marks
        ("தமிழ் செல்வன்", "தமிழ் செல்வன்"),
        ("Li", "Li"),
        ("A" * 120, "A" * 120),
    ],
)
def test_clean_name_accepts_real_names(raw: str, cleaned: str) -> None:
    assert v.clean_name(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Enter your full name"),
        (None, "Enter your full name"),
        ("A", "Enter your full name"),
        ("   A  ", "Enter your full name"),
        ("A" * 121, "at most 120 characters"),
        ("Asha 2", "letters, spaces"),
        ("R2D2", "letters, spaces"),
        ("Asha १", "letters, spaces"),  # Devanagari digit
        ("<script>alert(1)</script>", "letters, spaces"),
        ("<b>Asha</b>", "letters, spaces"),
        ("Asha; DROP TABLE users", "letters, spaces"),
        ("asha@example.com", "letters, spaces"),
        ("Asha_Rao", "letters, spaces"),
        ("-Asha", "letters, spaces"),
    ],
)
def test_clean_name_refuses(raw: str | None, message: str) -> None:
    with pytest.raises(v.FieldError, match=message):
        v.clean_name(raw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("asha@example.com", "asha@example.com"),
        ("  Asha.Rao@Example.COM ", "asha.rao@example.com"),
        ("a+tag@mail.example.co.in", "a+tag@mail.example.co.in"),
        ("first_last-1@sub-domain.example.org", "first_last-1@sub-domain.example.org"),
    ],
)
def test_clean_email_accepts_and_lowercases(raw: str, cleaned: str) -> None:
    assert v.clean_email(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Enter your email address"),
        ("   ", "Enter your email address"),
        (None, "Enter your email address"),
        ("asha", "valid email"),
        ("asha@example", "valid email"),
        ("asha@@example.com", "valid email"),
        ("asha rao@example.com", "valid email"),
        ("@example.com", "valid email"),
        ("asha@.com", "valid email"),
        ("asha@example.c", "valid email"),
        ("<script>@example.com", "valid email"),
        ("a" * 250 + "@example.com", "at most 254 characters"),
        # The dots a looser pattern let through: a mail server refuses them.
        (".a..b@example.com", "cannot start with a period"),
        ("asha..rao@example.com", "two periods in a row"),
        ("asha.@example.com", "period immediately before the @-sign"),
        ("asha@-example.com", "hyphen"),
    ],
)
def test_clean_email_refuses(raw: str | None, message: str) -> None:
    with pytest.raises(v.FieldError, match=message):
        v.clean_email(raw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "raw",
    [
        "9845012345",
        "98450 12345",
        "98450-12345",
        "+91 98450 12345",
        "+919845012345",
        "919845012345",
        "09845012345",
        "(984) 501-2345",
        " +91-98450-12345 ",
    ],
)
def test_clean_phone_normalizes_indian_mobiles(raw: str) -> None:
    assert v.clean_phone(raw) == "+91 98450 12345"


@pytest.mark.parametrize(
    "raw",
    [
        "12345",
        "5845012345",  # mobiles start with 6-9
        "98450123456",  # 11 digits
        "984501234",  # 9 digits
        "+1 415 555 0100",
        "+92 98450 12345",
        "phone: 9845012345",
        "98450 1234x",
    ],
)
def test_clean_phone_refuses(raw: str) -> None:
    with pytest.raises(v.FieldError, match="10-digit Indian mobile number"):
        v.clean_phone(raw)


def test_clean_phone_empty() -> None:
    with pytest.raises(v.FieldError, match="Enter your mobile number"):
        v.clean_phone("  ")
    assert v.clean_phone("", required=False) == ""
    assert v.clean_phone(None, required=False) == ""  # type: ignore[arg-type]


# Character classes are ASCII: "ä" in "Pässwörd9" counts as the symbol.
@pytest.mark.parametrize(
    "password",
    ["Str0ng!pass", "Aa1!aaaa", "correct Horse 9 battery", "Pässwörd9", "Aa1!" + "x" * 68],
)
def test_strong_passwords_pass_unchanged(password: str) -> None:
    assert v.check_password_strength(password) == password


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("", ["at least 8", "a lowercase letter", "an uppercase letter", "a digit", "a symbol"]),
        ("Aa1!", ["at least 8 characters"]),
        ("password", ["an uppercase letter", "a digit", "a symbol"]),
        ("PASSWORD1!", ["a lowercase letter"]),
        ("Password!", ["a digit"]),
        ("Password1", ["a symbol"]),
        ("12345678", ["a lowercase letter", "an uppercase letter", "a symbol"]),
    ],
)
def test_weak_passwords_list_what_is_missing(password: str, missing: list[str]) -> None:
    with pytest.raises(v.FieldError) as error:
        v.check_password_strength(password)
    message = str(error.value)
    assert message.startswith("Password needs ")
    for item in missing:
        assert item in message
    everything = ["at least 8", "lowercase", "uppercase", "a digit", "a symbol"]
    assert sum(item in message for item in everything) == len(missing)


@pytest.mark.parametrize(
    "password",
    ["Aa1!" + "x" * 69, "Aa1!" + "é" * 35, "Aa1!" + "🙂" * 18],
    ids=["73-ascii", "74-bytes-39-chars", "emoji"],
)
def test_passwords_over_72_bytes_are_refused_not_truncated(password: str) -> None:
    assert len(password.encode()) > 72
    with pytest.raises(v.FieldError, match="72 bytes"):
        v.check_password_strength(password)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("1990-05-12", date(1990, 5, 12)),
        (date(1990, 5, 12), date(1990, 5, 12)),
        ("2030-03-05", TODAY),  # born today
        ("1910-03-05", date(1910, 3, 5)),  # 120 years
    ],
)
def test_date_of_birth_accepted(raw: str | date | None, expected: date | None) -> None:
    assert v.clean_date_of_birth(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2030-03-06", "cannot be in the future"),
        (date(2031, 1, 1), "cannot be in the future"),
        ("12/05/1990", "YYYY-MM-DD"),
        ("1990-02-30", "YYYY-MM-DD"),
        ("yesterday", "YYYY-MM-DD"),
        ("1909-01-01", "real date of birth"),
    ],
)
def test_date_of_birth_refused(raw: str | date, message: str) -> None:
    with pytest.raises(v.FieldError, match=message):
        v.clean_date_of_birth(raw, today=TODAY)


@pytest.mark.parametrize("choice", v.GENDERS)
def test_every_gender_choice_is_valid(choice: str) -> None:
    assert v.clean_choice(f" {choice} ", v.GENDERS, "gender") == choice


@pytest.mark.parametrize("choice", v.BLOOD_GROUPS)
def test_every_blood_group_is_valid(choice: str) -> None:
    assert v.clean_choice(choice, v.BLOOD_GROUPS, "blood group") == choice


@pytest.mark.parametrize("raw", ["", "  ", None])
def test_empty_choice_means_not_given(raw: str | None) -> None:
    assert v.clean_choice(raw, v.GENDERS, "gender") is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "choices", "label"),
    [
        ("male", v.GENDERS, "gender"),
        ("Alien", v.GENDERS, "gender"),
        ("C+", v.BLOOD_GROUPS, "blood group"),
        ("a+", v.BLOOD_GROUPS, "blood group"),
        ("O", v.BLOOD_GROUPS, "blood group"),
    ],
)
def test_unknown_choice_refused(raw: str, choices: tuple[str, ...], label: str) -> None:
    with pytest.raises(v.FieldError, match=f"Choose a valid {label}"):
        v.clean_choice(raw, choices, label)


def test_clean_text_trims_and_limits_length() -> None:
    assert v.clean_text("  Penicillin  ", max_length=20, label="Allergies") == "Penicillin"
    assert v.clean_text(None, max_length=20, label="Allergies") == ""  # type: ignore[arg-type]
    assert v.clean_text("x" * 20, max_length=20, label="Allergies") == "x" * 20
    with pytest.raises(v.FieldError, match="Allergies must be at most 20 characters"):
        v.clean_text("x" * 21, max_length=20, label="Allergies")


def test_collect_returns_cleaned_values() -> None:
    cleaned = v.collect({"name": lambda: v.clean_name(" Asha  Rao "), "n": lambda: 3})
    assert cleaned == {"name": "Asha Rao", "n": 3}


def test_collect_reports_every_failed_field_together() -> None:
    with pytest.raises(ValidationFailed) as error:
        v.collect(
            {
                "name": lambda: v.clean_name("1"),
                "email": lambda: v.clean_email("asha@example.com"),
                "phone": lambda: v.clean_phone("123"),
            }
        )
    assert set(error.value.fields) == {"name", "phone"}
    assert "10-digit" in error.value.fields["phone"]
    assert str(error.value) == "; ".join(error.value.fields.values())


def test_collect_does_not_swallow_unexpected_errors() -> None:
    def broken() -> str:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        v.collect({"name": broken})
