"""Admin actions on one appointment, shared by the dashboard table and the timetable.

Each handler validates its arguments, calls ``domain.admin.actions`` as the signed-in
admin, and answers with a toast; after a change it re-runs the loader of the page the
admin is on (on the dashboard: its live tick, at once). The cancel and refund dialogs
are controlled by ``AdminActionDialogState.dialog`` so a validation error stays in the
open dialog and a success closes it; their forms submit to ``submit_dialog``, which
takes the appointment from the open dialog (a form's submit handler cannot see the
table row it was rendered for).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import actions as admin_actions
from healthcareplus.domain.admin.actions import ActionResult
from healthcareplus.ui.admin.action_dialog_state import (
    DIALOGS,
    AdminActionDialogState,
    parse_appointment_id,
)
from healthcareplus.ui.admin.dashboard_state import AdminDashboardState
from healthcareplus.ui.admin.timetable_state import AdminTimetableState
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.typed import event

WITH_REASON: dict[str, Callable[..., ActionResult]] = {
    "cancel": admin_actions.cancel_appointment,
    "refund": admin_actions.process_refund,
}
NOT_FOUND = "Appointment not found."
REASON_CAP = 2_000  # longer input is refused by the service's 500 limit anyway


def form_reason(form_data: Any) -> str:
    """The form's ``reason`` field as text ("" when the payload is not a form)."""
    reason = form_data.get("reason") if isinstance(form_data, dict) else None
    return reason[:REASON_CAP] if isinstance(reason, str) else ""


class AdminActionsState(rx.State):
    def _refresh(self) -> list[Any]:
        path = self.router.url.path.rstrip("/")
        if path == routes.ADMIN_TIMETABLE:
            return [AdminTimetableState.refresh]
        if path == routes.ADMIN_HOME:
            return [AdminDashboardState.tick]  # the admin sees their own action at once
        return []

    async def _run(
        self, appointment_id: Any, action: Callable[..., ActionResult], **kw: Any
    ) -> list:
        dialog = await self.get_state(AdminActionDialogState)
        found = parse_appointment_id(appointment_id)
        if found is None:
            dialog._close()
            return [rx.toast.error(NOT_FOUND)]
        result = in_session(
            action, appointment_id=found, admin_id=current_viewer().id, now=utcnow(), **kw
        )
        if isinstance(result, Failed) and result.invalid:
            dialog.error = result.field("reason")  # the dialog stays open with it
            return [rx.toast.error(dialog.error)]
        dialog._close()
        done = result.toast() if isinstance(result, Failed) else rx.toast.success(result.message)
        return [done, *self._refresh()]

    async def _with_reason(self, kind: str, appointment_id: Any, form_data: Any) -> list:
        return await self._run(appointment_id, WITH_REASON[kind], reason=form_reason(form_data))

    @event
    @requires(Role.ADMIN)
    async def cancel(self, appointment_id: str, form_data: FormData) -> list:
        return await self._with_reason("cancel", appointment_id, form_data)

    @event
    @requires(Role.ADMIN)
    async def refund(self, appointment_id: str, form_data: FormData) -> list:
        return await self._with_reason("refund", appointment_id, form_data)

    @event
    @requires(Role.ADMIN)
    async def submit_dialog(self, form_data: FormData) -> list:
        """The open cancel/refund dialog's form: the action and appointment it was opened for."""
        dialog = await self.get_state(AdminActionDialogState)
        kind, _, appointment_id = dialog.dialog.partition(":")
        if kind not in DIALOGS:
            return []
        return await self._with_reason(kind, appointment_id, form_data)

    @event
    @requires(Role.ADMIN)
    async def mark_no_show(self, appointment_id: str) -> list:
        return await self._run(appointment_id, admin_actions.mark_no_show)

    @event
    @requires(Role.ADMIN)
    async def mark_paid(self, appointment_id: str) -> list:
        return await self._run(appointment_id, admin_actions.mark_paid)
