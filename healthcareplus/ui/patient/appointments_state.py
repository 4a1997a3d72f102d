"""My appointments: upcoming/past/cancelled lists, one appointment's details, cancel, the
calendar file; and ``as_patient``, how the patient's states call the domain on the
caller's behalf."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import reflex as rx
from reflex.event import EventSpec
from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.i18n import gettext
from healthcareplus.core.models import Role
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.booking import calendar_file as ics
from healthcareplus.domain.booking.change_markers import patient_change_marker
from healthcareplus.domain.booking.views import TABS, Tab
from healthcareplus.domain.catalog.reviews import visit_reviews
from healthcareplus.domain.clinical import records as treatments
from healthcareplus.ui.doctor.record_components import prescription_download
from healthcareplus.ui.shared.guard import actor, current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session, run_domain
from healthcareplus.ui.shared.rows import to_row, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

T = TypeVar("T")


def as_patient(fn: Callable[..., T], /, **kwargs: Any) -> T | Failed:
    """``fn(db, patient_id=<the caller>, **kwargs)`` in one unit of work, or ``Failed``
    (the domain refuses what is not the caller's own)."""
    return in_session(fn, patient_id=current_viewer().id, **kwargs)


def _tab(name: object) -> Tab:
    """The tab ``name`` names, else "upcoming" (a crafted or stale value shows nothing else)."""
    return next((tab for tab in TABS if tab == name), "upcoming")


def _row(view: booking.AppointmentView) -> dict[str, str]:
    deadline = view.hold_expires_at.isoformat() if view.hold_expires_at else ""
    # The payment's wording and method in the caller's language (English msgids).
    return to_row(
        view,
        hold_deadline=deadline,
        payment_label=gettext(view.payment_label),
        payment_method=gettext(view.payment_method) if view.payment_method else "",
    )


class AppointmentsState(rx.State):
    tab: Field[str] = field("upcoming")
    items: Field[list[dict[str, str]]] = field(default_factory=list)
    loaded: Field[bool] = field(False)
    _marker: str = ""  # the fingerprint of the patient's appointments the list was read at

    def _fetch(self) -> None:
        with session_scope() as db:
            self._marker = patient_change_marker(db, patient_id=current_viewer().id)
            views = booking.list_appointments(
                db, patient_id=current_viewer().id, tab=_tab(self.tab), now=utcnow()
            )
            # "rate" / "edit" on a completed visit: the review it may get (catalog.reviews).
            offers = visit_reviews(
                db,
                patient_id=current_viewer().id,
                appointment_ids=[v.id for v in views],
                now=utcnow(),
            )
        self.items = [
            _row(v) | {"review": offers[v.id].action if v.id in offers else ""} for v in views
        ]
        self.loaded = True

    @event
    @requires(Role.PATIENT)
    def load(self) -> None:
        self.tab = _tab(self.router.url.query_parameters.get("tab"))
        self._fetch()

    @event
    @requires(Role.PATIENT)
    def tick(self, _moment: Any = None) -> None:
        """Read the list again when the patient's appointments changed elsewhere (the
        clinic cancelled or moved a visit, a refund, another device); cheap otherwise."""
        if not self.loaded:
            return
        with session_scope() as db:
            marker = patient_change_marker(db, patient_id=current_viewer().id)
        if marker != self._marker:
            self._fetch()

    @event
    @requires(Role.PATIENT)
    def switch_tab(self, tab: str) -> None:
        if tab in TABS:
            self.tab = tab
            self._fetch()

    @event
    @requires(Role.PATIENT)
    def cancel(self, appointment_id: str) -> EventSpec:
        message = _cancel(str(appointment_id)[:36])
        self._fetch()
        return message


def _cancel(appointment_id: str) -> EventSpec:
    appointment = in_session(
        booking.cancel, appointment_id=appointment_id, **actor(), reason="", now=utcnow()
    )
    if isinstance(appointment, Failed):
        return appointment.toast()
    refunded = appointment.payment_status == "Refunded"
    return rx.toast.success(
        gettext("Appointment cancelled. Your payment will be refunded.")
        if refunded
        else gettext("Appointment cancelled.")
    )


def _with_record(
    db: Session, *, appointment_id: str, now: datetime
) -> tuple[booking.AppointmentView, treatments.TreatmentRecord | None]:
    """The caller's appointment and its treatment record (None: not completed, or no
    record written)."""
    mine = {"patient_id": current_viewer().id}
    view = booking.get_appointment(db, appointment_id=appointment_id, now=now, **mine)
    record = run_domain(treatments.treatment_for_patient, db, appointment_id=view.id, **mine)
    return view, None if isinstance(record, Failed) else record


class AppointmentDetailState(rx.State):
    item: Field[dict[str, str]] = field(default_factory=dict)
    # the doctor's treatment record of a completed visit
    record: Field[dict[str, str]] = field(default_factory=dict)
    prescription: Field[list[dict[str, str]]] = field(default_factory=list)
    just_confirmed: Field[bool] = field(False)
    loaded: Field[bool] = field(False)
    not_found: Field[bool] = field(False)

    def _item_id(self) -> str:
        return self.item.get("id", "")

    def _fetch(self, appointment_id: str) -> None:
        """Show the caller's appointment with its treatment record, or "not found"."""
        self.record, self.prescription = {}, []
        found = in_session(_with_record, appointment_id=appointment_id, now=utcnow())
        if isinstance(found, Failed):
            self.not_found, self.item = True, {}
            return
        view, record = found
        self.item = _row(view)
        self.record = to_row(record) if record else {}
        self.prescription = to_rows(record.items) if record else []

    @event
    @requires(Role.PATIENT)
    def load(self) -> None:
        self.loaded, self.not_found = False, False
        self.just_confirmed = self.router.url.query_parameters.get("confirmed") == "1"
        self._fetch(self.router.url.path.rstrip("/").rsplit("/", 1)[-1][:36])
        self.loaded = True

    @event
    @requires(Role.PATIENT)
    def cancel(self) -> EventSpec | None:
        appointment_id = self._item_id()
        if not appointment_id:
            return None
        message = _cancel(appointment_id)
        self._fetch(appointment_id)  # "not found" if not (or no longer) the caller's
        self.just_confirmed = False
        return message

    @event
    @requires(Role.PATIENT)
    def download_calendar(self) -> EventSpec | None:
        view = as_patient(booking.get_appointment, appointment_id=self._item_id(), now=utcnow())
        if isinstance(view, Failed):
            return rx.redirect(routes.APPOINTMENTS)
        return rx.download(data=ics.calendar_ics(view), filename=ics.calendar_filename(view))

    @event
    @requires(Role.PATIENT)
    def download_prescription(self) -> EventSpec:
        record = as_patient(treatments.treatment_for_patient, appointment_id=self._item_id())
        return prescription_download(record)
