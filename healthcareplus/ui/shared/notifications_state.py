"""The notification centre (/notifications), for every signed-in role: the user's in-app
messages a page at a time, newest first, marking one or all read.

Ids and page numbers come from the browser and may be anything; the domain reads and
changes only the caller's own messages, so a crafted id of someone else's message is
refused as not found. Each message's link is shown only when it is a plain same-site
path. After any change the bell's count is recounted at once.
"""

from __future__ import annotations

import re

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.i18n import gettext, translate
from healthcareplus.domain.notifications import centre
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.notification_bell_state import SIGNED_IN, NotificationBellState
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.paging import PageFacts
from healthcareplus.ui.shared.rows import parse_id, to_row
from healthcareplus.ui.shared.typed import Field, event, field

PAGE_SIZE = 10
UNKNOWN = centre.NOT_FOUND
# A path in this app: "/" then no second "/" or "\" (those make a link to another site),
# and only characters of a plain URL path and query (no spaces or control characters,
# which browsers drop, turning "/\t/evil.example" into "//evil.example").
SAME_SITE_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9._~%/?=&#+-]*")


def safe_link(link: str) -> str:
    """``link`` when it is a same-site path, else "" (the row then offers no Open link)."""
    return link if len(link) <= 200 and SAME_SITE_PATH.fullmatch(link) else ""


def notification_row(item: centre.NotificationRow) -> dict[str, str]:
    return to_row(item, link=safe_link(item.link))


class NotificationsState(PageFacts, rx.State):
    items: Field[list[dict[str, str]]] = field(default_factory=list)
    loaded: Field[bool] = field(False)

    async def _show(self, page: int) -> EventSpec | None:
        """Show ``page`` (clamped by the domain) and recount the bell."""
        user_id = current_viewer().id
        listing = in_session(
            centre.list_notifications, user_id=user_id, page=page, page_size=PAGE_SIZE
        )
        if isinstance(listing, Failed):
            return listing.toast()
        self.items = [notification_row(item) for item in listing.items]
        self._show_page_facts(listing.paging)
        self.loaded = True
        (await self.get_state(NotificationBellState))._recount(user_id)
        return None

    @event
    @requires(*SIGNED_IN)
    async def load(self) -> EventSpec | None:
        return await self._show(1)

    @event
    @requires(*SIGNED_IN)
    async def go_to_page(self, page: int) -> EventSpec | None:
        if type(page) is not int:  # a crafted event: bool, float, text...
            return None
        return await self._show(page)

    @event
    @requires(*SIGNED_IN)
    async def mark_read(self, notification_id: str) -> EventSpec | None:
        """Mark one of the caller's messages read (also sent when its link is opened)."""
        chosen = parse_id(notification_id) if isinstance(notification_id, str | int) else None
        if chosen is None:
            return rx.toast.error(UNKNOWN)
        done = in_session(
            centre.mark_read, user_id=current_viewer().id, notification_id=chosen, now=utcnow()
        )
        if isinstance(done, Failed):
            return done.toast()
        return await self._show(self.page)

    @event
    @requires(*SIGNED_IN)
    async def mark_all_read(self) -> EventSpec | None:
        marked = in_session(centre.mark_all_read, user_id=current_viewer().id, now=utcnow())
        if isinstance(marked, Failed):
            return marked.toast()
        shown = await self._show(self.page)
        return shown or rx.toast.success(_marked(marked))


def _marked(count: int) -> str:
    if not count:
        return gettext("Nothing to mark: every notification is read.")
    if count == 1:
        return gettext("Marked 1 notification read.")
    return translate("Marked {count} notifications read.", None, count=count)
