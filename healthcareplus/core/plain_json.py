"""Plain data as JSON and back: frozen dataclasses (generic ones too), lists, tuples,
dicts with text keys, dates, instants, enums and scalars.

``to_json`` writes a value's init fields (``dataclasses.fields``; a field computed in
``__post_init__`` is computed again on the way back); ``from_json`` rebuilds a value of
the given type from its annotations and refuses anything that does not fit (a missing
or extra field, a text where a number belongs), so nothing but the named types is ever
constructed: what comes back from a shared store is data, never code.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")
Decoder = Callable[[Any], Any]
_SCALARS: tuple[type, ...] = (str, int, float, bool)


class NotPlainData(ValueError):
    """The JSON does not fit the type asked for (or a value is not plain data)."""


def to_json(value: object) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"))


def from_json(kind: Any, text: str | bytes) -> Any:
    """A value of type ``kind`` (``DashboardStats``, ``list[MethodCount]``,
    ``ResultPage[HospitalStat]``...) from ``to_json``'s text."""
    try:
        return _decoder(kind)(json.loads(text))
    except (KeyError, TypeError, ValueError) as exc:
        raise NotPlainData(f"not a {kind!r}: {exc}") from exc


def _plain(value: object) -> Any:
    if value is None or isinstance(value, _SCALARS):
        return value.value if isinstance(value, enum.Enum) else value
    if isinstance(value, datetime | date):  # datetime first: it is a date too
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in _init_fields(type(value))}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _plain(v) for k, v in value.items()}
    raise NotPlainData(f"{type(value).__name__} is not plain data")


@lru_cache(maxsize=256)
def _decoder(kind: Any) -> Decoder:
    """How to rebuild a ``kind`` from its JSON, worked out once per type."""
    return _compile(kind, {})


def _compile(kind: Any, bound: dict[Any, Any]) -> Decoder:
    if isinstance(kind, TypeVar):
        kind = bound[kind]
    origin, args = get_origin(kind), get_args(kind)
    if kind is Any:
        return _same
    if origin in (Union, types.UnionType):
        return _union(args, bound)
    if origin in (list, tuple) or kind in (list, tuple):
        return _sequence(origin or kind, args, bound)
    if origin is dict or kind is dict:
        value = _compile(args[1], bound) if args else _same
        return lambda data: {str(k): value(v) for k, v in _expect(data, dict).items()}
    cls = origin or kind
    if isinstance(cls, type) and dataclasses.is_dataclass(cls):
        return _record(cls, args, bound)
    return _scalar(kind)


def _record(cls: type, args: tuple[Any, ...], bound: dict[Any, Any]) -> Decoder:
    params = getattr(cls, "__parameters__", ())
    scope = {**bound, **dict(zip(params, args, strict=False))}
    hints = get_type_hints(cls)
    fields = [(f.name, _compile(hints[f.name], scope)) for f in _init_fields(cls)]
    names = {name for name, _ in fields}

    def build(data: Any) -> Any:
        record = _expect(data, dict)
        if record.keys() != names:
            raise ValueError(f"fields {sorted(record)} are not those of {cls.__name__}")
        return cls(**{name: decode(record[name]) for name, decode in fields})

    return build


def _sequence(container: Any, args: tuple[Any, ...], bound: dict[Any, Any]) -> Decoder:
    if container is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
        each = [_compile(a, bound) for a in args]

        def fixed(data: Any) -> Any:
            items = _expect(data, list)
            if len(items) != len(each):
                raise ValueError(f"expected {len(each)} items")
            return tuple(d(i) for d, i in zip(each, items, strict=True))

        return fixed
    item = _compile(args[0], bound) if args else _same
    if container is tuple:
        return lambda data: tuple(item(i) for i in _expect(data, list))
    return lambda data: [item(i) for i in _expect(data, list)]


def _union(args: tuple[Any, ...], bound: dict[Any, Any]) -> Decoder:
    arms = [_compile(a, bound) for a in args if a is not type(None)]
    optional = type(None) in args

    def either(data: Any) -> Any:
        if data is None and optional:
            return None
        for arm in arms:
            try:
                return arm(data)
            except (KeyError, TypeError, ValueError):
                continue
        raise ValueError(f"{data!r} fits none of {args}")

    return either


def _scalar(kind: Any) -> Decoder:
    if kind is datetime:
        return lambda data: datetime.fromisoformat(_expect(data, str))
    if kind is date:
        return lambda data: date.fromisoformat(_expect(data, str))
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    if kind is float:
        return lambda data: float(data) if type(data) in (int, float) else _wrong(kind, data)
    if kind in _SCALARS:
        return lambda data: data if type(data) is kind else _wrong(kind, data)
    raise TypeError(f"cannot rebuild a {kind!r}")


def _same(data: Any) -> Any:
    return data


def _wrong(kind: type, data: Any) -> Any:
    raise TypeError(f"expected {kind.__name__}, got {type(data).__name__}")


def _expect(data: Any, kind: type[T]) -> T:
    if not isinstance(data, kind):
        raise TypeError(f"expected {kind.__name__}, got {type(data).__name__}")
    return data


@lru_cache(maxsize=256)
def _init_fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.init)


__all__ = ["NotPlainData", "from_json", "to_json"]
