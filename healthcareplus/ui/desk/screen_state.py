"""The waiting-room screen (/queue-screen/<key>): public, opened by the hospital's
unguessable key on a TV. Per doctor the token(s) with the doctor now and the tokens
waiting next, with first names only.

The page sends ``tick`` every few seconds; each tick replaces the few values shown (never
appends), so the screen can run all day. A key that is malformed, unknown or replaced
shows "This screen address is not valid" and nothing else.
"""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import NotFound
from healthcareplus.core.formatting import format_local_time
from healthcareplus.domain.desk import queue_views
from healthcareplus.ui.shared.guard import public
from healthcareplus.ui.shared.typed import Field, event, field

NEXT_SHOWN = 8  # waiting tokens listed per doctor (the rest: "+N more")


def _tokens(tokens: tuple[queue_views.ScreenToken, ...]) -> str:
    return "  ".join(f"{t.token} {t.first_name}".strip() for t in tokens)


def screen_rows(screen: queue_views.QueueScreen) -> list[dict[str, str]]:
    rows = []
    for doctor in screen.doctors:
        shown, more = doctor.waiting[:NEXT_SHOWN], len(doctor.waiting) - NEXT_SHOWN
        rows.append(
            {
                "doctor": doctor.doctor_name,
                "now_token": ", ".join(str(t.token) for t in doctor.now_calling) or "–",
                "now_name": ", ".join(t.first_name for t in doctor.now_calling),
                "next": (_tokens(shown) + (f"  +{more} more" if more > 0 else "")) or "–",
            }
        )
    return rows


class QueueScreenState(rx.State):
    hospital_name: Field[str] = field("")
    day_label: Field[str] = field("")
    doctors: Field[list[dict[str, str]]] = field(default_factory=list)
    updated_at: Field[str] = field("")
    invalid: Field[bool] = field(False)
    loaded: Field[bool] = field(False)

    def _key(self) -> str | None:
        """The key at the end of the page's address, if it could be one."""
        key = str(self.router.url.path or "").rstrip("/").rsplit("/", 1)[-1]
        return key if queue_views.valid_screen_key(key) else None

    def _refresh(self) -> None:
        key, now = self._key(), utcnow()
        try:
            if key is None:
                raise NotFound(queue_views.NO_SCREEN)
            with session_scope() as db:
                screen = queue_views.queue_screen(db, screen_key=key, now=now)
        except NotFound:
            if not self.invalid:
                self.invalid, self.doctors, self.hospital_name = True, [], ""
            return
        rows = screen_rows(screen)
        if self.invalid:
            self.invalid = False
        if rows != self.doctors:
            self.doctors = rows
        if screen.hospital_name != self.hospital_name:
            self.hospital_name = screen.hospital_name
        if screen.day_label != self.day_label:
            self.day_label = screen.day_label
        self.updated_at = format_local_time(now)

    @event
    @public
    def load(self) -> None:
        self.reset()
        self._refresh()
        self.loaded = True

    @event
    @public
    def tick(self) -> None:
        if self.loaded:
            self._refresh()


__all__ = ["QueueScreenState", "screen_rows"]
