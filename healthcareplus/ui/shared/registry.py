"""How a page module declares its routes: ``PAGES = [Page(...), ...]``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import reflex as rx


class Page(NamedTuple):
    component: Callable[[], rx.Component]
    route: str
    title: str
    on_load: Sequence[Any] = ()
