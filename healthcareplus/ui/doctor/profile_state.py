"""The doctor's own profile (/doctor-portal/profile): qualifications, languages, about and
medical registration, and a fee change request for an admin to decide
(``domain.admin.doctor_self_service``). Every handler acts only on the caller's own
profile: no handler takes a doctor id."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import format_local_date, format_rupees
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import doctor_self_service as own
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import form_text
from healthcareplus.ui.shared.typed import Field, event, field

PROFILE_FIELDS = (
    ("qualification", 200),
    ("languages", 400),
    ("about", 2000),
    ("registration_number", 40),
    ("registration_council", 80),
)
STATUS_TEXT = {
    "pending": "Waiting for the clinic's decision",
    "approved": "Approved",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
}


def profile_view(profile: own.OwnProfile) -> dict[str, str]:
    return {
        "name": profile.name,
        "specialization": profile.specialization,
        "hospital": profile.hospital,
        "fee": format_rupees(profile.fee_paise),
        "photo_url": profile.photo_url or "",
        "qualification": profile.qualification,
        "languages": ", ".join(profile.languages),
        "about": profile.about,
        "registration_number": profile.registration_number,
        "registration_council": profile.registration_council,
    }


def request_view(request: own.FeeRequestView | None) -> dict[str, str]:
    if request is None:
        return {}
    decided = format_local_date(request.decided_at) if request.decided_at else ""
    return {
        "status": request.status,
        "status_text": STATUS_TEXT.get(request.status, request.status),
        "from": format_rupees(request.current_fee_paise),
        "to": format_rupees(request.requested_fee_paise),
        "reason": request.reason,
        "asked": format_local_date(request.requested_at),
        "decided": decided,
        "note": request.decision_note,
    }


class DoctorOwnProfileState(rx.State):
    profile: Field[dict[str, str]] = field(default_factory=dict)
    fee_request: Field[dict[str, str]] = field(default_factory=dict)
    errors: Field[dict[str, str]] = field(default_factory=dict)
    fee_errors: Field[dict[str, str]] = field(default_factory=dict)
    form_key: Field[int] = field(0)
    saved: Field[str] = field("")
    loaded: Field[bool] = field(False)
    error: Field[str] = field("")

    def _show(self, profile: own.OwnProfile) -> None:
        self.profile = profile_view(profile)
        self.fee_request = request_view(profile.latest_fee_request)
        self.form_key += 1

    @event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.reset()
        profile = in_session(own.own_profile, actor_id=current_viewer().id)
        if isinstance(profile, Failed):
            self.error = profile.message
        else:
            self._show(profile)
        self.loaded = True

    @event
    @requires(Role.DOCTOR)
    def save(self, form: FormData) -> EventSpec | None:
        self.errors, self.saved = {}, ""
        values = {name: form_text(form, name, limit) for name, limit in PROFILE_FIELDS}
        profile = in_session(
            own.update_own_profile, actor_id=current_viewer().id, values=values, now=utcnow()
        )
        if isinstance(profile, Failed):
            self.errors, reply = profile.fields_or_toast()
            return reply
        self._show(profile)
        self.saved = "Profile saved. Patients see it at once."
        return None

    @event
    @requires(Role.DOCTOR)
    def request_fee(self, form: FormData) -> EventSpec | None:
        self.fee_errors = {}
        profile = in_session(
            own.request_fee_change,
            actor_id=current_viewer().id,
            fee_rupees=form_text(form, "fee_rupees", 10),
            reason=form_text(form, "reason", 500),
            now=utcnow(),
        )
        if isinstance(profile, Failed):
            self.fee_errors, reply = profile.fields_or_toast()
            return reply
        self._show(profile)
        return rx.toast.success("Fee change sent to the clinic for approval.")

    @event
    @requires(Role.DOCTOR)
    def withdraw_fee(self) -> EventSpec | None:
        profile = in_session(own.withdraw_fee_request, actor_id=current_viewer().id, now=utcnow())
        if isinstance(profile, Failed):
            return profile.toast()
        self._show(profile)
        return rx.toast.info("Fee change request withdrawn.")
