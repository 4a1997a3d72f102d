"""Translating domain errors in state handlers: one helper instead of a try/except each.

A handler calls the domain through ``in_session`` (one unit of work: ``fn(db, ...)``
inside ``session_scope()``) or ``run_domain`` (any callable). Either returns the
function's result, or, when it raised a ``DomainError``, a ``Failed`` that the handler
turns into what the page shows::

    detail = in_session(svc.update_doctor, doctor_id=..., **values)
    if isinstance(detail, Failed):
        self.errors, self.message = detail.form()  # fields + prompt, or the message
        return None

``Failed`` offers the variants the pages use: ``toast()`` (an error toast with the
domain's message), ``fields`` / ``field(name)`` / ``form()`` / ``fields_or_toast()``
(validation messages for the form's fields) and ``not_found`` (a flag for "no such
record" pages). Only ``DomainError`` is caught: a bug still raises. Nothing here reads
event arguments; handlers validate those before calling the domain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

import reflex as rx
from reflex.event import EventSpec
from sqlmodel import Session

from healthcareplus.core.db import session_scope
from healthcareplus.core.errors import DomainError, NotFound, ValidationFailed
from healthcareplus.core.i18n import N_, gettext

P = ParamSpec("P")
T = TypeVar("T")

FIX_FIELDS = N_("Please correct the highlighted fields.")


@dataclass(frozen=True)
class Failed:
    """A domain call that raised ``error`` (its ``str`` is fit to show to the user)."""

    error: DomainError

    @property
    def message(self) -> str:
        """The error's message in the caller's language (``core.i18n``)."""
        if isinstance(self.error, ValidationFailed):
            return "; ".join(self.fields.values())
        return gettext(str(self.error))

    @property
    def invalid(self) -> bool:
        """The input was refused field by field (``ValidationFailed``)."""
        return isinstance(self.error, ValidationFailed)

    @property
    def not_found(self) -> bool:
        return isinstance(self.error, NotFound)

    @property
    def fields(self) -> dict[str, str]:
        """Field name -> message in the caller's language (empty unless refused)."""
        if not isinstance(self.error, ValidationFailed):
            return {}
        return {name: gettext(text) for name, text in self.error.fields.items()}

    def field(self, name: str) -> str:
        """The message for one field, else the whole message (a one-field form)."""
        return self.fields.get(name, self.message)

    def toast(self) -> EventSpec:
        return rx.toast.error(self.message)

    def form(self, prompt: str = FIX_FIELDS) -> tuple[dict[str, str], str]:
        """(field errors, the form's message): the prompt above refused fields, else the
        error's own message with no field marked."""
        return (self.fields, gettext(prompt)) if self.invalid else ({}, self.message)

    def fields_or_toast(self) -> tuple[dict[str, str], EventSpec | None]:
        """(field errors, what to return): refused fields stay in the form (no toast);
        any other refusal is an error toast and clears the field errors."""
        return (self.fields, None) if self.invalid else ({}, self.toast())


def run_domain(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T | Failed:
    """``fn(*args, **kwargs)``, or ``Failed`` if it raised a ``DomainError``."""
    try:
        return fn(*args, **kwargs)
    except DomainError as exc:
        return Failed(exc)


def in_session(
    fn: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs
) -> T | Failed:
    """``fn(db, *args, **kwargs)`` in one unit of work (committed on success, rolled back
    on any error), or ``Failed`` if it raised a ``DomainError``."""

    def unit_of_work() -> T:
        with session_scope() as db:
            return fn(db, *args, **kwargs)

    return run_domain(unit_of_work)
