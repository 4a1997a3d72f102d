"""The booking wizard: date and time on one screen, then the reason and summary, then
confirm (also reschedules). ``?start=<instant>`` (the doctor cards' slot chips) opens it
with that slot chosen while it is still free.

Steps: 1 the date strip with no day open, 2 a day open with its slots, 3 a slot chosen
(the summary); the page shows steps 1 and 2 as the one date-and-time screen."""

from __future__ import annotations

from datetime import datetime

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import SlotUnavailable
from healthcareplus.core.i18n import N_, gettext
from healthcareplus.core.models import Role
from healthcareplus.ui.patient.booking_actions import (
    Caller,
    calendar_of,
    hold_or_move,
    open_wizard,
    slots_of_day,
)
from healthcareplus.ui.patient.booking_slots import (
    clinic_day_iso,
    first_bookable,
    free_slot_at,
    parse_start,
)
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session, run_domain
from healthcareplus.ui.shared.rows import find_row, form_text, parse_id
from healthcareplus.ui.shared.typed import Field, event, field

MAX_REASON = 500
LINK_UNREADABLE = N_("That link's time could not be read. Please pick a time below.")
LINK_SLOT_GONE = N_("That time is no longer available. Please pick another one.")
# Once the strip is drawn, scroll it (not the page) so the chosen day is in view.
# The patient books for themselves; the front desk (or an admin) for a patient, and they
# and the patient's doctor move a visit (``booking_actions``).
WIZARD_USERS = (Role.PATIENT, Role.FRONT_DESK, Role.ADMIN, Role.DOCTOR)
SHOW_CHOSEN_DAY = """requestAnimationFrame(() => requestAnimationFrame(() => {
  const day = document.querySelector('[data-testid="date-strip"] [aria-pressed="true"]');
  if (day) day.scrollIntoView({block: "nearest", inline: "center"});
}))"""


