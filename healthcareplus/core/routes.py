"""Route constants and URL builders, shared by pages, states and tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

HOME = "/"
LOGIN = "/login"
REGISTER = "/register"
ADMIN_LOGIN = "/admin/login"
ADMIN_REGISTER = "/admin/register"
ADMIN_HOME = "/admin"
ADMIN_TIMETABLE = "/admin/timetable"
ADMIN_DOCTORS = "/admin/doctors"
ADMIN_PATIENTS = "/admin/patients"
ADMIN_LOCATIONS = "/admin/locations"
ADMIN_ADMINS = "/admin/admins"
ADMIN_REPORTS = "/admin/reports"
ADMIN_AUDIT = "/admin/audit"
ADMIN_SIGN_IN_LOCKS = "/admin/sign-in-locks"
ADMIN_MESSAGES = "/admin/messages"
ADMIN_WEBHOOKS = "/admin/webhooks"
ADMIN_REVIEWS = "/admin/reviews"
ADMIN_FEE_REQUESTS = "/admin/fee-requests"
PROFILE = "/profile"
ACCOUNT_SECURITY = "/account/security"
MY_DATA = "/account/data"
SET_PASSWORD = "/set-password"  # ?token=… from an emailed single-use link
FORGOT_PASSWORD = "/forgot-password"
NOTIFICATIONS = "/notifications"
DOCTORS = "/doctors"
SYMPTOMS = "/symptom-checker"
CITY = "/city/[city_id]"
HOSPITAL = "/hospital/[hospital_id]"
DOCTOR = "/doctor/[doctor_id]"
BOOK = "/book/[doctor_id]"
RESCHEDULE = "/reschedule/[appointment_id]"
PAY = "/pay/[appointment_id]"
APPOINTMENTS = "/appointments"
WAITLIST = "/waitlist"
APPOINTMENT = "/appointments/[appointment_id]"
DOCTOR_PORTAL = "/doctor-portal"
DOCTOR_SCHEDULE = "/doctor-portal/schedule"
DOCTOR_PROFILE = "/doctor-portal/profile"
DOCTOR_REPORTS = "/doctor-portal/reports"
DOCTOR_REVIEWS = "/doctor-portal/reviews"
DOCTOR_VISIT = "/doctor-portal/visits/[appointment_id]"
DOCTOR_APPOINTMENTS = "/doctor-portal/appointments"
DOCTOR_PATIENTS = "/doctor-portal/patients"
DOCTOR_PATIENT = "/doctor-portal/patients/[patient_key]"
DESK = "/desk"
DESK_PATIENT = "/desk/patients/[patient_id]"
DESK_QUEUE = "/desk/queue"
DESK_RECEIPT = "/desk/receipts/[appointment_id]"
QUEUE_SCREEN = "/queue-screen/[screen_key]"
ADMIN_STAFF = "/admin/front-desk"


def _url_of(route: str) -> Callable[[Any], str]:
    """The URL builder of ``route``, whose one ``[parameter]`` ends it: the value given
    takes its place. (It also takes a row Var in components: Reflex formats Vars inside
    f-strings.)"""
    head = route.split("[", 1)[0]

    def url(value: Any) -> str:
        return f"{head}{value}"

    return url


city_url = _url_of(CITY)
hospital_url = _url_of(HOSPITAL)
doctor_url = _url_of(DOCTOR)
book_url = _url_of(BOOK)
payment_url = _url_of(PAY)
reschedule_url = _url_of(RESCHEDULE)
appointment_url = _url_of(APPOINTMENT)
doctor_visit_url = _url_of(DOCTOR_VISIT)
doctor_patient_url = _url_of(DOCTOR_PATIENT)
desk_patient_url = _url_of(DESK_PATIENT)
desk_receipt_url = _url_of(DESK_RECEIPT)
queue_screen_url = _url_of(QUEUE_SCREEN)


def slot_param(start_at: datetime) -> str:
    """A slot's start as the wizard's ``?start=`` takes it: UTC, "2026-11-23T03:30:00Z"
    (nothing in it to escape in a query, unlike an offset's "+")."""
    return start_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def book_slot_url(doctor_id: Any, start_at: datetime) -> str:
    """The booking wizard for the doctor, opened at the slot starting at ``start_at``."""
    return f"{book_url(doctor_id)}?start={slot_param(start_at)}"


def doctors_url(query: dict[str, str] | None = None) -> str:
    return f"{DOCTORS}?{urlencode(query)}" if query else DOCTORS


def login_url_for(roles: tuple[str, ...], next_path: str = "") -> str:
    base = ADMIN_LOGIN if roles == ("admin",) else LOGIN
    next_path = next_path.rstrip("/") if len(next_path) > 1 else next_path
    safe_next = next_path if next_path.startswith("/") and not next_path.startswith("//") else ""
    return f"{base}?{urlencode({'next': safe_next})}" if safe_next else base


def safe_next(path: str | None, default: str) -> str:
    """Only same-site paths are followed after login (no open redirects)."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return default
