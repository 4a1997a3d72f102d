"""Every event's arguments, checked before its handler runs.

A browser may send any event with any payload. ``refusal`` is the one place the payload
is checked against the handler's signature: a pydantic validator built from the
parameters' annotations (no extra arguments, none missing, each of its declared type),
after a walk of the raw payload that refuses what no real page sends: text that cannot
be encoded (lone surrogates) or holds NUL characters, and payloads too big or too deeply
nested. The validated values replace the raw ones, so the handler gets parsed arguments.
An upload's files (``rx.UploadFile``, made only by Reflex's upload endpoint, never out of
an event's JSON) pass the walk; the handler's ``list[rx.UploadFile]`` parameter takes them.
"""

from __future__ import annotations

import inspect
import math
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, NotRequired, Required

import reflex as rx
from pydantic import ConfigDict, TypeAdapter, ValidationError
from typing_extensions import TypedDict

MAX_PAYLOAD_CHARS = 64 * 1024
MAX_DEPTH = 6
MAX_ITEMS = 2_000
# The largest integer a browser's JSON numbers hold exactly.
MAX_SAFE_INTEGER = 2**53 - 1

# Arguments as the page sends them: a form's values by field name.
FormData = dict[str, Any]


class _Budget:
    """What is left of the size allowance while walking one payload."""

    def __init__(self) -> None:
        self.chars = MAX_PAYLOAD_CHARS
        self.items = MAX_ITEMS


def _text_problem(text: str, budget: _Budget) -> str | None:
    budget.chars -= len(text)
    if budget.chars < 0:
        return "payload too large"
    if "\x00" in text:
        return "text with a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "text that is not valid Unicode"
    return None


def _shape_problem(value: Any, budget: _Budget, depth: int = 0) -> str | None:
    """Why ``value`` (a decoded JSON value) is not something a page would send."""
    if isinstance(value, rx.UploadFile):
        return None
    if isinstance(value, str):
        return _text_problem(value, budget)
    if value is None or isinstance(value, bool | int | float):
        budget.chars -= 8
        if budget.chars < 0:
            return "payload too large"
        if isinstance(value, float) and not math.isfinite(value):
            return "a number that is not finite"
        if isinstance(value, int) and abs(value) > MAX_SAFE_INTEGER:
            return "a number out of range"
        return None
    if depth >= MAX_DEPTH:
        return "payload nested too deeply"
    if isinstance(value, Mapping):
        items: list[Any] = []
        for key, item in value.items():
            if not isinstance(key, str):
                return "an object key that is not text"
            items += [key, item]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return f"a value of type {type(value).__name__}"
    budget.items -= len(items)
    if budget.items < 0:
        return "payload too large"
    for item in items:
        if problem := _shape_problem(item, budget, depth + 1):
            return problem
    return None


@cache
def _validator(fn: Callable[..., Any]) -> TypeAdapter[Any] | None:
    """A validator of ``fn``'s keyword arguments (``self`` aside), or None when its
    signature takes ``*args``/``**kwargs`` (then only the shape is checked)."""
    parameters = list(inspect.signature(fn).parameters.values())[1:]
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters):
        return None
    hints = typing.get_type_hints(fn)  # follows __wrapped__ to the handler's module
    fields: dict[str, Any] = {}
    for p in parameters:
        hint = hints.get(p.name, Any)
        fields[p.name] = Required[hint] if p.default is p.empty else NotRequired[hint]
    arguments = TypedDict(f"{fn.__qualname__}.arguments", fields)  # type: ignore[misc]
    arguments.__pydantic_config__ = ConfigDict(  # type: ignore[attr-defined]
        extra="forbid", arbitrary_types_allowed=True
    )
    return TypeAdapter(arguments)


def _summary(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "arguments"
    return f"{where}: {first['msg']} ({error.error_count()} problem(s))"


def refusal(fn: Callable[..., Any], payload: Any) -> str | None:
    """Why the event with ``payload`` for handler ``fn`` must not run, or None; when
    None, ``payload`` now holds the validated arguments."""
    if not isinstance(payload, dict):
        return "the arguments are not an object"
    if problem := _shape_problem(payload, _Budget()):
        return problem
    validator = _validator(fn)
    if validator is None:
        return None
    try:
        parsed = validator.validate_python(payload)
    except ValidationError as error:
        return _summary(error)
    payload.clear()
    payload.update(parsed)
    return None


__all__ = ["MAX_PAYLOAD_CHARS", "FormData", "refusal"]
