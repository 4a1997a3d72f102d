"""Admin: one doctor's profile, its edit form, and deactivation / reactivation with the
bookings to follow up. Every handler is admin-only; the doctor's id comes from the page
URL."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec
from sqlmodel import Session

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import doctor_views
from healthcareplus.domain.admin import doctors as svc
from healthcareplus.domain.admin.doctor_follow_ups import future_appointments
from healthcareplus.ui.admin.doctors_state import PROFILE_FIELDS, hospital_rows
from healthcareplus.ui.admin.lists import form_values
from healthcareplus.ui.admin.records import save_record
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import actor, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import form_text, last_path_id, parse_id, to_row, to_rows
from healthcareplus.ui.shared.typed import Field, event, field


def _doctor_with_follow_ups(
    db: Session, *, doctor_id: int
) -> tuple[doctor_views.DoctorDetail, list[dict[str, str]], int]:
    """The doctor, and (once deactivated) their future appointments to follow up."""
    detail = doctor_views.get_doctor(db, doctor_id=doctor_id)
    if detail.is_active:
        return detail, [], 0
    items, total = future_appointments(db, doctor_id=detail.id, now=utcnow())
    return detail, to_rows(items), total


class AdminDoctorState(rx.State):
    doctor: Field[dict[str, str]] = field(default_factory=dict)
    hospitals: Field[list[dict[str, str]]] = field(default_factory=list)
    errors: Field[dict[str, str]] = field(default_factory=dict)
    message: Field[str] = field("")
    saved: Field[str] = field("")
    follow_ups: Field[list[dict[str, str]]] = field(default_factory=list)
    follow_up_total: Field[int] = field(0)
    form_key: Field[int] = field(0)
    loaded: Field[bool] = field(False)
    not_found: Field[bool] = field(False)

    def _show(self, detail: doctor_views.DoctorDetail) -> None:
        self.doctor = to_row(detail)
        self.form_key += 1

    def _doctor_id(self) -> int:
        return parse_id(self.doctor.get("id")) or 0

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self.loaded, self.not_found, self.doctor = False, False, {}
        self.errors, self.message, self.saved = {}, "", ""
        self.follow_ups, self.follow_up_total = [], 0
        doctor_id = last_path_id(self.router.url.path) or 0
        found = in_session(_doctor_with_follow_ups, doctor_id=doctor_id)
        if isinstance(found, Failed):
            self.not_found = True
        else:
            detail, self.follow_ups, self.follow_up_total = found
            self.hospitals = hospital_rows()
            self._show(detail)
        self.loaded = True

    @event
    @requires(Role.ADMIN)
    def save(self, form_data: FormData) -> EventSpec | None:
        values = form_values(form_data, PROFILE_FIELDS)
        return save_record(
            self,
            svc.update_doctor,
            saved="Profile saved.",
            toast="Doctor profile saved.",
            doctor_id=self._doctor_id(),
            **values,
        )

    def _set_active(self, active: bool, reason: str) -> EventSpec:
        result = in_session(
            svc.set_active,
            doctor_id=self._doctor_id(),
            active=active,
            reason=reason,
            **actor(),
            now=utcnow(),
        )
        if isinstance(result, Failed):
            return result.toast()
        self._show(result.doctor)
        self.follow_ups = to_rows(result.follow_ups)
        self.follow_up_total = result.follow_up_total
        done = "reactivated: patients can find and book them again" if active else "deactivated"
        return rx.toast.success(f"{result.doctor.name} {done}.")

    @event
    @requires(Role.ADMIN)
    def deactivate(self, form_data: FormData) -> EventSpec:
        return self._set_active(False, form_text(form_data, "reason", 500))

    @event
    @requires(Role.ADMIN)
    def reactivate(self) -> EventSpec:
        return self._set_active(True, "")
