"""Every event handler of the app's states declares who may call it.

Any browser can send any event to any public handler, so an undeclared handler is a
hole. The privileged handlers are listed here with their roles: changing who may call
one must change this test too.
"""

from __future__ import annotations

import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from reflex.state import BaseState
from reflex.utils.format import format_event_handler
from reflex_base.registry import RegistrationContext

import healthcareplus.domain
from healthcareplus.ui.shared import guard
from tests.ui.harness import STATE_MODULES

ROOT = Path(__file__).resolve().parents[2]

# "StateClass.handler" -> the roles that may call it. Everything else must be public.
EVERY_ROLE = ("patient", "doctor", "admin", "front_desk")
PRIVILEGED = {
    "ProfileState.load": ("patient",),
    "ProfileState.save": ("patient",),
    **{f"MyDataState.{h}": ("patient",) for h in ("load", "download_data", "erase")},
    "AdminHomeState.load": ("admin",),
    **{
        f"SecurityState.{handler}": EVERY_ROLE
        for handler in ("load", "sign_out_device", "sign_out_everywhere", "change_password")
    },
    "NotificationBellState.refresh": EVERY_ROLE,
    "NotificationPreferencesState.load": EVERY_ROLE,
    "NotificationPreferencesState.save": EVERY_ROLE,
    **{
        f"NotificationsState.{handler}": EVERY_ROLE
        for handler in ("load", "go_to_page", "mark_read", "mark_all_read")
    },
    **{
        f"{state}.{handler}": ("patient",)
        for state, handlers in {
            "PaymentState": ("load", "choose_method", "pay", "abandon"),
            "FamilyState": ("load", "start_add", "start_edit", "close_form", "save", "remove"),
            "AppointmentsState": ("load", "tick", "switch_tab", "cancel"),
            "WaitlistState": ("load", "join", "leave", "accept", "decline"),
            "ReviewDialogState": ("start", "close", "save"),
            "AppointmentDetailState": (
                "load",
                "cancel",
                "download_calendar",
                "download_prescription",
            ),
        }.items()
        for handler in handlers
    },
    **{
        f"{state}.{handler}": ("doctor",)
        for state, handlers in {
            "DoctorPortalState": ("load", "tick", "call_next"),
            "DoctorScheduleState": ("load", "save", "confirm", "dismiss"),
            "DoctorOwnProfileState": ("load", "save", "request_fee", "withdraw_fee"),
            "DoctorReportState": ("load", "choose_month", "download_month"),
            "DoctorReviewsState": ("load", "go_to_page", "start_reply", "close_reply", "reply"),
            "DoctorAppointmentsState": (
                "load",
                "search",
                "clear_search",
                "set_scope",
                "go_to_page",
                "set_view",
                "show_week",
            ),
            "DoctorPatientsState": ("load", "search", "clear_search", "go_to_page"),
            "DoctorPatientHistoryState": ("load",),
            "DoctorOwnPhotoState": ("load", "upload", "remove"),
            "DoctorRequestsState": (
                "load",
                "tick",
                "accept",
                "start_decline",
                "close_decline",
                "decline",
            ),
            "DoctorBookingSettingState": ("load", "set_confirms"),
            "DoctorTimeOffState": ("load", "set_kind", "add", "confirm", "dismiss", "remove"),
            "DoctorVisitState": (
                "load",
                "add_line",
                "remove_line",
                "save",
                "complete",
                "no_show",
                "cancel",
                "record_payment",
                "download_prescription",
            ),
        }.items()
        for handler in handlers
    },
    # The booking wizard: patients book; the desk (or an admin) books for a patient; they
    # and the doctor move a visit.
    **{
        f"BookingState.{handler}": ("patient", "front_desk", "admin", "doctor")
        for handler in ("load", "choose_day", "choose_slot", "go_to_step", "confirm")
    },
    **{
        f"{state}.{handler}": ("front_desk", "admin")
        for state, handlers in {
            "DeskPatientsState": ("load", "search", "register"),
            "DeskPatientState": (
                "load",
                "choose_hospital",
                "book",
                "confirm",
                "take_payment",
                "open_cancel",
                "close_cancel",
                "cancel",
                "invite",
            ),
            "DeskReceiptState": ("load",),
        }.items()
        for handler in handlers
    },
    **{
        f"DeskQueueState.{handler}": ("front_desk", "admin")
        for handler in (
            "load",
            "choose_hospital",
            "tick",
            "check_in",
            "call_in",
            "finish",
            "undo_check_in",
            "open_screen",
            "new_screen_address",
        )
    },
}
# Reflex's generic setter: never declared, so AccessGuard refuses it.
GENERIC_SETTER = "setvar"
# Not exhaustive on purpose (new states are fine); guards against enumerating nothing.
KNOWN_STATES = {
    "SessionState",
    "AccountFormState",
    "ProfileState",
    "FamilyState",
    "AdminHomeState",
    "HomeState",
    "CityState",
    "HospitalState",
    "DoctorProfileState",
    "DoctorSearchState",
    "SymptomState",
    "BookingState",
    "PaymentState",
    "AppointmentsState",
    "AppointmentDetailState",
    "DoctorPortalState",
    "DoctorScheduleState",
    "DoctorTimeOffState",
    "DoctorVisitState",
    "SecurityState",
    "SetPasswordState",
    "NotificationBellState",
    "NotificationsState",
    "NotificationPreferencesState",
}


