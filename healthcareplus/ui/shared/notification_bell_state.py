"""The unread count behind the bell in the signed-in navigation.

The bell asks on mount (every page load) and then every few seconds through the hidden
button ``/live-tick.js`` clicks, so a new message shows without a reload. One indexed
count per ask; the value is only sent to the browser when it changed. The centre's
handlers recount through ``_recount`` right after marking messages read.
"""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.i18n import gettext, translate
from healthcareplus.core.models import Role
from healthcareplus.domain.notifications import centre
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.typed import Field, event, field

SIGNED_IN = tuple(Role)  # every role
MAX_SHOWN = 99  # the badge shows "99+" beyond this


def badge_text(count: int) -> str:
    """What the badge shows: "" (no badge) at 0, the count, or "99+"."""
    if count <= 0:
        return ""
    return f"{MAX_SHOWN}+" if count > MAX_SHOWN else str(count)


class NotificationBellState(rx.State):
    unread: Field[int] = field(0)
    badge: Field[str] = field("")
    label: Field[str] = field("Notifications")  # the bell's accessible name

    def _recount(self, user_id: int) -> None:
        """Count the user's unread messages; assign only on a change (no delta else)."""
        count = in_session(centre.unread_count, user_id=user_id)
        if isinstance(count, Failed) or count == self.unread:
            return
        self.unread, self.badge = count, badge_text(count)
        self.label = (
            translate("Notifications, {count} unread", None, count=count)
            if count
            else gettext("Notifications")
        )

    @event
    @requires(*SIGNED_IN)
    def refresh(self) -> None:
        self._recount(current_viewer().id)
