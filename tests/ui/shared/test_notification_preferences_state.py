"""The notification preferences card's state: every signed-in role loads and saves its
own choices; a crafted or anonymous call changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session

from healthcareplus.domain.notifications.preferences import NO_PHONE, Preferences, preferences_of
from healthcareplus.ui.shared.notification_preferences_state import (
    NotificationPreferencesState as S,
)
from healthcareplus.ui.shared.notification_preferences_state import chosen_in
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
PAGE = "/profile"
DEFAULTS = {
    "updates_email": True,
    "updates_sms": False,
    "updates_whatsapp": False,
    "reminders_in_app": True,
    "reminders_email": True,
    "reminders_sms": False,
    "reminders_whatsapp": False,
}


def stored(fresh_session: FreshSession, user_id: int | None) -> Preferences:
    with fresh_session() as db:
        return preferences_of(db, user_id or 0)


def test_a_form_sends_only_the_ticked_boxes() -> None:
    assert chosen_in({"updates_sms": "on", "reminders_email": "on", "junk": "on"}) == {
        **{name: False for name in DEFAULTS},
        "updates_sms": True,
        "reminders_email": True,
    }


@pytest.mark.parametrize("who", ["patient", "doctor", "admin"])
async def test_each_role_loads_and_saves_its_own_choices(
    make_client: MakeClient, users: Users, fresh_session: FreshSession, who: str
) -> None:
    user = getattr(users, who)
    client = make_client(user, url=PAGE)
    assert redirects(await client.call(S, "load")) == []
    state = await client.state(S)
    assert (state.choices, state.has_phone, state.loaded) == (DEFAULTS, True, True)
    assert state.texts_recorded_only  # the development provider is the default
    key = state.form_key

    events = await client.call(S, "save", form_data={"updates_whatsapp": "on"})

    assert has_toast(events, "Notification choices saved")
    state = await client.state(S)
    expected = {**{name: False for name in DEFAULTS}, "updates_whatsapp": True}
    assert state.choices == expected and state.form_key > key
    assert stored(fresh_session, user.id) == Preferences(**expected)
    assert stored(fresh_session, users.other_patient.id) == Preferences()  # nobody else's


async def test_texts_without_a_phone_are_refused_next_to_the_box(
    make_client: MakeClient, users: Users, session: Session, fresh_session: FreshSession
) -> None:
    users.doctor.phone = ""
    session.add(users.doctor)
    session.commit()
    client = make_client(users.doctor, url=PAGE)
    await client.call(S, "load")
    assert not (await client.state(S)).has_phone

    await client.call(S, "save", form_data={"reminders_sms": "on", "updates_email": "on"})

    assert (await client.state(S)).errors == {"reminders_sms": NO_PHONE}
    assert stored(fresh_session, users.doctor.id) == Preferences()


@pytest.mark.parametrize("name", ["load", "save"])
async def test_an_anonymous_or_blocked_caller_changes_nothing(
    make_client: MakeClient,
    users: Users,
    session: Session,
    fresh_session: FreshSession,
    name: str,
) -> None:
    blocked = make_client(users.patient, url=PAGE)
    users.patient.is_blocked = True
    session.add(users.patient)
    session.commit()
    payload: dict[str, Any] = {"form_data": {"updates_sms": "on"}} if name == "save" else {}
    for client in (make_client(url=PAGE), blocked):
        events = await client.call(S, name, **payload)
        assert redirects(events) == ["/login?next=%2Fprofile"]
        assert (await client.state(S)).choices == {}
    assert stored(fresh_session, users.patient.id) == Preferences()
