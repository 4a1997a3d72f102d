"""One patient at the front desk (/desk/patients/<id>): who they are, their visits at the
desk's hospitals with what can be done to each (confirm and take the fee, move, cancel,
print the receipt), booking a new visit through the booking wizard, and the invitation
to claim the account."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.accounts.passwords import has_password
from healthcareplus.domain.desk import patients, visits
from healthcareplus.domain.desk.staff import desk_hospitals
from healthcareplus.ui.desk.patients_state import DESK
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import find_row, form_text, last_path_id, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

NOT_LISTED = "That visit is not in the list. Refresh the page."
PAYMENTS = ("pay_at_clinic", "cash", "card", "upi")


class DeskPatientState(rx.State):
    patient: Field[dict[str, str]] = field(default_factory=dict)
    visits: Field[list[dict[str, str]]] = field(default_factory=list)
    hospitals: Field[list[dict[str, str]]] = field(default_factory=list)
    doctors: Field[list[dict[str, str]]] = field(default_factory=list)
    hospital_id: Field[str] = field("")
    errors: Field[dict[str, str]] = field(default_factory=dict)
    cancelling: Field[str] = field("")  # the visit whose cancel dialog is open
    loaded: Field[bool] = field(False)
    not_found: Field[bool] = field(False)

    def _patient_id(self) -> int:
        return int(self.patient.get("id", "0") or 0)

    def _fetch(self) -> bool:
        actor_id, now = current_viewer().id, utcnow()
        found = in_session(
            patients.desk_patient, actor_id=actor_id, patient_id=self._patient_id(), now=now
        )
        rows = in_session(
            visits.patient_visits, actor_id=actor_id, patient_id=self._patient_id(), now=now
        )
        if isinstance(found, Failed) or isinstance(rows, Failed):
            self.not_found = True
            return False
        self.patient = {
            "id": str(found.id),
            "name": found.name,
            "phone": found.phone,
            "email": found.email,
            "claimed": "true" if has_password(found.password_hash) else "false",
        }
        self.visits = to_rows(rows)
        return True

    def _load_doctors(self) -> None:
        hospital = int(self.hospital_id) if self.hospital_id.isdigit() else 0
        listed = in_session(
            visits.desk_doctors, actor_id=current_viewer().id, hospital_id=hospital, now=utcnow()
        )
        self.doctors = [] if isinstance(listed, Failed) else to_rows(listed)

    @event
    @requires(*DESK)
    def load(self) -> None:
        self.reset()
        self.patient = {"id": str(last_path_id(self.router.url.path) or 0)}
        if self._fetch():
            listed = in_session(desk_hospitals, actor_id=current_viewer().id, now=utcnow())
            self.hospitals = [] if isinstance(listed, Failed) else to_rows(listed)
            if self.hospitals:
                self.hospital_id = self.hospitals[0]["id"]
                self._load_doctors()
        self.loaded = True

    @event
    @requires(*DESK)
    def choose_hospital(self, hospital_id: str) -> None:
        if isinstance(hospital_id, str) and find_row(self.hospitals, "id", hospital_id):
            self.hospital_id = hospital_id
            self._load_doctors()

    @event
    @requires(*DESK)
    def book(self, form_data: FormData) -> EventSpec | None:
        doctor = find_row(self.doctors, "id", form_text(form_data, "doctor_id", 12))
        if doctor is None or not self.patient.get("name"):
            self.errors = {"doctor_id": "Choose the doctor."}
            return None
        self.errors = {}
        query = urlencode({"for": self.patient["id"]})
        return rx.redirect(f"{routes.book_url(doctor['id'])}?{query}")

    def _visit(self, form_data: FormData, **must: str) -> dict[str, str] | None:
        return find_row(self.visits, "id", form_text(form_data, "appointment_id", 36), **must)

    def _after(self, done: object, message: str) -> list[EventSpec]:
        if isinstance(done, Failed):
            return [done.toast()]
        self._fetch()
        return [rx.toast.success(message)]

    @event
    @requires(*DESK)
    def confirm(self, form_data: FormData) -> list[EventSpec]:
        row = self._visit(form_data, can_confirm="true")
        payment = form_text(form_data, "payment", 16)
        if row is None or payment not in PAYMENTS:
            return [rx.toast.error(NOT_LISTED if row is None else visits.CHOOSE_PAYMENT)]
        done = in_session(visits.confirm_at_desk, actor_id=current_viewer().id,
                          appointment_id=row["id"], payment=payment, now=utcnow())  # fmt: skip
        paid = "" if payment == "pay_at_clinic" else " Fee received: the receipt is ready."
        return self._after(done, f"Visit confirmed.{paid}")

    @event
    @requires(*DESK)
    def take_payment(self, form_data: FormData) -> list[EventSpec]:
        row = self._visit(form_data, can_take_payment="true")
        if row is None:
            return [rx.toast.error(NOT_LISTED)]
        done = in_session(visits.take_payment, actor_id=current_viewer().id,
                          appointment_id=row["id"], payment=form_text(form_data, "payment", 16),
                          now=utcnow())  # fmt: skip
        return self._after(done, "Fee received: the receipt is ready.")

    @event
    @requires(*DESK)
    def open_cancel(self, appointment_id: str) -> None:
        row = find_row(self.visits, "id", appointment_id, can_cancel="true")
        self.cancelling = row["id"] if row is not None else ""

    @event
    @requires(*DESK)
    def close_cancel(self, is_open: bool = False) -> None:
        if is_open is not True:
            self.cancelling = ""

    @event
    @requires(*DESK)
    def cancel(self, form_data: FormData) -> list[EventSpec]:
        row = find_row(self.visits, "id", self.cancelling, can_cancel="true")
        if row is None:
            return [rx.toast.error(NOT_LISTED)]
        done = in_session(visits.cancel_for_patient, actor_id=current_viewer().id,
                          appointment_id=row["id"], reason=form_text(form_data, "reason", 500),
                          now=utcnow())  # fmt: skip
        if not isinstance(done, Failed):
            self.cancelling = ""
        return self._after(done, "Visit cancelled. The patient has been told.")

    @event
    @requires(*DESK)
    def invite(self, form_data: FormData) -> list[EventSpec] | None:
        sent = in_session(patients.invite_to_claim, actor_id=current_viewer().id,
                          patient_id=self._patient_id(), email=form_text(form_data, "email", 254),
                          now=utcnow())  # fmt: skip
        if isinstance(sent, Failed):
            self.errors, toast = sent.fields_or_toast()
            return [toast] if toast is not None else None
        self.errors = {}
        self._fetch()
        return [rx.toast.success(f"Invitation sent to {sent}.")]


__all__ = ["DeskPatientState"]
