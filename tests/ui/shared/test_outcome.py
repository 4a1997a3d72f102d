"""The domain-error helper (``ui.shared.outcome``): each way a handler shows a refusal
(error toast, field errors into the form's dict, the not-found flag), the unit of work it
opens, and handlers using it answering crafted arguments without raising."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from reflex_base.event import Event
from sqlmodel import Session, select

from healthcareplus.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    SlotUnavailable,
    ValidationFailed,
)
from healthcareplus.core.models import City
from healthcareplus.ui.admin.locations_state import AdminCitiesState
from healthcareplus.ui.patient.doctor_profile_state import DoctorProfileState
from healthcareplus.ui.patient.profile_state import ProfileState
from healthcareplus.ui.shared.outcome import FIX_FIELDS, Failed, in_session, run_domain
from tests.ui.harness import Client, Users, has_toast, toasts

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
REFUSED = ValidationFailed({"name": "Enter a name.", "phone": "Enter a mobile number."})


def refuse(error: Exception) -> Any:
    raise error


def toast_js(spec: Any) -> str:
    [event] = Event.from_event_type(spec)
    return event.payload["function"]


# --- run_domain: the result, or a Failed ---------------------------------------------------


def test_the_result_comes_back_unchanged_when_nothing_is_refused() -> None:
    assert run_domain(lambda a, *, b: (a, b), 1, b=2) == (1, 2)
    assert run_domain(lambda: None) is None


@pytest.mark.parametrize(
    "error", [NotFound("gone"), Forbidden("no"), Conflict("taken"), SlotUnavailable("x"), REFUSED]
)
def test_every_domain_error_becomes_a_failed(error: DomainError) -> None:
    failed = run_domain(refuse, error)
    assert isinstance(failed, Failed) and failed.error is error
    assert failed.message == str(error)


@pytest.mark.parametrize("error", [ValueError("bug"), KeyError("bug"), RuntimeError("bug")])
def test_a_bug_still_raises(error: Exception) -> None:
    with pytest.raises(type(error)):
        run_domain(refuse, error)


# --- the variants --------------------------------------------------------------------------


def test_toast_variant_shows_the_domain_message_as_an_error_toast() -> None:
    failed = run_domain(refuse, Conflict("That slot was just taken."))
    assert isinstance(failed, Failed)
    js = toast_js(failed.toast())
    assert '"error"' in js and json.dumps("That slot was just taken.") in js


def test_field_errors_variant_gives_the_fields_for_the_forms_dict() -> None:
    failed = run_domain(refuse, REFUSED)
    assert isinstance(failed, Failed) and failed.invalid and not failed.not_found
    assert failed.fields == {"name": "Enter a name.", "phone": "Enter a mobile number."}
    failed.fields["name"] = "changed"  # a copy: the error keeps its own
    assert REFUSED.fields["name"] == "Enter a name."
    assert failed.form() == (REFUSED.fields, FIX_FIELDS)
    assert failed.form("Check the form.") == (REFUSED.fields, "Check the form.")
    assert failed.fields_or_toast() == (REFUSED.fields, None)


def test_one_field_forms_read_their_field_or_the_whole_message() -> None:
    failed = run_domain(refuse, ValidationFailed({"reason": "Too short."}))
    assert isinstance(failed, Failed)
    assert (failed.field("reason"), failed.field("other")) == ("Too short.", "Too short.")


def test_a_refusal_that_is_not_about_fields_marks_no_field() -> None:
    failed = run_domain(refuse, NotFound("Doctor not found."))
    assert isinstance(failed, Failed) and not failed.invalid
    assert failed.fields == {}
    assert failed.form() == ({}, "Doctor not found.")
    fields, reply = failed.fields_or_toast()
    assert fields == {} and json.dumps("Doctor not found.") in toast_js(reply)


def test_not_found_variant_is_a_flag() -> None:
    missing, other = run_domain(refuse, NotFound("x")), run_domain(refuse, Forbidden("x"))
    assert isinstance(missing, Failed) and isinstance(other, Failed)
    assert (missing.not_found, other.not_found) == (True, False)


# --- in_session: one unit of work ----------------------------------------------------------


def add_city(db: Session, *, name: str, then: DomainError | None = None) -> str:
    db.add(City(name=name, state="Karnataka"))
    db.flush()
    if then is not None:
        raise then
    return name


def city_names(fresh_session: FreshSession) -> list[str]:
    with fresh_session() as db:
        return [c.name for c in db.exec(select(City)).all()]


def test_in_session_commits_what_succeeded(db_url: str, fresh_session: FreshSession) -> None:
    assert in_session(add_city, name="Mysuru") == "Mysuru"
    assert "Mysuru" in city_names(fresh_session)


def test_in_session_rolls_back_what_was_refused(db_url: str, fresh_session: FreshSession) -> None:
    failed = in_session(add_city, name="Hubballi", then=ValidationFailed({"name": "Taken."}))
    assert isinstance(failed, Failed) and failed.fields == {"name": "Taken."}
    assert "Hubballi" not in city_names(fresh_session)


# --- handlers using it: crafted arguments answer, never raise ------------------------------

CRAFTED_IDS = [None, "", "abc", -1, 0, 2**40, ["1"], {"id": 1}, "1 OR 1=1", "9" * 5000]


@pytest.mark.parametrize("city_id", CRAFTED_IDS, ids=lambda v: f"{type(v).__name__}{len(str(v))}")
async def test_toast_variant_in_a_handler(
    make_client: MakeClient, users: Users, city_id: Any
) -> None:
    client = make_client(users.admin, url="/admin/locations")
    events = await client.call(AdminCitiesState, "edit_city", city_id=city_id)
    assert has_toast(events, "City not found.")
    assert (await client.state(AdminCitiesState)).dialog_open is False


@pytest.mark.parametrize(
    "form_data",
    [
        None,
        "name=x",
        ["name", "x"],
        {"name": ["Asha"], "phone": 98450},
        {"name": "", "phone": "call me"},
        {"name": "A" * 100_000, "phone": "+91 98450 11111", "date_of_birth": "yesterday"},
    ],
    ids=["none", "text", "list", "wrong-types", "blank", "huge"],
)
async def test_field_errors_variant_in_a_handler(
    make_client: MakeClient, users: Users, fresh_session: FreshSession, form_data: Any
) -> None:
    client = make_client(users.patient, url="/profile")
    await client.call(ProfileState, "load")
    events = await client.call(ProfileState, "save", form_data=form_data)
    state = await client.state(ProfileState)
    assert state.errors and all(isinstance(m, str) and m for m in state.errors.values())
    assert state.saved_message == "" and toasts(events) == []
    with fresh_session() as db:
        saved = db.get(type(users.patient), users.patient.id)
        assert saved is not None and saved.name == "Asha Rao"


@pytest.mark.parametrize(
    "path", ["/doctor/999999", "/doctor/0", "/doctor/abc", "/doctor/", "/doctor/1%20OR%201=1"]
)
async def test_not_found_variant_in_a_handler(make_client: MakeClient, path: str) -> None:
    client = make_client(None, url=path)
    assert await client.call(DoctorProfileState, "load") in ([], [None])
    state = await client.state(DoctorProfileState)
    assert (state.loaded, state.not_found, state.doctor) == (True, True, {})
