"""Admin doctor management: the list with the add form (one doctor's profile and
activation: ``doctor_detail_state``; the weekly schedule editor:
``doctor_schedule_state``). Every handler is admin-only.

A new doctor is emailed a link to set a password; ``invited`` holds whom the latest
invitation went to (shown until the next load or dismissal). The link itself never
reaches this state: it is a secret for the doctor's mailbox. Rows say whether a doctor's
invitation is still pending (``invitation``), which offers "Resend invitation".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import doctor_views
from healthcareplus.domain.admin import doctors as svc
from healthcareplus.domain.admin.doctor_fields import DoctorProfileForm
from healthcareplus.domain.admin.locations import hospital_choices
from healthcareplus.ui.admin.lists import (
    SearchList,
    SortedList,
    clean_query,
    clean_status,
    form_values,
)
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import actor, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import find_row, parse_id, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

PROFILE_FIELDS = (
    "name",
    "specialization",
    "qualification",
    "experience_years",
    "fee_rupees",
    "gender",
    "languages",
    "hospital_id",
    "phone",
    "about",
)


def doctor_profile_form(form_data: Any) -> DoctorProfileForm:
    """The profile fields of the add and edit forms (missing or odd -> "")."""
    values = form_values(form_data, PROFILE_FIELDS)
    return DoctorProfileForm(
        name=values["name"],
        specialization=values["specialization"],
        qualification=values["qualification"],
        experience_years=values["experience_years"],
        fee_rupees=values["fee_rupees"],
        gender=values["gender"],
        languages=values["languages"],
        hospital_id=values["hospital_id"],
        phone=values["phone"],
        about=values["about"],
    )


def hospital_rows() -> list[dict[str, str]]:
    with session_scope() as db:
        return to_rows(hospital_choices(db))


def with_invitations(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows, each with ``invitation``: "pending" while the doctor has not set a
    password with the emailed link, else ""."""
    with session_scope() as db:
        found = svc.pending_invitations(db, [int(r["id"]) for r in rows if r["id"].isdigit()])
    pending = {str(doctor_id) for doctor_id in found}
    return [{**r, "invitation": "pending" if r["id"] in pending else ""} for r in rows]


def invited_row(invitation: svc.Invitation, name: str) -> dict[str, str]:
    return {"name": name, "email": invitation.email, "hours": str(invitation.hours)}


class AdminDoctorsState(SortedList, SearchList, rx.State):
    items: Field[list[dict[str, str]]] = field(default_factory=list)
    invited: Field[dict[str, str]] = field(default_factory=dict)
    hospital: Field[str] = field("")
    hospitals: Field[list[dict[str, str]]] = field(default_factory=list)
    adding: Field[bool] = field(False)
    errors: Field[dict[str, str]] = field(default_factory=dict)
    message: Field[str] = field("")
    form_key: Field[int] = field(0)
    loaded: Field[bool] = field(False)

    def _fetch(self) -> None:
        rows = self._page_rows(
            doctor_views.list_doctors,
            q=self.q,
            hospital_id=parse_id(self.hospital),
            status=self.status,
            sort=self.sort,
        )
        self.items = with_invitations(rows)
        self.loaded = True

    def _set_filters(self, values: Mapping[str, Any]) -> None:
        self.q = clean_query(values.get("q"))
        self.hospital = str(parse_id(values.get("hospital")) or "")
        self.status = clean_status(values.get("status"), doctor_views.STATUSES)

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self._from_url()
        self.invited, self.errors, self.message, self.adding = {}, {}, "", False
        self.hospitals = hospital_rows()
        self._fetch()

    @event
    @requires(Role.ADMIN)
    def set_adding(self, open_: bool) -> None:
        if type(open_) is bool:
            self.adding = open_
            self.errors, self.message = {}, ""
            self.form_key += 1

    @event
    @requires(Role.ADMIN)
    def add(self, form_data: FormData) -> EventSpec | None:
        self.errors, self.message = {}, ""
        email = form_values(form_data, ("email",))["email"]
        profile = doctor_profile_form(form_data)
        made = in_session(svc.create_doctor, email=email, **profile, **actor(), now=utcnow())
        if isinstance(made, Failed):
            self.errors, self.message = made.form()
            return None
        self.invited = invited_row(made.invitation, made.doctor.name)
        self.adding = False
        self._fetch()
        return rx.toast.success(f"{made.doctor.name} added.")

    @event
    @requires(Role.ADMIN)
    def resend_invitation(self, doctor_id: str) -> EventSpec:
        """Email a new link to a listed doctor whose invitation is pending."""
        row = find_row(self.items, "id", str(parse_id(doctor_id)), invitation="pending")
        if row is None:
            return rx.toast.error("That doctor has no pending invitation.")
        sent = in_session(svc.resend_invitation, doctor_id=int(row["id"]), **actor(), now=utcnow())
        self._fetch()
        if isinstance(sent, Failed):
            return sent.toast()
        self.invited = invited_row(sent, row["name"])
        return rx.toast.success(f"A new invitation has been emailed to {sent.email}.")

    @event
    @requires(Role.ADMIN)
    def dismiss_invitation(self) -> None:
        self.invited = {}
