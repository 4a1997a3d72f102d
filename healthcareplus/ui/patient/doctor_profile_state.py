"""A doctor's public profile with weekly hours and the next free slots."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.catalog import discovery
from healthcareplus.ui.shared.guard import public
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import last_path_id, to_row, to_rows
from healthcareplus.ui.shared.typed import Field, event, field


class DoctorProfileState(rx.State):
    doctor: Field[dict[str, str]] = field(default_factory=dict)
    schedule: Field[list[dict[str, str]]] = field(default_factory=list)
    next_slots: Field[list[dict[str, str]]] = field(default_factory=list)
    not_found: Field[bool] = field(False)
    loaded: Field[bool] = field(False)

    @event
    @public
    def load(self) -> None:
        self.loaded, self.not_found = False, False
        doctor_id = last_path_id(self.router.url.path) or 0
        profile = in_session(discovery.get_doctor_profile, doctor_id=doctor_id, now=utcnow())
        if isinstance(profile, Failed):
            self.not_found, self.doctor, self.schedule, self.next_slots = True, {}, [], []
        else:
            self.doctor = to_row(profile)
            self.schedule = to_rows(profile.weekly_schedule)
            self.next_slots = [
                to_row(slot, day=slot.local_date.strftime("%a, %d %b"))
                for slot in profile.next_slots
            ]
        self.loaded = True