class BookingState(rx.State):
    mode: Field[str] = field("book")  # or "reschedule"
    appointment_id: Field[str] = field("")
    doctor: Field[dict[str, str]] = field(default_factory=dict)
    days: Field[list[dict[str, str]]] = field(default_factory=list)
    day: Field[str] = field("")
    day_label: Field[str] = field("")
    month: Field[str] = field("")
    slots: Field[list[dict[str, str]]] = field(default_factory=list)
    periods: Field[list[dict[str, str]]] = field(default_factory=list)
    slot: Field[str] = field("")
    slot_label: Field[str] = field("")
    reason: Field[str] = field("")
    step: Field[int] = field(1)
    error: Field[str] = field("")
    reason_error: Field[str] = field("")
    loaded: Field[bool] = field(False)
    not_found: Field[bool] = field(False)
    busy: Field[bool] = field(False)
    # Who the visit may be for: the patient's family members ("Myself" is the default),
    # or, when rescheduling, whom the appointment is for.
    people: Field[list[dict[str, str]]] = field(default_factory=list)
    for_label: Field[str] = field("")
    # Staff only: whom they book for (shown), and who that is (kept on the server).
    booked_for: Field[str] = field("")
    _patient_id: int = 0

    def _reset_wizard(self) -> None:
        self.days, self.slots, self.periods = [], [], []
        self.day = self.slot = self.day_label = self.slot_label = self.month = ""
        self.step, self.error, self.reason_error, self.reason = 1, "", "", ""
        self.loaded, self.not_found, self.busy, self.appointment_id = False, False, False, ""
        self.people, self.for_label, self.booked_for, self._patient_id = [], "", "", 0

    def _open(self, path: str) -> None:
        """Open the wizard on the page's doctor, or on the appointment to reschedule."""
        opened = open_wizard(path, caller=self._caller(), now=utcnow())
        self.mode, self.appointment_id = opened.mode, opened.appointment_id
        self.doctor, self.days = opened.doctor, opened.days
        self.reason, self.error = opened.reason, opened.error
        self.people, self.for_label = list(opened.people), opened.for_label
        self.booked_for, self._patient_id = opened.patient_name, opened.patient_id

    def _caller(self) -> Caller:
        viewer = current_viewer()
        chosen = parse_id(self.router.url.query_parameters.get("for", ""))
        return Caller(viewer.id, viewer.role, chosen)

    def _preselect(self, raw: str | None) -> None:
        """Open the day of the slot ``?start=`` names, with that slot chosen while it is
        free; else the first day with a free slot, saying why when a slot was asked for."""
        wanted = parse_start(raw)
        day = (
            find_row(self.days, "iso", clinic_day_iso(wanted), bookable="true") if wanted else None
        )
        if (day := day or first_bookable(self.days)) is not None:
            self._open_day(day)
        slot = free_slot_at(self.slots, wanted) if wanted else None
        if slot is not None:
            self.slot, self.slot_label, self.step = slot["start"], slot["label"], 3
        elif raw:
            self.error = gettext(LINK_SLOT_GONE if wanted else LINK_UNREADABLE)

    @event
    @requires(*WIZARD_USERS)
    def load(self) -> None:
        self._reset_wizard()
        if isinstance(run_domain(self._open, self.router.url.path), Failed):
            self.not_found = True
        elif not self.error:  # an appointment that can no longer move opens no day
            self._preselect(self.router.url.query_parameters.get("start"))
        self.loaded = True

    def _refresh_slots(self) -> None:
        doctor_id = int(self.doctor.get("id", "0") or 0)
        self.slots, self.periods = slots_of_day(doctor_id, self.day, self.day_label, utcnow())

    def _open_day(self, day: dict[str, str]) -> None:
        self.day, self.day_label, self.month = day["iso"], day["date_label"], day["month"]
        self.slot, self.slot_label, self.error, self.step = "", "", "", 2
        self._refresh_slots()

    @event
    @requires(*WIZARD_USERS)
    def choose_day(self, iso: str) -> None:
        match = find_row(self.days, "iso", iso, bookable="true")
        if match is None:
            self.error = gettext("That day has no free slots. Please pick another date.")
            return
        self._open_day(match)

    @event
    @requires(*WIZARD_USERS)
    def choose_slot(self, start: str) -> None:
        match = find_row(self.slots, "start", start, state="free")
        if match is None:
            self.error = gettext("That time is not available. Please pick a free slot.")
            return
        self.slot, self.slot_label, self.error, self.step = start, match["label"], "", 3

    @event
    @requires(*WIZARD_USERS)
    def go_to_step(self, step: int) -> EventSpec | None:
        if type(step) is int and 1 <= step <= self.step:  # not bool, str or float
            self.step, self.error = step, ""
            if step == 2:  # a phone shows a few days of the strip: bring the chosen one in
                return rx.call_script(SHOW_CHOSEN_DAY)
        return None

    def _slot_taken(self, message: str) -> None:
        """Someone else got the slot first: the day again, its counts and slots as now."""
        self.error, self.step, self.slot, self.slot_label = message, 2, "", ""
        self.days = calendar_of(int(self.doctor["id"]), utcnow())
        self._refresh_slots()

    @event
    @requires(*WIZARD_USERS)
    def confirm(self, form_data: FormData) -> list | None:
        if self.busy or not self.slot:
            return None
        reason = form_data.get("reason", "") if isinstance(form_data, dict) else ""
        self.reason = reason[:MAX_REASON] if isinstance(reason, str) else ""
        person = form_text(form_data, "dependant_id", 12)  # "" for the patient
        if person and find_row(self.people, "id", person) is None:
            self.error = "Choose who this visit is for."
            return None
        self.busy, self.error, self.reason_error = True, "", ""
        caller = self._caller()
        try:
            outcome = in_session(
                hold_or_move,
                mode=self.mode,
                appointment_id=self.appointment_id,
                doctor_id=int(self.doctor.get("id", "0") or 0),
                start=datetime.fromisoformat(self.slot),
                reason=self.reason,
                when=f"{self.day_label}, {self.slot_label}",
                patient_id=self._patient_id if caller.staff else current_viewer().id,
                now=utcnow(),
                dependant_id=int(person) if person else None,
                caller=caller,
            )
        finally:
            self.busy = False
        if isinstance(outcome, Failed) and isinstance(outcome.error, SlotUnavailable):
            self._slot_taken(outcome.message)
        elif isinstance(outcome, Failed) and outcome.invalid:
            self.reason_error = outcome.field("reason")
        elif isinstance(outcome, Failed):
            self.error = outcome.message
        else:
            return outcome
        return None
