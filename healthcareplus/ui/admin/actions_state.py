"""Admin actions on one appointment, shared by the dashboard table and the timetable.

Each handler validates its arguments, calls ``services.admin_actions`` as the signed-in
admin, and answers with a toast; after a change it re-runs the loader of the page the
admin is on (on the dashboard: its live tick, at once). The cancel and refund
dialogs are controlled by ``dialog`` so a validation error stays in the open dialog and
a success closes it; their forms submit to ``submit_dialog``, which takes the appointment
from ``dialog`` (a form's submit handler cannot see the table row it was rendered for).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import DomainError, ValidationFailed
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import actions as admin_actions
from healthcareplus.domain.admin.actions import ActionResult
from healthcareplus.ui.admin.timetable_state import AdminTimetableState
from healthcareplus.ui.shared.guard import current_viewer, requires

WITH_REASON: dict[str, Callable[..., ActionResult]] = {
    "cancel": admin_actions.cancel_appointment,
    "refund": admin_actions.process_refund,
}
DIALOGS = tuple(WITH_REASON)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
NOT_FOUND = "Appointment not found."
REASON_CAP = 2_000  # longer input is refused by the service's 500 limit anyway


def parse_appointment_id(value: Any) -> str | None:
    """A well-formed appointment id (lower-case UUID) from an event argument, else None."""
    text = value.strip().lower() if isinstance(value, str) else ""
    return text if UUID.fullmatch(text) else None


def form_reason(form_data: Any) -> str:
    """The form's ``reason`` field as text ("" when the payload is not a form)."""
    reason = form_data.get("reason") if isinstance(form_data, dict) else None
    return reason[:REASON_CAP] if isinstance(reason, str) else ""


class AdminActionsState(rx.State):
    dialog: str = ""  # "cancel:<appointment id>" or "refund:<appointment id>" while open
    error: str = ""  # the open dialog's validation message

    @rx.event
    @requires(Role.ADMIN)
    def open_dialog(self, kind: Any, appointment_id: Any) -> None:
        found = parse_appointment_id(appointment_id)
        if kind in DIALOGS and found is not None:
            self.dialog, self.error = f"{kind}:{found}", ""

    @rx.event
    @requires(Role.ADMIN)
    def dialog_changed(self, is_open: Any) -> None:
        """Radix's open-change: only closing (Escape, "Keep it") is acted on."""
        if is_open is not True:
            self.dialog, self.error = "", ""

    def _refresh(self) -> list[Any]:
        path = self.router.url.path.rstrip("/")
        if path == routes.ADMIN_TIMETABLE:
            return [AdminTimetableState.refresh]
        if path == routes.ADMIN_HOME:
            # Imported here: the dashboard's state imports this module.
            from healthcareplus.ui.admin.dashboard_state import AdminDashboardState

            return [AdminDashboardState.tick]  # the admin sees their own action at once
        return []

    def _run(self, appointment_id: Any, action: Callable[..., ActionResult], **kw: Any) -> list:
        found = parse_appointment_id(appointment_id)
        if found is None:
            self.dialog, self.error = "", ""
            return [rx.toast.error(NOT_FOUND)]
        try:
            with session_scope() as db:
                result = action(
                    db, appointment_id=found, admin_id=current_viewer().id, now=utcnow(), **kw
                )
        except ValidationFailed as exc:
            self.error = exc.fields.get("reason", str(exc))
            return [rx.toast.error(self.error)]
        except DomainError as exc:
            self.dialog, self.error = "", ""
            return [rx.toast.error(str(exc)), *self._refresh()]
        self.dialog, self.error = "", ""
        return [rx.toast.success(result.message), *self._refresh()]

    def _with_reason(self, kind: str, appointment_id: Any, form_data: Any) -> list:
        return self._run(appointment_id, WITH_REASON[kind], reason=form_reason(form_data))

    @rx.event
    @requires(Role.ADMIN)
    def cancel(self, appointment_id: Any, form_data: Any) -> list:
        return self._with_reason("cancel", appointment_id, form_data)

    @rx.event
    @requires(Role.ADMIN)
    def refund(self, appointment_id: Any, form_data: Any) -> list:
        return self._with_reason("refund", appointment_id, form_data)

    @rx.event
    @requires(Role.ADMIN)
    def submit_dialog(self, form_data: Any) -> list:
        """The open cancel/refund dialog's form: the action and appointment it was opened for."""
        kind, _, appointment_id = self.dialog.partition(":")
        if kind not in DIALOGS:
            return []
        return self._with_reason(kind, appointment_id, form_data)

    @rx.event
    @requires(Role.ADMIN)
    def mark_no_show(self, appointment_id: Any) -> list:
        return self._run(appointment_id, admin_actions.mark_no_show)

    @rx.event
    @requires(Role.ADMIN)
    def mark_paid(self, appointment_id: Any) -> list:
        return self._run(appointment_id, admin_actions.mark_paid)
