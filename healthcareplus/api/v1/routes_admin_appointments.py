"""The admin dashboard over the API: the appointments with every filter of the dashboard,
its statistics, and the actions on one appointment (cancel with refund, no-show, refund,
mark paid), each audited as the admin (or the admin whose API key calls).

Reading needs ``admin:read``, the actions ``admin:write``. The same domain functions as
the dashboard, with the same filters object (``admin_filters``) and the same refusals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from sqlmodel import Session

from healthcareplus.api.v1.admin_filters import appointment_filters
from healthcareplus.api.v1.admin_schemas import (
    ActionOut,
    ActionReason,
    AppointmentOut,
    AppointmentPage,
    DailyChartOut,
    DoctorBookingsOut,
    DoctorStatOut,
    DoctorStatPage,
    HospitalBookingsOut,
    HospitalRevenueOut,
    HospitalStatOut,
    HospitalStatPage,
    MethodCountOut,
    StatCards,
    Statistics,
)
from healthcareplus.api.v1.callers import Caller
from healthcareplus.api.v1.idempotency import (
    IDEMPOTENCY_PROBLEMS,
    Idempotent,
    idempotency,
    json_answer,
)
from healthcareplus.api.v1.problems import problems
from healthcareplus.api.v1.roles import (
    ADMIN_REFUSALS,
    AppointmentId,
    PageInfo,
    PageNumber,
    PageSize,
    admin_reader,
    admin_writer,
)
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.admin import actions as admin_actions
from healthcareplus.domain.admin import dashboard, dashboard_breakdowns, dashboard_charts
from healthcareplus.domain.admin.dashboard_table import get_appointment_row, list_appointments
from healthcareplus.domain.admin.filters import AdminFilters

router = APIRouter(prefix="/admin", tags=["Admin: appointments"])
Work = Callable[[Session], ActionOut]
# The cancel, refund and mark-paid routes take an Idempotency-Key: a retry gets the first
# answer and never cancels, refunds or records a payment twice.
Once = Annotated[Idempotent, Depends(idempotency)]
READ = "Needs admin:read (an admin, or an admin's API key with the scope)."
WRITE = "Needs admin:write (an admin, or an admin's API key with the scope). Audited."
LIST_REFUSALS = {**ADMIN_REFUSALS, **problems(422)}
ACTION_REFUSALS = {**ADMIN_REFUSALS, **problems(404, 409, 422)}
ONCE_REFUSALS = {**ACTION_REFUSALS, **IDEMPOTENCY_PROBLEMS}


def _result_page(found: Any, page_size: int) -> PageInfo:
    """Where a page of a ranked table (``ResultPage``) sits."""
    return PageInfo(
        total=found.total,
        page=found.page,
        pages=found.pages,
        page_size=page_size,
        has_prev=found.has_prev,
        has_next=found.has_next,
    )


@router.get(
    "/appointments",
    response_model=AppointmentPage,
    summary="Appointments",
    description=(
        "The dashboard's table: appointments matching every filter given (doctor, hospital, "
        "city, a clinic day or range of visit dates, status, payment status), a page at a "
        f"time, in the chosen order; each row says which actions are open on it. {READ}"
    ),
    responses=LIST_REFUSALS,
)
def appointments(
    filters: AdminFilters = Depends(appointment_filters),
    page: PageNumber = 1,
    page_size: PageSize = 20,
    caller: Caller = Depends(admin_reader),
) -> AppointmentPage:
    with session_scope() as db:
        found = list_appointments(
            db, filters=filters.with_page(page), now=utcnow(), page_size=page_size
        )
    items = [AppointmentOut.model_validate(row) for row in found.items]
    return AppointmentPage(items=items, page=_result_page(found, page_size))


@router.get(
    "/appointments/{appointment_id}",
    response_model=AppointmentOut,
    summary="One appointment",
    description=f"Any patient's appointment, as the dashboard lists it. {READ}",
    responses={**ADMIN_REFUSALS, **problems(404, 422)},
)
def appointment(
    appointment_id: AppointmentId, caller: Caller = Depends(admin_reader)
) -> AppointmentOut:
    with session_scope() as db:
        row = get_appointment_row(db, appointment_id=appointment_id, now=utcnow())
    return AppointmentOut.model_validate(row)


@router.get(
    "/statistics",
    response_model=Statistics,
    summary="Dashboard statistics",
    description=(
        "The dashboard's cards (bookings by status, payments, revenue, doctors), bookings "
        "per day, per-hospital bookings and revenue, the busiest doctors and the payment "
        "method mix, for the same filters as the appointments. The doctor/hospital/city "
        "filters also narrow the doctors counted; the others narrow only the appointments. "
        f"{READ}"
    ),
    responses=LIST_REFUSALS,
)
def statistics(
    filters: AdminFilters = Depends(appointment_filters), caller: Caller = Depends(admin_reader)
) -> Statistics:
    now = utcnow()
    with session_scope() as db:
        cards = dashboard.dashboard_stats(db, filters=filters, now=now)
        per_day = dashboard.bookings_per_day(db, filters=filters, now=now)
        hospitals = dashboard_charts.hospital_bookings(db, filters=filters)
        revenue = dashboard_charts.hospital_revenue(db, filters=filters)
        doctors = dashboard_charts.top_doctors(db, filters=filters)
        methods = dashboard_charts.payment_method_mix(db, filters=filters)
    return Statistics(
        cards=StatCards.model_validate(cards),
        bookings_per_day=DailyChartOut.model_validate(per_day),
        hospital_bookings=[HospitalBookingsOut.model_validate(h) for h in hospitals],
        hospital_revenue=[HospitalRevenueOut.model_validate(r) for r in revenue],
        top_doctors=[DoctorBookingsOut.model_validate(d) for d in doctors],
        payment_methods=[MethodCountOut.model_validate(m) for m in methods],
    )


@router.get(
    "/statistics/hospitals",
    response_model=HospitalStatPage,
    summary="Bookings per hospital",
    description=(
        "The hospitals in the doctor/hospital/city scope with their doctors and the filtered "
        f"bookings and revenue, busiest first (idle ones too), a page at a time. {READ}"
    ),
    responses=LIST_REFUSALS,
)
def per_hospital(
    filters: AdminFilters = Depends(appointment_filters),
    page: PageNumber = 1,
    page_size: PageSize = dashboard_breakdowns.BREAKDOWN_PAGE_SIZE,
    caller: Caller = Depends(admin_reader),
) -> HospitalStatPage:
    with session_scope() as db:
        found = dashboard_breakdowns.bookings_per_hospital(
            db, filters=filters, page=page, page_size=page_size
        )
    items = [HospitalStatOut.model_validate(row) for row in found.items]
    return HospitalStatPage(items=items, page=_result_page(found, page_size))


@router.get(
    "/statistics/doctors",
    response_model=DoctorStatPage,
    summary="Bookings per doctor",
    description=(
        "The doctors in the doctor/hospital/city scope (inactive ones too) with the filtered "
        f"bookings and revenue, busiest first (idle ones too), a page at a time. {READ}"
    ),
    responses=LIST_REFUSALS,
)
def per_doctor(
    filters: AdminFilters = Depends(appointment_filters),
    page: PageNumber = 1,
    page_size: PageSize = dashboard_breakdowns.BREAKDOWN_PAGE_SIZE,
    caller: Caller = Depends(admin_reader),
) -> DoctorStatPage:
    with session_scope() as db:
        found = dashboard_breakdowns.bookings_per_doctor(
            db, filters=filters, page=page, page_size=page_size
        )
    items = [DoctorStatOut.model_validate(row) for row in found.items]
    return DoctorStatPage(items=items, page=_result_page(found, page_size))


def _act(caller: Caller, action: Callable[..., admin_actions.ActionResult], **kw: Any) -> Work:
    """Running ``action`` as the caller's admin, then reading the appointment as it now is:
    the work of one unit of work (what ``Idempotent.run`` takes)."""

    def work(db: Session) -> ActionOut:
        now = utcnow()
        done = action(db, admin_id=caller.user_id or 0, now=now, **kw)
        row = get_appointment_row(db, appointment_id=done.appointment_id, now=now)
        appointment = AppointmentOut.model_validate(row)
        return ActionOut(action=done.action, message=done.message, appointment=appointment)

    return work


def _once(work: Work) -> ActionOut:
    with session_scope() as db:
        return work(db)


@router.post(
    "/appointments/{appointment_id}/cancel",
    response_model=ActionOut,
    summary="Cancel an appointment",
    description=(
        "A pending or confirmed appointment (a past one too), with a reason the patient "
        "sees; a paid one is refunded. 409 when it cannot be cancelled, with why. "
        f"{WRITE}"
    ),
    responses=ONCE_REFUSALS,
)
def cancel(
    appointment_id: AppointmentId,
    body: ActionReason,
    once: Once,
    caller: Caller = Depends(admin_writer),
) -> Response:
    work = _act(
        caller, admin_actions.cancel_appointment, appointment_id=appointment_id, reason=body.reason
    )
    return once.run(lambda db: json_answer(work(db)))


@router.post(
    "/appointments/{appointment_id}/no-show",
    response_model=ActionOut,
    summary="Mark a no-show",
    description=f"A confirmed appointment whose start has passed (409 otherwise). {WRITE}",
    responses=ACTION_REFUSALS,
)
def no_show(appointment_id: AppointmentId, caller: Caller = Depends(admin_writer)) -> ActionOut:
    return _once(_act(caller, admin_actions.mark_no_show, appointment_id=appointment_id))


@router.post(
    "/appointments/{appointment_id}/refund",
    response_model=ActionOut,
    summary="Refund a payment",
    description=(
        "Refunds a successful payment without changing the appointment's status. A "
        "confirmed visit still ahead is refused (409): cancel it instead, which refunds. "
        f"{WRITE}"
    ),
    responses=ONCE_REFUSALS,
)
def refund(
    appointment_id: AppointmentId,
    body: ActionReason,
    once: Once,
    caller: Caller = Depends(admin_writer),
) -> Response:
    work = _act(
        caller, admin_actions.process_refund, appointment_id=appointment_id, reason=body.reason
    )
    return once.run(lambda db: json_answer(work(db)))


@router.post(
    "/appointments/{appointment_id}/mark-paid",
    response_model=ActionOut,
    summary="Mark a Pay-at-Clinic booking paid",
    description=(
        "The fee was received at the counter: the payment becomes Success with a new "
        "transaction id. Only confirmed or completed Pay-at-Clinic bookings awaiting "
        f"payment (409 otherwise). {WRITE}"
    ),
    responses=ONCE_REFUSALS,
)
def mark_paid(
    appointment_id: AppointmentId, once: Once, caller: Caller = Depends(admin_writer)
) -> Response:
    work = _act(caller, admin_actions.mark_paid, appointment_id=appointment_id)
    return once.run(lambda db: json_answer(work(db)))


__all__ = ["router"]
