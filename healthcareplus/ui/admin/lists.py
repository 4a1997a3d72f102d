"""Shared by the admin list states (doctors, patients, cities, hospitals, admins):
bounded form values, page arguments, search filters, list results as rows, and state
mixins: ``PagedList`` (the pager and its admin-only ``go_page``), ``SearchList`` (plus
the search box and filters, and ``search``), ``EditDialog`` (the add/edit dialog and
its admin-only ``set_dialog_open``) and ``NewAccount`` (the shown-once sign-in details
of an account just created, and its admin-only ``dismiss_password``).

The mixins are not states themselves (Reflex copies their vars and handlers into each
state that lists them), so every handler is still registered under, and declared on,
the admin state that uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.db import session_scope
from healthcareplus.core.models import Role
from healthcareplus.domain.accounts.admins import Paging
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import requires
from healthcareplus.ui.shared.outcome import Failed
from healthcareplus.ui.shared.rows import form_text, to_row, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

QUERY_LIMIT = 100


class ListPage(Protocol):
    """A service's page of a list: its rows and the paging facts."""

    @property
    def items(self) -> Sequence[Any]: ...

    @property
    def paging(self) -> Paging: ...


def form_values(form_data: Any, keys: tuple[str, ...], limit: int = 2000) -> dict[str, str]:
    """Bounded text for each expected key of a submitted form (missing or odd -> "")."""
    return {key: form_text(form_data, key, limit) for key in keys}


def page_arg(value: Any) -> int:
    """A page number from an event argument or URL (junk -> 1; the service clamps)."""
    if type(value) is int:
        return value
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) <= 6 else 1


def pager_row(paging: Paging) -> dict[str, str]:
    """The paging facts as text, with the neighbouring page numbers for the buttons."""
    return to_row(paging, prev=str(paging.page - 1), next=str(paging.page + 1))


def clean_query(value: Any) -> str:
    """A search box value from a form or URL (anything but text -> "")."""
    return value.strip()[:QUERY_LIMIT] if isinstance(value, str) else ""


def clean_status(value: Any, allowed: tuple[str, ...]) -> str:
    """A status filter that must be one of ``allowed`` (anything else -> "all")."""
    return value if value in allowed else "all"


def activation_toast(done: Any, active: bool) -> EventSpec:
    """What an admin reads after (re)activating an account: the refusal, or who is now
    active again or deactivated (and signed out everywhere)."""
    if isinstance(done, Failed):
        return done.toast()
    if active:
        return rx.toast.success(f"{done.name} is active again and can sign in.")
    return rx.toast.success(f"{done.name} is deactivated and signed out everywhere.")


def list_rows(result: ListPage) -> tuple[list[dict[str, str]], dict[str, str], int]:
    """A service list page as (row dicts, pager row, the page number actually shown)."""
    return to_rows(result.items), pager_row(result.paging), result.paging.page


class PagedList(rx.State, mixin=True):
    """A list shown a page at a time: ``_fetch`` loads page ``page`` and sets ``pager``."""

    pager: Field[dict[str, str]] = field(default_factory=dict)
    page: Field[int] = field(1)

    def _fetch(self) -> None:
        raise NotImplementedError

    def _page_rows(
        self, list_page: Callable[..., ListPage], **filters: Any
    ) -> list[dict[str, str]]:
        """Page ``page`` of ``list_page(db, page=..., **filters)`` (a service's list) as
        rows; sets the pager and the page actually shown."""
        with session_scope() as db:
            result = list_page(db, page=self.page, **filters)
        rows, self.pager, self.page = list_rows(result)
        return rows

    @event
    @requires(Role.ADMIN)
    def go_page(self, page: int) -> None:
        self.page = page_arg(page)
        self._fetch()


class SearchList(PagedList, mixin=True):
    """A paged list with a search box (``q``) and filters: read from the URL's query on
    load (``_from_url``) and from the search form after; ``_set_filters`` cleans them
    (whatever was sent)."""

    q: Field[str] = field("")
    status: Field[str] = field("all")

    def _set_filters(self, values: Mapping[str, Any]) -> None:
        raise NotImplementedError

    def _from_url(self) -> None:
        params = self.router.url.query_parameters
        self._set_filters(params)
        self.page = page_arg(params.get("page"))

    @event
    @requires(Role.ADMIN)
    def search(self, form_data: FormData) -> None:
        self._set_filters(form_data if isinstance(form_data, dict) else {})
        self.page = 1
        self._fetch()


SORT_LIMIT = 30


class SortedList(PagedList, mixin=True):
    """A list the admin sorts by clicking a column heading (or, on a phone, choosing in
    a menu): ``sort`` is the key of that column ("-key" descending), passed to the
    service, which applies only the keys it offers (anything else means its default
    order). A second click on a heading reverses it; "-key" asks for descending."""

    sort: Field[str] = field("")

    @event
    @requires(Role.ADMIN)
    def sort_by(self, key: str) -> None:
        if not isinstance(key, str) or len(key) > SORT_LIMIT:
            return
        column = key.removeprefix("-")
        if not column or column.startswith("-"):
            return
        self.sort = key if key != column or self.sort != key else f"-{key}"
        self.page = 1
        self._fetch()


class EditDialog(rx.State, mixin=True):
    """An add/edit dialog: field errors, open or not, a key to remount its form, and
    the record being edited (0: a new one), set only after its id was checked."""

    errors: Field[dict[str, str]] = field(default_factory=dict)
    dialog_open: Field[bool] = field(False)
    form_key: Field[int] = field(0)
    _editing: int = 0

    def _opened(self, editing: int) -> None:
        self._editing, self.errors = editing, {}
        self.dialog_open, self.form_key = True, self.form_key + 1

    def _close_dialog(self) -> None:
        self.dialog_open, self._editing, self.errors = False, 0, {}

    def _reload(self) -> None:
        """On the page's load: the dialog closed, the list from its first page."""
        self._close_dialog()
        self.page = 1
        self._fetch()

    def _fetch(self) -> None:
        raise NotImplementedError

    def _refused(self, failed: Failed) -> EventSpec | None:
        """Refused fields stay in the open dialog; any other refusal (the record is
        gone) closes it with a toast."""
        if failed.invalid:
            self.errors = failed.fields
            return None
        self.dialog_open = False
        return failed.toast()

    @event
    @requires(Role.ADMIN)
    def set_dialog_open(self, open_: bool) -> None:
        if type(open_) is bool:
            self.dialog_open = open_


class NewAccount(rx.State, mixin=True):
    """The sign-in details of the account just created (name, email and, when generated,
    the one-time password), kept only until dismissed or the next load: the database
    holds only the password's hash."""

    created: Field[dict[str, str]] = field(default_factory=dict)

    @event
    @requires(Role.ADMIN)
    def dismiss_password(self) -> None:
        self.created = {}
