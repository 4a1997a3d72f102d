"""The doctor's patients (/doctor-portal/patients): everyone they have seen, family
members apart from their account holder, searched by name or phone, a page at a time;
and one person's page (/doctor-portal/patients/<key>): their profile and every visit with
this doctor with its whole treatment record.

The doctor is resolved from the signed-in user on every event (``as_doctor``); the person
comes from the URL and is checked by the domain against the doctor's own appointments
(``NotFound`` otherwise, as for a key that names nobody).
"""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.clinical import doctor_patients as patients
from healthcareplus.ui.doctor.portal_state import as_doctor
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import requires
from healthcareplus.ui.shared.outcome import Failed, run_domain
from healthcareplus.ui.shared.paging import PageFacts
from healthcareplus.ui.shared.rows import form_text, to_row, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

QUERY_MAX = 100
KEY_MAX = 24


class DoctorPatientsState(PageFacts, rx.State):
    rows: Field[list[dict[str, str]]] = field(default_factory=list)
    query: Field[str] = field("")
    form_key: Field[int] = field(0)
    loaded: Field[bool] = field(False)
    error: Field[str] = field("")

    def _list(self, page: int) -> None:
        found = as_doctor(patients.doctor_patients, now=utcnow(), query=self.query, page=page)
        if isinstance(found, Failed):
            self.error, self.rows = found.message, []
            return
        self.rows = to_rows(found.items, counts=("visits",))
        self._show_page_facts(found.paging)

    @event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.reset()
        self._list(1)
        self.loaded = True

    @event
    @requires(Role.DOCTOR)
    def search(self, form: FormData) -> None:
        self.query = " ".join(form_text(form, "q", QUERY_MAX).split())
        self._list(1)

    @event
    @requires(Role.DOCTOR)
    def clear_search(self) -> None:
        self.query = ""
        self.form_key += 1
        self._list(1)

    @event
    @requires(Role.DOCTOR)
    def go_to_page(self, page: int) -> None:
        if type(page) is int:  # a crafted event may send anything
            self._list(page)


class DoctorPatientHistoryState(rx.State):
    patient: Field[dict[str, str]] = field(default_factory=dict)
    summary: Field[dict[str, str]] = field(default_factory=dict)  # key, completed, more
    visits: Field[list[dict[str, str]]] = field(default_factory=list)
    lines: Field[list[dict[str, str]]] = field(default_factory=list)  # each with its visit
    loaded: Field[bool] = field(False)
    not_found: Field[bool] = field(False)
    error: Field[str] = field("")

    @event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.reset()
        key = self.router.url.path.rstrip("/").rsplit("/", 1)[-1][:KEY_MAX]
        person = run_domain(patients.parse_patient_key, key)
        found = (
            person
            if isinstance(person, Failed)
            else as_doctor(
                patients.patient_history,
                patient_id=person[0],
                dependant_id=person[1],
                now=utcnow(),
            )
        )
        if isinstance(found, Failed):
            self.not_found = found.not_found
            self.error = "" if found.not_found else found.message
            self.loaded = True
            return
        self.patient = to_row(found.patient)
        self.summary = to_row(found, counts=("completed",))
        self.visits = to_rows(found.visits)
        self.lines = [
            to_row(line, appointment_id=visit.appointment_id)
            for visit in found.visits
            for line in visit.items
        ]
        self.loaded = True
