"""Field validators shared by the account and profile services.

Each returns the cleaned value or raises ``FieldError`` with a message fit to show
next to the field; ``collect`` turns several of them into one ``ValidationFailed``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email

from healthcareplus.core.errors import ValidationFailed

# bcrypt ignores anything past 72 bytes: refuse, never truncate. Lives here (not in
# domain.accounts.passwords, which imports it) because core must not import the domain.
MAX_PASSWORD_BYTES = 72

GENDERS = ("Male", "Female", "Other", "Prefer not to say")
BLOOD_GROUPS = ("A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-")

_NAME = re.compile(r"^[^\W\d_]+([ .'\-][^\W\d_]*)*\.?$")
_PHONE_DIGITS = re.compile(r"^(?:\+?91|0)?([6-9]\d{9})$")


class FieldError(ValueError):
    pass


def clean_name(value: str) -> str:
    name = " ".join((value or "").split())
    if len(name) < 2:
        raise FieldError("Enter your full name")
    if len(name) > 120:
        raise FieldError("Name must be at most 120 characters")
    # Combining marks (Indic vowel signs, decomposed accents) are part of their letter.
    shape = "".join("a" if unicodedata.category(ch)[0] == "M" else ch for ch in name)
    if not _NAME.match(shape):
        raise FieldError("Use letters, spaces, dots, apostrophes and hyphens only")
    return name


def clean_email(value: str) -> str:
    """A deliverable-looking address (``email-validator``'s syntax rules: no dot at the
    start or end of the name, no two in a row, a domain with a dot...), lowercased. The
    domain is not looked up: signing up must not wait on DNS."""
    email = (value or "").strip()
    if not email:
        raise FieldError("Enter your email address")
    if len(email) > 254:
        raise FieldError("An email address is at most 254 characters")
    try:
        checked = validate_email(email, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise FieldError(f"{error} Enter a valid email address, like name@example.com.") from None
    top_level = checked.ascii_domain.rsplit(".", 1)[-1]
    if len(top_level) < 2 or not top_level.isalpha():  # no such top-level domain exists
        raise FieldError(f"Enter a valid email address, like name@example.com (not .{top_level})")
    return checked.normalized.lower()


def clean_phone(value: str, *, required: bool = True) -> str:
    raw = re.sub(r"[\s\-()]", "", value or "")
    if not raw:
        if required:
            raise FieldError("Enter your mobile number")
        return ""
    match = _PHONE_DIGITS.match(raw)
    if not match:
        raise FieldError("Enter a 10-digit Indian mobile number, like +91 98450 12345")
    digits = match.group(1)
    return f"+91 {digits[:5]} {digits[5:]}"


def check_password_strength(password: str) -> str:
    if len((password or "").encode()) > MAX_PASSWORD_BYTES:
        raise FieldError("Password is too long: at most 72 bytes (about 72 characters)")
    missing = []
    if len(password or "") < 8:
        missing.append("at least 8 characters")
    if not re.search(r"[a-z]", password or ""):
        missing.append("a lowercase letter")
    if not re.search(r"[A-Z]", password or ""):
        missing.append("an uppercase letter")
    if not re.search(r"\d", password or ""):
        missing.append("a digit")
    if not re.search(r"[^A-Za-z0-9]", password or ""):
        missing.append("a symbol")
    if missing:
        raise FieldError("Password needs " + ", ".join(missing))
    return password


def clean_choice(value: str, choices: tuple[str, ...], label: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if value not in choices:
        raise FieldError(f"Choose a valid {label}")
    return value


def clean_date_of_birth(value: str | date | None, *, today: date) -> date | None:
    if value in (None, ""):
        return None
    try:
        born = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError as exc:
        raise FieldError("Enter the date as YYYY-MM-DD") from exc
    if born > today:
        raise FieldError("Date of birth cannot be in the future")
    if today.year - born.year > 120:
        raise FieldError("Enter a real date of birth")
    return born


def clean_text(value: str, *, max_length: int, label: str) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        raise FieldError(f"{label} must be at most {max_length} characters")
    return text


# The calendar the clinic's dates live in: days outside it (typed, or in a URL or an API
# request) are refused, so the day before and after any accepted day is representable.
FIRST_CLINIC_DAY, LAST_CLINIC_DAY = date(2000, 1, 1), date(2100, 12, 31)
OUT_OF_RANGE_DAY = "Choose a date between 2000 and 2100."


def within_clinic_days(day: date) -> bool:
    """Whether ``day`` lies in the clinic's calendar (2000 to 2100)."""
    return FIRST_CLINIC_DAY <= day <= LAST_CLINIC_DAY


REASON_MIN, REASON_MAX = 3, 500


def reason_text(
    value: object,
    *,
    missing: str,
    short: str = "Describe the reason in at least 3 characters.",
    field: str = "reason",
    max_length: int = REASON_MAX,
) -> str:
    """A reason someone typed, white space collapsed; ``ValidationFailed`` on ``field``
    when it is empty (``missing``), shorter than 3 characters (``short``) or too long."""
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if len(text) < REASON_MIN:
        raise ValidationFailed({field: short if text else missing})
    if len(text) > max_length:
        raise ValidationFailed({field: f"Keep the reason under {max_length} characters."})
    return text


def collect(checks: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run every check; raise one ValidationFailed listing all fields that failed."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, check in checks.items():
        try:
            cleaned[field] = check()
        except FieldError as exc:
            errors[field] = str(exc)
    if errors:
        raise ValidationFailed(errors)
    return cleaned
