"""Request and response bodies of paying for a held booking: the payment page's form,
and what became of the payment."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from healthcareplus.api.v1.appointment_schemas import EXAMPLE, MyAppointment
from healthcareplus.core.models import PaymentMethod
from healthcareplus.domain.booking.views import AppointmentView
from healthcareplus.domain.payments.ledger import PaymentOutcome


class PaymentIn(BaseModel):
    """The payment page's form: a method and the fields it reads. UPI: ``upi_vpa``. Card:
    ``card_number``, ``card_expiry`` (MM/YY), ``card_cvv``, ``card_name``. Net banking:
    ``bank``. Wallet: ``wallet``. Pay at clinic: nothing. The card is checked (Luhn,
    network, expiry, CVV) and never stored: only its brand and last four digits are."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"method": "upi", "upi_vpa": "asha@okaxis"},
                {
                    "method": "card",
                    "card_number": "4111 1111 1111 1111",
                    "card_expiry": "08/29",
                    "card_cvv": "123",
                    "card_name": "Asha Rao",
                },
                {"method": "pay_at_clinic"},
            ]
        },
    )

    method: str = Field(max_length=20, json_schema_extra={"enum": [m.value for m in PaymentMethod]})
    upi_vpa: str | None = Field(default=None, max_length=100)
    card_number: str | None = Field(default=None, max_length=100)
    card_expiry: str | None = Field(default=None, max_length=100)
    card_cvv: str | None = Field(default=None, max_length=100)
    card_name: str | None = Field(default=None, max_length=100)
    bank: str | None = Field(default=None, max_length=100)
    wallet: str | None = Field(default=None, max_length=100)

    def form(self) -> dict[str, str]:
        """The form fields sent, as the payment page passes them to the domain."""
        return {k: v for k, v in self.model_dump(exclude={"method"}).items() if v is not None}


class PaymentOut(BaseModel):
    """``paid`` or ``pay_at_clinic``: the booking is confirmed (200). ``processing``: the
    bank has not answered yet (202); the booking keeps its slot and is confirmed (or the
    attempt failed) once it does: follow the appointment."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "result": "paid",
                    "transaction_id": "HCP-20261128-7F3K9Q",
                    "detail": "",
                    "appointment": EXAMPLE,
                }
            ]
        }
    )

    result: Literal["paid", "pay_at_clinic", "processing"]
    transaction_id: str | None
    detail: str
    appointment: MyAppointment

    @classmethod
    def of(cls, outcome: PaymentOutcome, view: AppointmentView) -> PaymentOut:
        if outcome.pending:
            result: Literal["paid", "pay_at_clinic", "processing"] = "processing"
        elif outcome.method == PaymentMethod.PAY_AT_CLINIC:
            result = "pay_at_clinic"
        else:
            result = "paid"
        return cls(
            result=result,
            transaction_id=outcome.transaction_id or None,
            detail=outcome.failure_reason if outcome.pending else "",
            appointment=MyAppointment.of(view),
        )


__all__ = ["PaymentIn", "PaymentOut"]
