"""A fee's receipt at the front desk (/desk/receipts/<appointment>), for printing."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.desk import visits
from healthcareplus.ui.desk.patients_state import DESK
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import to_row
from healthcareplus.ui.shared.typed import Field, event, field


class DeskReceiptState(rx.State):
    receipt: Field[dict[str, str]] = field(default_factory=dict)
    loaded: Field[bool] = field(False)
    not_found: Field[bool] = field(False)

    @event
    @requires(*DESK)
    def load(self) -> None:
        self.reset()
        appointment_id = self.router.url.path.rstrip("/").rsplit("/", 1)[-1][:36]
        found = in_session(visits.receipt, actor_id=current_viewer().id,
                           appointment_id=appointment_id, now=utcnow())  # fmt: skip
        if isinstance(found, Failed):
            self.not_found = True
        else:
            self.receipt = to_row(found)
        self.loaded = True
