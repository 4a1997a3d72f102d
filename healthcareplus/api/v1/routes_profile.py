"""The patient's own profile, and the signed-in person's notification preferences: the
profile page's domain functions (``accounts.profiles``, ``notifications.preferences``),
so each field is checked with the page's rules and words.

The profile is the patient's (as the website's profile page); the preferences are every
person's, patient, doctor or admin (as the website's preferences card). API keys are
refused (403): a key acts for an admin's work, not for their own account.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from healthcareplus.api.v1.callers import Caller, signed_in_person
from healthcareplus.api.v1.patients import NO_STORE, PATIENT_REFUSALS, patient_id, patient_person
from healthcareplus.api.v1.problems import problems
from healthcareplus.api.v1.profile_schemas import (
    FamilyMemberOut,
    PreferencesBody,
    ProfileOut,
    ProfilePatch,
)
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.accounts import dependants
from healthcareplus.domain.accounts import profiles as accounts
from healthcareplus.domain.notifications import preferences

router = APIRouter(tags=["Patient: profile"])
Patient = Annotated[Caller, Depends(patient_person)]
Person = Annotated[Caller, Depends(signed_in_person)]
PATIENTS_ONLY = "For patients signed in with a bearer token; API keys are refused (403)."
PEOPLE = "For anyone signed in with a bearer token (patients, doctors, admins); not API keys."


@router.get(
    "/me/profile",
    response_model=ProfileOut,
    summary="My profile",
    description=f"Your contact details and medical profile. {PATIENTS_ONLY}",
    responses=PATIENT_REFUSALS,
)
def profile(caller: Patient, response: Response) -> ProfileOut:
    with session_scope() as db:
        found = accounts.get_profile(db, user_id=patient_id(caller))
    response.headers.update(NO_STORE)
    return ProfileOut.of(found)


@router.get(
    "/me/family",
    response_model=list[FamilyMemberOut],
    summary="My family members",
    description=(
        "The family members you may book visits for (`dependant_id` when booking), as "
        f"added on the profile page. {PATIENTS_ONLY}"
    ),
    responses=PATIENT_REFUSALS,
)
def family(caller: Patient, response: Response) -> list[FamilyMemberOut]:
    with session_scope() as db:
        found = dependants.list_dependants(db, holder_id=patient_id(caller))
    response.headers.update(NO_STORE)
    return [FamilyMemberOut.of(member) for member in found]


def _merged(current: accounts.Profile, changes: dict[str, str | None]) -> accounts.ProfileForm:
    """The whole form, as the profile page submits it: the fields sent, else the stored."""

    def pick(name: str) -> str:
        if name in changes:
            return changes[name] or ""
        return str(getattr(current, name))

    return accounts.ProfileForm(
        name=pick("name"),
        phone=pick("phone"),
        date_of_birth=pick("date_of_birth"),
        gender=pick("gender"),
        blood_group=pick("blood_group"),
        allergies=pick("allergies"),
        medical_history=pick("medical_history"),
    )


@router.patch(
    "/me/profile",
    response_model=ProfileOut,
    summary="Change my profile",
    description=(
        "Changes the fields sent (the others keep their value) with the profile page's "
        "checks: a full name, an Indian mobile number, a date of birth not in the future, "
        "a listed gender and blood group, allergies and history within their lengths. "
        "Every refused field is listed in `errors`; nothing is saved then. The email is "
        f"not changed here. {PATIENTS_ONLY}"
    ),
    responses={**PATIENT_REFUSALS, **problems(422)},
)
def change_profile(caller: Patient, body: ProfilePatch, response: Response) -> ProfileOut:
    with session_scope() as db:
        user_id = patient_id(caller)
        form = _merged(
            accounts.get_profile(db, user_id=user_id), body.model_dump(exclude_unset=True)
        )
        saved = accounts.update_profile(db, user_id=user_id, now=utcnow(), **form)
    response.headers.update(NO_STORE)
    return ProfileOut.of(saved)


@router.get(
    "/me/notification-preferences",
    response_model=PreferencesBody,
    summary="My notification preferences",
    description=(
        "How you are told of changes to your visits and reminded of them, by channel "
        f"(the defaults until you choose). {PEOPLE}"
    ),
    responses=PATIENT_REFUSALS,
)
def notification_preferences(caller: Person) -> PreferencesBody:
    with session_scope() as db:
        chosen = preferences.preferences_of(db, caller.user_id or 0)
    return PreferencesBody.of(chosen)


@router.put(
    "/me/notification-preferences",
    response_model=PreferencesBody,
    summary="Set my notification preferences",
    description=(
        "Every choice, true or false. News of a change always lands in the app too; "
        "reminders may be off everywhere. Texts (SMS, WhatsApp) need a mobile number on "
        f"your profile (422 otherwise). {PEOPLE}"
    ),
    responses={**PATIENT_REFUSALS, **problems(422)},
)
def set_notification_preferences(caller: Person, body: PreferencesBody) -> PreferencesBody:
    with session_scope() as db:
        saved = preferences.update_preferences(
            db, user_id=caller.user_id or 0, now=utcnow(), choices=body.model_dump()
        )
    return PreferencesBody.of(saved)


__all__ = ["router"]
