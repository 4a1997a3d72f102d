"""A doctor's public profile with weekly hours and the next free slots (each a link to
the booking wizard with that slot chosen)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.domain.catalog import discovery
from healthcareplus.ui.patient.card_slots import slot_chip
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
        doctor_id, now = last_path_id(self.router.url.path) or 0, utcnow()
        profile = in_session(discovery.get_doctor_profile, doctor_id=doctor_id, now=now)
        if isinstance(profile, Failed):
            self.not_found, self.doctor, self.schedule, self.next_slots = True, {}, [], []
        else:
            self.doctor = to_row(profile)
            self.schedule = to_rows(profile.weekly_schedule)
            today = clinic_today(now)
            self.next_slots = [
                slot_chip(profile.id, profile.name, slot, today) for slot in profile.next_slots
            ]
        self.loaded = True
