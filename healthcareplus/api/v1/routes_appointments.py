"""A patient's own appointments: the lists, one appointment's details, its calendar file
and its prescription. The changes (book, cancel, reschedule) are ``routes_booking``,
paying is ``routes_payments``; who may call is ``patients``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlmodel import Session

from healthcareplus.api.v1.appointment_schemas import (
    MyAppointment,
    MyAppointmentDetail,
    MyAppointmentPage,
)
from healthcareplus.api.v1.callers import Caller
from healthcareplus.api.v1.cursors import BAD_CURSOR, cursor_refused
from healthcareplus.api.v1.patients import (
    NO_STORE,
    PATIENT_REFUSALS,
    AppointmentId,
    patient_id,
    patient_person,
)
from healthcareplus.api.v1.problems import problems
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import NotFound
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.booking.calendar_file import calendar_filename, calendar_ics
from healthcareplus.domain.booking.views import AppointmentView, Tab
from healthcareplus.domain.clinical import records as treatments
from healthcareplus.domain.clinical.prescription_pdf import prescription_filename, prescription_pdf

router = APIRouter(tags=["Patient: appointments"])
Patient = Annotated[Caller, Depends(patient_person)]
OTHER_TAB = "This cursor belongs to another tab: send the same tab, or no cursor."
TAB_HELP = (
    "upcoming (confirmed, or held awaiting payment, not yet over), past (completed, "
    "missed, or confirmed but over) or cancelled (cancelled, or an unpaid hold that expired)"
)
PATIENTS_ONLY = "For patients signed in with a bearer token; API keys are refused (403)."
_ID = re.compile(r"[0-9a-f-]{1,36}")


def encode_cursor(tab: Tab, last: AppointmentView) -> str:
    payload = {"v": 1, "t": tab, "s": last.start_at.astimezone(UTC).isoformat(), "i": last.id}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, tab: Tab) -> tuple[datetime, str]:
    """Where the list continues: (start, id) of the last appointment seen; 422 on
    ``cursor`` when it is malformed, altered or made for another tab."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw.decode())
        start = datetime.fromisoformat(payload["s"])
        last_id = payload["i"]
        ok = payload["v"] == 1 and start.tzinfo is not None and _ID.fullmatch(last_id)
    except (binascii.Error, ValueError, KeyError, TypeError):  # JSON and Unicode too
        raise cursor_refused(BAD_CURSOR) from None
    if not ok:
        raise cursor_refused(BAD_CURSOR)
    if payload.get("t") != tab:
        raise cursor_refused(OTHER_TAB)
    return start, last_id


@router.get(
    "/appointments",
    response_model=MyAppointmentPage,
    summary="My appointments",
    description=(
        "Your upcoming appointments (confirmed, or held awaiting payment, not yet over; "
        "soonest first), past ones (completed, missed, or confirmed but over; latest "
        "first) or cancelled ones (cancelled, or an unpaid hold that expired; latest visit "
        "first), a page at a time: send `next_cursor` back as `cursor` with the same "
        f"`tab`. Pages never repeat an appointment. {PATIENTS_ONLY}"
    ),
    responses={**PATIENT_REFUSALS, **problems(422)},
)
def my_appointments(
    caller: Patient,
    response: Response,
    tab: Annotated[Tab, Query(description=TAB_HELP)] = "upcoming",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> MyAppointmentPage:
    after = decode_cursor(cursor, tab) if cursor else None
    with session_scope() as db:
        views = booking.list_appointments(
            db, patient_id=patient_id(caller), tab=tab, now=utcnow(), limit=limit + 1, after=after
        )
    page = views[:limit]
    more = len(views) > limit
    response.headers.update(NO_STORE)
    return MyAppointmentPage(
        items=[MyAppointment.of(view) for view in page],
        tab=tab,
        next_cursor=encode_cursor(tab, page[-1]) if more else None,
    )


def _record(
    db: Session, caller: Caller, view: AppointmentView
) -> treatments.TreatmentRecord | None:
    """The treatment record of the completed visit; None before then, or until written."""
    try:
        return treatments.treatment_for_patient(
            db, patient_id=patient_id(caller), appointment_id=view.id
        )
    except NotFound:
        return None


@router.get(
    "/appointments/{appointment_id}",
    response_model=MyAppointmentDetail,
    summary="One of my appointments",
    description=(
        "The appointment with its payment (status, method, transaction id; a refund when "
        "cancelled after paying), what you may do now, and once the visit is completed "
        "the doctor's treatment record with a link to the prescription PDF. Another "
        f"patient's appointment answers 404, like one that does not exist. {PATIENTS_ONLY}"
    ),
    responses={**PATIENT_REFUSALS, **problems(404, 422)},
)
def appointment(
    caller: Patient, appointment_id: AppointmentId, response: Response
) -> MyAppointmentDetail:
    with session_scope() as db:
        view = booking.get_appointment(
            db, appointment_id=appointment_id, patient_id=patient_id(caller), now=utcnow()
        )
        record = _record(db, caller, view)
    response.headers.update(NO_STORE)
    return MyAppointmentDetail.of_visit(view, record)


@router.get(
    "/appointments/{appointment_id}/calendar.ics",
    response_class=Response,
    summary="Add to calendar (.ics)",
    description=(
        "The appointment as an iCalendar file (RFC 5545, `text/calendar`): one event at "
        "the hospital, tentative while unpaid, cancelled once cancelled. " + PATIENTS_ONLY
    ),
    responses={
        200: {
            "description": "The calendar file",
            "content": {"text/calendar": {"schema": {"type": "string"}}},
        },
        **PATIENT_REFUSALS,
        **problems(404, 422),
    },
)
def calendar_file(caller: Patient, appointment_id: AppointmentId, response: Response) -> Response:
    now = utcnow()
    with session_scope() as db:
        view = booking.get_appointment(
            db, appointment_id=appointment_id, patient_id=patient_id(caller), now=now
        )
    return Response(
        calendar_ics(view, now=now),
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{calendar_filename(view)}"',
            **NO_STORE,
            **response.headers,  # the rate limits
        },
    )


@router.get(
    "/appointments/{appointment_id}/prescription.pdf",
    response_class=Response,
    summary="My prescription (PDF)",
    description=(
        "The doctor's prescription of your completed visit, as an A4 PDF. 404 until the "
        "visit is completed and its record written, and for anyone else's visit. " + PATIENTS_ONLY
    ),
    responses={
        200: {
            "description": "The prescription",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
        **PATIENT_REFUSALS,
        **problems(404, 422),
    },
)
def prescription(caller: Patient, appointment_id: AppointmentId, response: Response) -> Response:
    with session_scope() as db:
        record = treatments.treatment_for_patient(
            db, patient_id=patient_id(caller), appointment_id=appointment_id
        )
    return Response(
        prescription_pdf(record),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{prescription_filename(record)}"',
            **NO_STORE,
            **response.headers,  # the rate limits
        },
    )


__all__ = ["decode_cursor", "encode_cursor", "router"]
