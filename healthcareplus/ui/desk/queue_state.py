"""The front desk's queue (/desk/queue): today's visits of one hospital per doctor, with
"Check in" on the expected ones (the token shows big), "Call in" and "Done" on the arrived
ones, and the waiting-room screen's address.

The page sends ``tick`` every few seconds while it is visible: the queue is read again (two
indexed queries) and sent only when it changed. Every action checks that the visit is in
the listed queue in the expected stage, then the domain checks everything again.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today, format_local_time
from healthcareplus.core.models import Role
from healthcareplus.domain.desk import queue, queue_views
from healthcareplus.domain.desk.staff import desk_hospitals
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import find_row, parse_id
from healthcareplus.ui.shared.typed import Field, event, field

DESK = (Role.FRONT_DESK.value, Role.ADMIN.value)
NOT_LISTED = "That visit is not in the queue as shown. The queue has been refreshed."
NO_HOSPITAL = "You are not assigned to a hospital yet. Please ask an administrator."


def _items(day: queue_views.DayQueue) -> list[dict[str, str]]:
    """The page's one list: per doctor a heading, the arrivals by token, then the visits
    still expected (``kind`` tells the page how to draw each)."""
    items: list[dict[str, str]] = []
    for doctor in day.doctors:
        counts = f"{doctor.waiting} waiting · {doctor.with_doctor} with the doctor"
        items.append(
            {
                "kind": "doctor",
                "key": f"d{doctor.doctor_id}",
                "doctor_id": str(doctor.doctor_id),
                "title": doctor.doctor_name,
                "detail": f"{doctor.specialization} · {counts} · {doctor.done} done",
            }
        )
        for row in doctor.arrived:
            items.append(_visit("arrived", doctor.doctor_id, doctor.doctor_name, row))
        for row in doctor.expected:
            items.append(_visit("expected", doctor.doctor_id, doctor.doctor_name, row))
        if not doctor.arrived and not doctor.expected:
            items.append({"kind": "none", "key": f"n{doctor.doctor_id}"})
    return items


def _visit(
    kind: str, doctor_id: int, doctor_name: str, row: queue_views.QueueRow
) -> dict[str, str]:
    return {
        "kind": kind,
        "key": row.appointment_id,
        "appointment_id": row.appointment_id,
        "doctor_id": str(doctor_id),
        "doctor_name": doctor_name,
        "token": str(row.token) if row.token else "",
        "patient_name": row.patient_name,
        "stage": row.stage,
        "stage_label": row.stage_label,
        "time_label": row.time_label,
        "arrived_label": row.arrived_label,
    }


class DeskQueueState(rx.State):
    hospitals: Field[list[dict[str, str]]] = field(default_factory=list)  # id, label
    hospital_id: Field[str] = field("")
    hospital_name: Field[str] = field("")
    day_label: Field[str] = field("")
    items: Field[list[dict[str, str]]] = field(default_factory=list)
    last: Field[dict[str, str]] = field(default_factory=dict)  # the latest check-in
    screen_path: Field[str] = field("")
    updated_at: Field[str] = field("")
    loaded: Field[bool] = field(False)
    error: Field[str] = field("")

    def _refresh(self) -> Failed | None:
        """Read the queue again; assign only what changed (a quiet tick sends nothing)."""
        now = utcnow()
        day = in_session(
            queue_views.day_queue,
            actor_id=current_viewer().id,
            hospital_id=parse_id(self.hospital_id),
            day=clinic_today(now),
            now=now,
        )
        if isinstance(day, Failed):
            self.items = []
            return day
        items = _items(day)
        if items != self.items:
            self.items = items
        if day.hospital_name != self.hospital_name:
            self.hospital_name = day.hospital_name
        if day.day_label != self.day_label:
            self.day_label = day.day_label
        self.updated_at = format_local_time(now)
        return None

    @event
    @requires(*DESK)
    def load(self) -> None:
        self.reset()
        choices = in_session(desk_hospitals, actor_id=current_viewer().id, now=utcnow())
        if isinstance(choices, Failed):
            self.error, self.loaded = choices.message, True
            return
        if not choices:
            self.error, self.loaded = NO_HOSPITAL, True
            return
        self.hospitals = [{"id": str(h.id), "label": f"{h.name}, {h.city}"} for h in choices]
        wanted = str(self.router.url.query_parameters.get("hospital", ""))
        ids = [h["id"] for h in self.hospitals]
        self.hospital_id = wanted if wanted in ids else ids[0]
        failed = self._refresh()
        self.error = failed.message if failed else ""
        self.loaded = True

    @event
    @requires(*DESK)
    def choose_hospital(self, hospital_id: str) -> None:
        if not isinstance(hospital_id, str) or find_row(self.hospitals, "id", hospital_id) is None:
            return
        if hospital_id != self.hospital_id:
            self.hospital_id, self.last, self.screen_path = hospital_id, {}, ""
            failed = self._refresh()
            self.error = failed.message if failed else ""

    @event
    @requires(*DESK)
    def tick(self) -> None:
        if self.loaded and not self.error:
            self._refresh()

    def _listed(self, appointment_id: object, kind: str, stage: str) -> dict[str, str] | None:
        if not isinstance(appointment_id, str):
            return None
        return find_row(self.items, "key", appointment_id, kind=kind, stage=stage)

    def _after(self, done: object, message: str) -> list[EventSpec]:
        failed = self._refresh()
        if isinstance(done, Failed):
            return [done.toast()]
        events = [rx.toast.success(message)]
        return events + ([failed.toast()] if failed else [])

    @event
    @requires(*DESK)
    def check_in(self, appointment_id: str) -> list[EventSpec]:
        row = self._listed(appointment_id, "expected", "")
        if row is None:
            self._refresh()
            return [rx.toast.error(NOT_LISTED)]
        done = in_session(
            queue.check_in,
            actor_id=current_viewer().id,
            appointment_id=row["appointment_id"],
            now=utcnow(),
        )
        if isinstance(done, queue.CheckedIn):
            self.last = {
                "token": str(done.token),
                "patient_name": done.patient_name,
                "doctor_name": row["doctor_name"],
            }
            message = f"Token {done.token}: {done.patient_name} ({row['doctor_name']})"
            return self._after(done, message)
        return self._after(done, "")

    @event
    @requires(*DESK)
    def call_in(self, appointment_id: str) -> list[EventSpec]:
        row = self._listed(appointment_id, "arrived", "waiting")
        if row is None:
            self._refresh()
            return [rx.toast.error(NOT_LISTED)]
        done = in_session(
            queue.call_in,
            actor_id=current_viewer().id,
            appointment_id=row["appointment_id"],
            now=utcnow(),
        )
        return self._after(done, f"Token {row['token']} called in to {row['doctor_name']}.")

    @event
    @requires(*DESK)
    def finish(self, appointment_id: str) -> list[EventSpec]:
        row = self._listed(appointment_id, "arrived", "with_doctor")
        if row is None:
            self._refresh()
            return [rx.toast.error(NOT_LISTED)]
        done = in_session(
            queue.finish,
            actor_id=current_viewer().id,
            appointment_id=row["appointment_id"],
            now=utcnow(),
        )
        return self._after(done, f"Token {row['token']} is done.")

    @event
    @requires(*DESK)
    def undo_check_in(self, appointment_id: str) -> list[EventSpec]:
        row = self._listed(appointment_id, "arrived", "waiting")
        if row is None:
            self._refresh()
            return [rx.toast.error(NOT_LISTED)]
        done = in_session(
            queue.undo_check_in,
            actor_id=current_viewer().id,
            appointment_id=row["appointment_id"],
            now=utcnow(),
        )
        if not isinstance(done, Failed) and self.last.get("token") == row["token"]:
            self.last = {}
        return self._after(done, f"Check-in of {row['patient_name']} undone.")

    def _screen(self, rotate: bool) -> str | Failed:
        return in_session(
            queue_views.screen_key_for,
            actor_id=current_viewer().id,
            hospital_id=parse_id(self.hospital_id),
            now=utcnow(),
            rotate=rotate,
        )

    @event
    @requires(*DESK)
    def open_screen(self) -> list[EventSpec]:
        """The screen's address (made on first use), opened in a new tab."""
        key = self._screen(rotate=False)
        if isinstance(key, Failed):
            return [key.toast()]
        self.screen_path = routes.queue_screen_url(key)
        return [rx.redirect(self.screen_path, is_external=True)]

    @event
    @requires(*DESK)
    def new_screen_address(self) -> list[EventSpec]:
        """A new address for the screen: the old one stops working at once."""
        key = self._screen(rotate=True)
        if isinstance(key, Failed):
            return [key.toast()]
        self.screen_path = routes.queue_screen_url(key)
        return [rx.toast.success("New screen address made. The old address no longer works.")]


__all__ = ["DESK", "NOT_LISTED", "DeskQueueState"]
