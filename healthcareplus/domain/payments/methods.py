"""Payment methods and the validation of what the patient types into the payment form.

``validate_details`` returns a ``PaymentDetails`` that is safe to keep and log: the card's
brand and last four digits, never its full number or CVV. For the (mock) gateway it also
carries an opaque card token, a keyed hash of the number that is never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.formatting import to_local
from healthcareplus.core.models import PaymentMethod

BANKS: tuple[str, ...] = (
    "State Bank of India",
    "HDFC Bank",
    "ICICI Bank",
    "Axis Bank",
    "Kotak Mahindra Bank",
    "Punjab National Bank",
    "Bank of Baroda",
    "Canara Bank",
    "Union Bank of India",
    "IndusInd Bank",
    "Yes Bank",
    "IDFC FIRST Bank",
)
WALLETS: tuple[str, ...] = ("Paytm", "PhonePe", "Amazon Pay", "MobiKwik")
UPI_APPS: tuple[str, ...] = ("PhonePe", "Google Pay", "Paytm", "BHIM")
CARD_BRANDS: tuple[str, ...] = ("Visa", "Mastercard", "RuPay", "Amex")

METHOD_LABELS: dict[str, str] = {
    PaymentMethod.UPI: "UPI",
    PaymentMethod.CARD: "Card",
    PaymentMethod.NETBANKING: "Net Banking",
    PaymentMethod.WALLET: "Wallet",
    PaymentMethod.PAY_AT_CLINIC: "Pay at Clinic",
}

# The form fields each method reads (what the payment page and the API send).
FORM_FIELDS: dict[str, tuple[str, ...]] = {
    PaymentMethod.UPI: ("upi_vpa",),
    PaymentMethod.CARD: ("card_number", "card_expiry", "card_cvv", "card_name"),
    PaymentMethod.NETBANKING: ("bank",),
    PaymentMethod.WALLET: ("wallet",),
    PaymentMethod.PAY_AT_CLINIC: (),
}

_VPA = re.compile(r"^[a-z0-9.\-_]{2,256}@[a-z][a-z0-9]{1,63}$", re.IGNORECASE)
_EXPIRY = re.compile(r"^(\d{1,2})\s*/\s*(\d{2}|\d{4})$")
_MAX_EXPIRY_YEARS = 20


def method_label(method: str | None) -> str:
    """ "upi" -> "UPI"; unknown or empty -> ""."""
    return METHOD_LABELS.get(method or "", "")


@dataclass(frozen=True)
class PaymentDetails:
    """A validated payment instrument, safe to store (no card number, no CVV)."""

    method: str
    upi_vpa: str | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    bank: str | None = None
    wallet: str | None = None
    # Keyed hash of the card number, for the gateway only; never stored or shown.
    card_token: str | None = field(default=None, repr=False, compare=False)

    @property
    def label(self) -> str:
        """How the instrument is shown: "Visa •••• 4242", "UPI · name@okaxis", ..."""
        if self.method == PaymentMethod.CARD:
            return f"{self.card_brand} •••• {self.card_last4}"
        if self.method == PaymentMethod.UPI:
            return f"UPI · {self.upi_vpa}"
        if self.method == PaymentMethod.NETBANKING:
            return f"Net Banking · {self.bank}"
        if self.method == PaymentMethod.WALLET:
            return f"{self.wallet} Wallet"
        return method_label(self.method)


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_brand(digits: str) -> str | None:
    """The network of a card number from its prefix, or None when not accepted."""
    if digits[:2] in ("34", "37"):
        return "Amex"
    if digits[:1] == "4":
        return "Visa"
    if 51 <= int(digits[:2] or 0) <= 55 or 2221 <= int(digits[:4] or 0) <= 2720:
        return "Mastercard"
    if digits[:2] in ("60", "65", "81", "82") or digits[:3] == "508":
        return "RuPay"
    return None


def card_token(digits: str) -> str:
    """An opaque, keyed fingerprint of a card number (what a gateway token stands for)."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()


def _text(form: Mapping[str, Any], key: str) -> str:
    value = form.get(key)
    return "" if value is None else str(value).strip()


