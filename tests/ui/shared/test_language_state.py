"""The reader's language: the switch (any browser may send it anything), remembering it
on the signed-in user, signing in with a saved language, the middleware that makes it
the current one for patient-side events, and domain errors shown in it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from reflex.utils.format import format_event_handler
from reflex_base.event import Event
from sqlmodel import Session

from healthcareplus.core import i18n
from healthcareplus.core.errors import NotFound, ValidationFailed
from healthcareplus.core.models import User
from healthcareplus.ui.admin.home_state import AdminHomeState
from healthcareplus.ui.patient.discovery_state import HomeState
from healthcareplus.ui.shared.account_state import AccountFormState
from healthcareplus.ui.shared.language_state import LanguageMiddleware, LanguageState
from healthcareplus.ui.shared.outcome import Failed
from tests.ui.harness import PASSWORD, Client, Users, has_toast

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]


async def language_of(client: Client) -> str:
    return (await client.state(LanguageState)).language


def saved_language(fresh_session: FreshSession, user: User) -> str | None:
    with fresh_session() as db:
        found = db.get(User, user.id)
        assert found is not None
        return found.language


@pytest.mark.parametrize(
    "bad", ["fr", "", "HI", "hi ", "en-GB", "hi'; --", None, 1, ["hi"], {"hi": 1}]
)
async def test_the_switch_ignores_anything_but_a_supported_language(
    bad: Any, make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    client = make_client(users.patient)
    await client.call(LanguageState, "switch_language", language="hi")
    events = await client.call(LanguageState, "switch_language", language=bad)
    assert events == []
    assert await language_of(client) == "hi"
    assert saved_language(fresh_session, users.patient) == "hi"


async def test_a_visitor_switches_on_the_device_only(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    client = make_client()
    await client.call(LanguageState, "switch_language", language="hi")
    assert await language_of(client) == "hi"
    await client.call(LanguageState, "switch_language", language="en")
    assert await language_of(client) == "en"
    assert saved_language(fresh_session, users.patient) is None


async def test_a_signed_in_switch_is_remembered_on_the_user_only(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    await make_client(users.patient).call(LanguageState, "switch_language", language="hi")
    assert saved_language(fresh_session, users.patient) == "hi"
    assert saved_language(fresh_session, users.other_patient) is None


async def test_signing_in_applies_the_saved_language(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    users.patient.language = "hi"
    session.add(users.patient)
    session.commit()
    client = make_client(url="/login")
    assert await language_of(client) == "en"
    form = {"email": "asha@example.com", "password": PASSWORD}
    events = await client.call(AccountFormState, "sign_in", form_data=form)
    assert await language_of(client) == "hi"
    assert has_toast(events, "स्वागत है, Asha Rao!")


async def test_a_first_sign_in_keeps_and_remembers_the_devices_language(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    client = make_client(url="/login")
    await client.call(LanguageState, "switch_language", language="hi")
    form = {"email": "asha@example.com", "password": PASSWORD}
    await client.call(AccountFormState, "sign_in", form_data=form)
    assert await language_of(client) == "hi"
    assert saved_language(fresh_session, users.patient) == "hi"


async def test_staff_read_their_portals_in_english(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    for email in ("dev@example.com", "admin@example.com"):
        client = make_client(url="/admin/login" if email.startswith("admin") else "/login")
        await client.call(LanguageState, "switch_language", language="hi")
        handler = "sign_in_admin" if email.startswith("admin") else "sign_in"
        form = {"email": email, "password": PASSWORD}
        await client.call(AccountFormState, handler, form_data=form)
        assert await language_of(client) == "en"


def _event(cls: type, name: str) -> Event:
    return Event(name=format_event_handler(cls.event_handlers[name]), payload={})


async def test_patient_side_events_run_in_the_devices_language(
    make_client: MakeClient, users: Users
) -> None:
    client = make_client()
    (await client.state(LanguageState)).language = "hi"
    middleware = LanguageMiddleware()
    assert (
        await middleware.preprocess(app=None, state=client.root, event=_event(HomeState, "load"))
        is None
    )  # type: ignore[arg-type]
    assert i18n.current_language() == "hi"
    assert i18n.gettext("Today") == "आज"
    await middleware.preprocess(app=None, state=client.root, event=_event(AdminHomeState, "load"))  # type: ignore[arg-type]
    assert i18n.current_language() == "en"
    (await client.state(LanguageState)).language = "xx"  # a forged cookie reads as English
    await middleware.preprocess(app=None, state=client.root, event=_event(HomeState, "load"))  # type: ignore[arg-type]
    assert i18n.current_language() == "en"


def test_domain_errors_are_shown_in_the_callers_language() -> None:
    refused = Failed(ValidationFailed({"language": "Choose English or Hindi."}))
    missing = Failed(NotFound("This appointment can no longer be rescheduled."))
    with i18n.use_language("hi"):
        assert refused.fields == {"language": "अंग्रेज़ी या हिन्दी चुनें।"}
        assert refused.form() == ({"language": "अंग्रेज़ी या हिन्दी चुनें।"}, "कृपया चिह्नित फ़ील्ड ठीक करें।")
        assert missing.message == "इस अपॉइंटमेंट का समय अब बदला नहीं जा सकता।"
    assert missing.message == "This appointment can no longer be rescheduled."
