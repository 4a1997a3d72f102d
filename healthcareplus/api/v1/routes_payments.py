"""A patient pays for a held booking: the payment page's domain function
(``payments.checkout.pay``) with the configured gateway, the same methods and the same
checks of every field.

Paying never charges twice, with or without an ``Idempotency-Key``: each attempt has its
own key at the gateway, and paying a settled booking answers with its settlement. The
header makes a retry get the very answer of the first request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from sqlmodel import Session

from healthcareplus.api.v1.appointment_schemas import appointment_path
from healthcareplus.api.v1.callers import Caller
from healthcareplus.api.v1.idempotency import (
    IDEMPOTENCY_PROBLEMS,
    Idempotent,
    idempotency,
    json_answer,
)
from healthcareplus.api.v1.patients import (
    NO_STORE,
    PATIENT_REFUSALS,
    AppointmentId,
    patient_id,
    patient_person,
)
from healthcareplus.api.v1.payment_schemas import PaymentIn, PaymentOut
from healthcareplus.api.v1.problems import problem_response, problems
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.payments import checkout
from healthcareplus.domain.payments.gateway import gateway_from_settings

router = APIRouter(tags=["Patient: payments"])
Patient = Annotated[Caller, Depends(patient_person)]
Once = Annotated[Idempotent, Depends(idempotency)]
NOT_THROUGH = "The payment did not go through."


@router.post(
    "/appointments/{appointment_id}/payment",
    response_model=PaymentOut,
    summary="Pay for a held booking",
    description=(
        "Pays for your booking awaiting payment, while its hold lasts, by UPI, card, net "
        "banking or wallet (the booking is confirmed at once: 200, `paid`) or at the "
        "clinic (confirmed with the payment pending: 200, `pay_at_clinic`). Each field is "
        "checked as on the payment page (422 names the field). If the bank does not "
        "answer within HCP_GATEWAY_TIMEOUT_SECONDS: 202 `processing`, the slot is kept "
        "and the booking is confirmed once the bank answers. Declined: 402 "
        "`payment-declined`, the booking stays held: pay again with a new "
        "`Idempotency-Key`. Paying a booking already settled answers with its "
        "settlement and charges nothing. For patients signed in with a bearer token; API "
        "keys are refused (403)."
    ),
    responses={
        202: {"description": "The bank has not answered yet", "model": PaymentOut},
        **PATIENT_REFUSALS,
        **problems("payment-declined", 404, 409, 422),
        **IDEMPOTENCY_PROBLEMS,
    },
)
def pay(caller: Patient, once: Once, appointment_id: AppointmentId, body: PaymentIn) -> Response:
    def work(db: Session) -> Response:
        now, patient = utcnow(), patient_id(caller)
        outcome = checkout.pay(
            db,
            appointment_id=appointment_id,
            patient_id=patient,
            method=body.method,
            form=body.form(),
            gateway=gateway_from_settings(),
            now=now,
        )
        if not outcome.success and not outcome.pending:
            detail = outcome.failure_reason or NOT_THROUGH
            return problem_response(once.request, "payment-declined", detail)
        view = booking.get_appointment(
            db, appointment_id=appointment_id, patient_id=patient, now=now
        )
        answer = PaymentOut.of(outcome, view)
        if outcome.pending:  # where to follow it up
            headers = {"Location": appointment_path(view.id), **NO_STORE}
            return json_answer(answer, status_code=status.HTTP_202_ACCEPTED, headers=headers)
        return json_answer(answer, headers=NO_STORE)

    return once.run(work)


__all__ = ["router"]
