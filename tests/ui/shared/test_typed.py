"""``ui.shared.typed`` only re-types Reflex's names for mypy: at runtime they are Reflex's
own, so the states declared with them are ordinary Reflex states."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar, StringVar

from healthcareplus.ui.admin.locations_state import AdminCitiesState
from healthcareplus.ui.shared import typed


def test_the_names_are_reflexs_own() -> None:
    assert typed.Field is rx.Field
    assert typed.field is rx.field
    assert typed.event is rx.event


def test_fields_read_back_as_typed_vars_on_the_class() -> None:
    assert isinstance(AdminCitiesState.cities, ArrayVar)
    assert isinstance(AdminCitiesState.city_form, ObjectVar)
    assert isinstance(AdminCitiesState.city_form["name"], StringVar)


async def test_mutable_defaults_are_fresh_for_every_tab() -> None:
    """``field(default_factory=...)``: no two tabs share a list or dict."""
    first = await rx.State().get_state(AdminCitiesState)
    second = await rx.State().get_state(AdminCitiesState)
    first.city_form["name"] = "Pune"
    first.errors["name"] = "Taken"
    assert second.city_form == {}
    assert second.errors == {}
    assert second.cities == []
