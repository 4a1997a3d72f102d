"""Which admin action dialog is open (cancel or refund, for which appointment) and its
validation message.

Its own state so that both the actions (``actions_state``, which close the dialog and
refresh the page they ran on) and the dashboard's live tick (which waits while a reason
is being typed) can read it without importing each other.
"""

from __future__ import annotations

import re
from typing import Any

import reflex as rx

from healthcareplus.core.models import Role
from healthcareplus.ui.shared.guard import requires
from healthcareplus.ui.shared.typed import Field, event, field

DIALOGS = ("cancel", "refund")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def parse_appointment_id(value: Any) -> str | None:
    """A well-formed appointment id (lower-case UUID) from an event argument, else None."""
    text = value.strip().lower() if isinstance(value, str) else ""
    return text if UUID.fullmatch(text) else None


class AdminActionDialogState(rx.State):
    # "cancel:<appointment id>" or "refund:<appointment id>" while open
    dialog: Field[str] = field("")
    error: Field[str] = field("")  # the open dialog's validation message

    def _close(self) -> None:
        self.dialog, self.error = "", ""

    @event
    @requires(Role.ADMIN)
    def open_dialog(self, kind: str, appointment_id: str) -> None:
        found = parse_appointment_id(appointment_id)
        if kind in DIALOGS and found is not None:
            self.dialog, self.error = f"{kind}:{found}", ""

    @event
    @requires(Role.ADMIN)
    def dialog_changed(self, is_open: bool) -> None:
        """Radix's open-change: only closing (Escape, "Keep it") is acted on."""
        if is_open is not True:
            self._close()
