"""A doctor's public profile with weekly hours and the next free slots."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import NotFound
from healthcareplus.domain.catalog import discovery
from healthcareplus.ui.shared.guard import public
from healthcareplus.ui.shared.rows import last_path_id, to_row, to_rows


class DoctorProfileState(rx.State):
    doctor: dict[str, str] = {}
    schedule: list[dict[str, str]] = []
    next_slots: list[dict[str, str]] = []
    not_found: bool = False
    loaded: bool = False

    @rx.event
    @public
    def load(self) -> None:
        self.loaded, self.not_found = False, False
        doctor_id = last_path_id(self.router.url.path)
        try:
            if doctor_id is None:
                raise NotFound("No such doctor")
            with session_scope() as db:
                profile = discovery.get_doctor_profile(db, doctor_id=doctor_id, now=utcnow())
        except NotFound:
            self.not_found, self.doctor, self.schedule, self.next_slots = True, {}, [], []
        else:
            self.doctor = to_row(profile)
            self.schedule = to_rows(profile.weekly_schedule)
            self.next_slots = [
                to_row(slot, day=slot.local_date.strftime("%a, %d %b"))
                for slot in profile.next_slots
            ]
        self.loaded = True
