"""Plain helpers shared by the admin states of one record (a doctor, a patient): saving
its edit form.

No state classes here: each admin state keeps its own admin-only handlers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.ui.shared.guard import actor
from healthcareplus.ui.shared.outcome import Failed, in_session


class EditForm(Protocol):
    """A record state with an edit form: field errors, the form's message, the saved
    note, and ``_show`` for the record as the service returned it."""

    errors: dict[str, str]
    message: str
    saved: str

    def _show(self, detail: Any) -> None: ...


def save_record(
    state: EditForm, update: Callable[..., Any], /, *, saved: str, toast: str, **values: Any
) -> EventSpec | None:
    """Run ``update(db, **values)`` as the signed-in admin: refused fields stay in the form
    (with the prompt above them), any other refusal shows as the form's message."""
    state.errors, state.message, state.saved = {}, "", ""
    detail = in_session(update, **values, **actor(), now=utcnow())
    if isinstance(detail, Failed):
        state.errors, state.message = detail.form()
        return None
    state._show(detail)
    state.saved = saved
    return rx.toast.success(toast)