def app_state_classes() -> list[type[BaseState]]:
    found = []
    for module in STATE_MODULES:
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseState) and obj.__module__ == module.__name__:
                found.append(obj)
    return found


def admin_module_handlers() -> dict[str, tuple[str, ...]]:
    """Rule: every handler of a state in the admin portal (``healthcareplus.ui.admin``) is
    admin-only (the admin portal has no public or patient actions)."""
    return {
        f"{cls.__name__}.{name}": ("admin",)
        for cls in app_state_classes()
        if cls.__module__.startswith("healthcareplus.ui.admin.")
        for name in cls.event_handlers
        if name != GENERIC_SETTER
    }


def expected_privileged() -> dict[str, tuple[str, ...]]:
    return {**admin_module_handlers(), **PRIVILEGED}


def app_handlers() -> dict[str, object]:
    """``"StateClass.handler"`` -> EventHandler, for every handler but ``setvar``."""
    return {
        f"{cls.__name__}.{name}": handler
        for cls in app_state_classes()
        for name, handler in cls.event_handlers.items()
        if name != GENERIC_SETTER
    }


def test_all_state_modules_and_classes_are_found() -> None:
    module_names = {m.__name__ for m in STATE_MODULES}
    on_disk = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in (ROOT / "healthcareplus" / "ui").rglob("*_state.py")
    } | {"healthcareplus.ui.shared.session"}
    assert module_names == on_disk
    assert {cls.__name__ for cls in app_state_classes()} >= KNOWN_STATES
    # Each known state has at least one handler of its own besides setvar.
    owners = {key.split(".")[0] for key in app_handlers()}
    assert owners >= KNOWN_STATES


def test_every_handler_is_declared_public_or_requires() -> None:
    undeclared = [
        key for key, handler in app_handlers().items() if guard.access_policy(handler.fn) is None
    ]
    assert undeclared == []


def test_privileged_handlers_are_exactly_the_listed_ones_with_their_roles() -> None:
    policies = {key: guard.access_policy(handler.fn) for key, handler in app_handlers().items()}
    privileged = {key: tuple(policy) for key, policy in policies.items() if policy != guard.PUBLIC}
    assert privileged == expected_privileged()
    public = {key for key, policy in policies.items() if policy == guard.PUBLIC}
    assert public == set(policies) - set(expected_privileged())
    # Sanity: the public set is the bulk of the app (browsing, forms, session).
    assert {"SessionState.logout", "AccountFormState.sign_in", "HomeState.load"} <= public


def test_generic_setter_is_undeclared_on_every_app_state() -> None:
    for cls in app_state_classes():
        assert guard.access_policy(cls.event_handlers[GENERIC_SETTER].fn) is None, cls


@pytest.mark.parametrize("key", sorted(expected_privileged()))
def test_privileged_handler_keeps_its_policy_in_the_registry_the_guard_reads(key: str) -> None:
    """AccessGuard finds handlers by event name: the registered one must carry the policy."""
    handler = app_handlers()[key]
    registered = RegistrationContext.get().event_handlers[format_event_handler(handler)]
    assert registered.states[0].__name__ == key.split(".")[0]
    assert registered.states[0].__module__.startswith(guard.APP_PACKAGE)
    assert guard.access_policy(registered.handler.fn) == expected_privileged()[key]


def test_every_app_handler_is_registered_under_its_own_state() -> None:
    registry = RegistrationContext.get().event_handlers
    for cls in app_state_classes():
        for handler in cls.event_handlers.values():
            assert registry[format_event_handler(handler)].states[0] is cls


def test_domain_does_not_import_the_ui_framework() -> None:
    modules = sorted(
        info.name
        for info in pkgutil.walk_packages(
            healthcareplus.domain.__path__, prefix="healthcareplus.domain."
        )
    )
    assert "healthcareplus.domain.accounts.auth" in modules and len(modules) >= 10
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in ('reflex', 'reflex_base', 'fastapi', 'starlette')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
