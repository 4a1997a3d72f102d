"""The versioned public REST API: a FastAPI app served under ``/api/v1`` on the app's own
port (mounted into ``healthcareplus.api.api``, which Reflex mounts through
``api_transformer``; the ``SecurityHeaders`` middleware wraps it like every response).

Thin routers over the domain functions the website uses: whatever the website refuses,
the API refuses too, with the same words. Errors are problem details (``problems``),
every request is rate limited (``rate_limits``), the caller comes from one dependency
(``callers``). The document is at ``/api/v1/openapi.json``, the docs at ``/api/v1/docs``.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI

from healthcareplus.api.v1 import (
    docs,
    routes_admin_accounts,
    routes_admin_appointments,
    routes_admin_doctors,
    routes_admin_locations,
    routes_admin_patients,
    routes_admin_reports,
    routes_admin_timetable,
    routes_admin_webhooks,
    routes_api_keys,
    routes_appointments,
    routes_auth,
    routes_booking,
    routes_catalog,
    routes_doctor_portal,
    routes_doctor_schedule,
    routes_doctors,
    routes_payments,
    routes_profile,
)
from healthcareplus.api.v1.openapi import install_openapi
from healthcareplus.api.v1.problems import API_PREFIX, install_problem_handlers
from healthcareplus.api.v1.rate_limits import enforce_rate_limits

DESCRIPTION = """
The HealthCarePlus clinics' API: the public catalogue (cities, hospitals, doctors,
availability, the symptom checker) and, for signed-in callers, their own data.

**Authentication.** People (patients, doctors, admins) sign in with `POST /auth/token`
(OAuth2 password flow: form fields `username` = email and `password`) and send the access
token as `Authorization: Bearer …`. It lasts 15 minutes; `POST /auth/refresh` swaps the
single-use refresh token for a new pair. `POST /auth/logout` ends the sign-in. Failed
sign-ins are throttled as on the website. Integrations send an API key as `X-API-Key`:
admins make keys with scopes (`catalog:read`, `appointments:read`, `appointments:write`,
`admin:read`, `admin:write`); a key acts for its admin, within its scopes.

**Public.** The catalogue needs no credentials, as on the website; a credential, when
sent, must be valid.

**Errors** are [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem details
(`application/problem+json`): `type` (a page of this API, `/problems/{slug}`), `title`,
`status`, `detail`, `instance` and, for invalid input, `errors` listing each field.

**Rate limits.** Per client address and per sign-in or API key, in fixed windows: past a
limit the answer is 429 with `Retry-After` (seconds). Every answer carries
`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`.

**Times** are UTC instants (ISO 8601); clinic dates are the clinic's calendar days (IST).
Money is in paise (₹1 = 100 paise).
"""
TAGS = [
    {"name": "Authentication", "description": "Signing in and out; who is calling."},
    {"name": "Catalogue", "description": "Cities, hospitals, specializations, symptoms."},
    {"name": "Doctors", "description": "Doctor search, profiles and availability."},
    {"name": "Patient: appointments", "description": "A patient's own bookings and visits."},
    {"name": "Patient: payments", "description": "Paying for a held booking."},
    {"name": "Patient: profile", "description": "Profile; anyone's notification choices."},
    {"name": "Doctor portal", "description": "A doctor's own visits, records and schedule."},
    {"name": "Admin: appointments", "description": "The dashboard: appointments, statistics."},
    {"name": "Admin: timetable", "description": "A doctor's day; blocking single slots."},
    {"name": "Admin: doctors", "description": "Doctors, their invitations and weekly hours."},
    {"name": "Admin: patients", "description": "Patients: search, details, blocking."},
    {"name": "Admin: cities and hospitals", "description": "Where the clinics are."},
    {"name": "Admin: administrators", "description": "The other administrators."},
    {"name": "Admin: audit log", "description": "Who did what, when and why."},
    {"name": "Admin: reports", "description": "CSV and PDF reports."},
    {"name": "Admin: API keys", "description": "Keys for integrations (admins only)."},
    {"name": "Admin: webhooks", "description": "Signed event deliveries to your endpoints."},
    {"name": "Problems", "description": "The kinds of error this API answers with."},
]

# A patient's own appointments, payments and profile.
PATIENT_ROUTERS = (routes_booking, routes_appointments, routes_payments, routes_profile)
# The doctor portal and the admin endpoints.
STAFF_ROUTERS = (
    routes_doctor_portal,
    routes_doctor_schedule,
    routes_admin_appointments,
    routes_admin_timetable,
    routes_admin_doctors,
    routes_admin_patients,
    routes_admin_locations,
    routes_admin_accounts,
    routes_admin_reports,
    routes_admin_webhooks,
)


def create_v1_app() -> FastAPI:
    """A new API app; mount it at ``API_PREFIX``."""
    app = FastAPI(
        title="HealthCarePlus API",
        version="1.0.0",
        summary="Find doctors and clinics, and sign in, across HealthCarePlus hospitals.",
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        servers=[{"url": API_PREFIX, "description": "This installation"}],
        openapi_tags=TAGS,
        dependencies=[Depends(enforce_rate_limits)],
    )
    install_problem_handlers(app)
    for module in (routes_auth, routes_catalog, routes_doctors, routes_api_keys, docs):
        app.include_router(module.router)
    for module in PATIENT_ROUTERS:
        app.include_router(module.router)
    for module in STAFF_ROUTERS:
        app.include_router(module.router)
    install_openapi(app)
    return app


__all__ = ["API_PREFIX", "create_v1_app"]
