"""Reflex's typed state vars (``Field``, ``field``) and handler decorator (``event``),
declared so that mypy reads them the way Reflex types them for pyright.

At runtime these names are exactly ``rx.Field``, ``rx.field`` and ``rx.event``: a state
declares ``rows: Field[list[dict[str, str]]] = field(default_factory=list)`` and marks
its handlers ``@event``, as the Reflex docs do with the ``rx.`` names.

Only the type checker sees the declarations below. Under mypy (``make lint``), Reflex
0.10's own annotations do not come through:

- ``rx.Field[...].__get__`` picks the Var class with overloads on ``self`` unions such as
  ``Field[SEQUENCE_TYPE] | Field[SEQUENCE_TYPE | None]``; mypy solves those to
  ``Never``, so every ``dict`` or ``list`` field reads back as ``ArrayVar[Never]`` and
  ``State.row["name"]`` fails to type-check.
- ``rx.event`` is a class (``EventNamespace``) whose ``__new__`` returns an
  ``EventCallback``; mypy ignores a ``__new__`` that returns another class, so every
  handler reads back as ``EventNamespace`` and ``State.handler(arg)`` is "not callable".

The stand-ins give the same results pyright gets from Reflex's annotations: a field read
on the class is the typed Var (``StringVar``, ``BooleanVar``, ``NumberVar``,
``ArrayVar[list[...]]``, ``ObjectVar[dict[...]]``), on a state instance its value; a
handler read on the class is an ``EventCallback`` of its arguments.

``RowVar`` and ``RowsVar`` name the Vars of what most states send: rows of text by
column (``rows.to_row``), as the components that render them receive them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, TypeVarTuple, overload

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar

__all__ = ["Field", "RowVar", "RowsVar", "event", "field"]

RowVar = ObjectVar[dict[str, str]]
RowsVar = ArrayVar[list[dict[str, str]]]

if TYPE_CHECKING:
    from reflex.event import EventCallback
    from reflex.state import BaseState
    from reflex.vars import BooleanVar, NumberVar, StringVar, Var

    T = TypeVar("T")
    K = TypeVar("K")
    V = TypeVar("V")
    ARGS = TypeVarTuple("ARGS")
    STATE = TypeVar("STATE", bound=BaseState)

    class Field(Generic[T]):
        """``rx.Field``: the Var on class access, the value on instance access."""

        @overload
        def __get__(self: Field[bool], instance: None, owner: Any) -> BooleanVar: ...
        @overload
        def __get__(self: Field[int], instance: None, owner: Any) -> NumberVar[int]: ...
        @overload
        def __get__(self: Field[float], instance: None, owner: Any) -> NumberVar[float]: ...
        @overload
        def __get__(self: Field[str], instance: None, owner: Any) -> StringVar[str]: ...
        @overload
        def __get__(self: Field[list[V]], instance: None, owner: Any) -> ArrayVar[list[V]]: ...
        @overload
        def __get__(
            self: Field[dict[K, V]], instance: None, owner: Any
        ) -> ObjectVar[dict[K, V]]: ...
        @overload
        def __get__(self, instance: None, owner: Any) -> Var[T]: ...
        @overload
        def __get__(self, instance: object, owner: Any) -> T: ...
        def __get__(self, instance: object, owner: Any) -> Any: ...
        def __set__(self, instance: object, value: T) -> None: ...

    @overload
    def field(default: T) -> Field[T]: ...
    @overload
    def field(*, default_factory: Callable[[], T]) -> Field[T]: ...
    def field(default: Any = None, *, default_factory: Any = None) -> Any:
        """``rx.field``: a state var's default value, or a factory for a mutable one."""

    def event(func: Callable[[STATE, *ARGS], Any]) -> EventCallback[*ARGS]:
        """``rx.event``: the handler, as the callback its state exposes."""

else:
    Field = rx.Field
    field = rx.field
    event = rx.event