def _check_vpa(form: Mapping[str, Any], errors: dict[str, str]) -> str | None:
    vpa = _text(form, "upi_vpa")
    if not vpa:
        errors["upi_vpa"] = "Enter your UPI ID."
    elif not _VPA.match(vpa):
        errors["upi_vpa"] = "Enter a valid UPI ID, like name@okaxis."
    else:
        return vpa.lower()
    return None


def _check_expiry(raw: str, now: datetime, errors: dict[str, str]) -> None:
    match = _EXPIRY.match(raw)
    if not raw:
        errors["card_expiry"] = "Enter the card's expiry date (MM/YY)."
        return
    if not match or not 1 <= int(match.group(1)) <= 12:
        errors["card_expiry"] = "Enter the expiry as MM/YY, like 08/29."
        return
    month, year = int(match.group(1)), int(match.group(2))
    if year < 100:
        year += 2000
    today = to_local(now).date()
    if (year, month) < (today.year, today.month):
        errors["card_expiry"] = "This card has expired."
    elif year > today.year + _MAX_EXPIRY_YEARS:
        errors["card_expiry"] = "Enter a valid expiry date."


def _check_card(
    form: Mapping[str, Any], now: datetime, errors: dict[str, str]
) -> tuple[str | None, str | None, str | None]:
    digits = re.sub(r"[\s\-]", "", _text(form, "card_number"))
    brand: str | None = None
    if not digits:
        errors["card_number"] = "Enter your card number."
    elif not digits.isdigit() or not 12 <= len(digits) <= 19:
        errors["card_number"] = "Enter a valid card number (12 to 19 digits)."
    elif not luhn_valid(digits):
        errors["card_number"] = "This card number is not valid. Please check it."
    else:
        brand = card_brand(digits)
        if brand is None:
            errors["card_number"] = "We accept Visa, Mastercard, RuPay and Amex cards."

    _check_expiry(_text(form, "card_expiry"), now, errors)

    cvv = _text(form, "card_cvv")
    if brand == "Amex":
        if not re.fullmatch(r"\d{4}", cvv):
            errors["card_cvv"] = "Enter the 4-digit CVV printed on the front of your card."
    elif brand is not None:
        if not re.fullmatch(r"\d{3}", cvv):
            errors["card_cvv"] = "Enter the 3-digit CVV on the back of your card."
    elif not re.fullmatch(r"\d{3,4}", cvv):
        errors["card_cvv"] = "Enter the card's CVV (3 or 4 digits)."

    name = " ".join(_text(form, "card_name").split())
    if not 2 <= len(name) <= 60 or not all(ch.isalpha() or ch == " " for ch in name):
        errors["card_name"] = "Enter the name as printed on the card (letters only)."

    if brand is None:
        return None, None, None
    return brand, digits[-4:], card_token(digits)


def validate_details(method: str, form: Mapping[str, Any], *, now: datetime) -> PaymentDetails:
    """Check the payment form for ``method``; raise ``ValidationFailed`` per field."""
    code = str(method or "").strip().lower()
    if code not in METHOD_LABELS:
        raise ValidationFailed({"method": "Choose a payment method."})
    errors: dict[str, str] = {}
    details = PaymentDetails(method=code)
    if code == PaymentMethod.UPI:
        details = PaymentDetails(method=code, upi_vpa=_check_vpa(form, errors))
    elif code == PaymentMethod.CARD:
        brand, last4, token = _check_card(form, now, errors)
        details = PaymentDetails(code, card_brand=brand, card_last4=last4, card_token=token)
    elif code == PaymentMethod.NETBANKING:
        bank = _text(form, "bank")
        if bank not in BANKS:
            errors["bank"] = "Choose your bank."
        details = PaymentDetails(method=code, bank=bank)
    elif code == PaymentMethod.WALLET:
        wallet = _text(form, "wallet")
        if wallet not in WALLETS:
            errors["wallet"] = "Choose a wallet."
        details = PaymentDetails(method=code, wallet=wallet)
    if errors:
        raise ValidationFailed(errors)
    return details


__all__ = [
    "BANKS",
    "CARD_BRANDS",
    "FORM_FIELDS",
    "METHOD_LABELS",
    "UPI_APPS",
    "WALLETS",
    "PaymentDetails",
    "card_brand",
    "card_token",
    "luhn_valid",
    "method_label",
    "validate_details",
]
