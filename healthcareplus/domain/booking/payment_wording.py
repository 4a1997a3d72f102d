"""What the patient reads about an appointment's payment: one pure function.

The stored payment status says where the money stands in the ledger (a Pay-at-Clinic
booking stays ``Pending`` until someone records the fee), which reads wrong on its own:
a cancelled Pay-at-Clinic visit was never going to be charged, and an upcoming one is
simply paid at the clinic. This says it as the patient should read it.
"""

from __future__ import annotations

from healthcareplus.core.i18n import N_
from healthcareplus.core.models import PaymentMethod, PaymentStatus
from healthcareplus.domain.scheduling.lifecycle import PROCESSING

# English msgids: the patient's pages show them through the catalogue (``core.i18n``).
PAID = N_("Paid")
REFUNDED = N_("Refunded")
NOT_CHARGED = N_("Not charged")
PAY_AT_CLINIC = N_("Pay at the clinic")
DUE_AT_CLINIC = N_("Due at the clinic")
PROCESSING_LABEL = N_("Processing")
FAILED = N_("Payment failed")
AWAITING = N_("Awaiting payment")
# Time statuses (``views.time_status``) of a visit that did not happen and will not: its
# fee is not taken (a successful payment says so itself: "Paid", then "Refunded").
_NO_VISIT = frozenset({"cancelled", "expired", "missed"})


def payment_label(*, time_status: str, payment_status: str, payment_method: str | None) -> str:
    """The payment as the patient reads it, from where the visit stands (``time_status``),
    the payment status (``Processing`` during a gateway call) and the method chosen."""
    if payment_status == PaymentStatus.REFUNDED:
        return REFUNDED
    if payment_status == PaymentStatus.SUCCESS:
        return PAID
    if payment_status == PROCESSING:
        return PROCESSING_LABEL  # the bank may still say yes (refunded if nobody waits)
    if time_status in _NO_VISIT:
        return NOT_CHARGED
    if payment_method == PaymentMethod.PAY_AT_CLINIC:
        return PAY_AT_CLINIC if time_status == "upcoming" else DUE_AT_CLINIC
    if payment_status == PaymentStatus.FAILED:
        return FAILED
    return AWAITING


__all__ = [
    "AWAITING",
    "DUE_AT_CLINIC",
    "FAILED",
    "NOT_CHARGED",
    "PAID",
    "PAY_AT_CLINIC",
    "PROCESSING_LABEL",
    "REFUNDED",
    "payment_label",
]
