"""Reports and exports: the appointments CSV for chosen filters and the monthly summary.

Downloads go through signed, five-minute links (``services.download_tokens``): the
handler knows the admin, the browser only fetches the file.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.config import get_config

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.formatting import clinic_today, format_rupees
from healthcareplus.core.models import Role
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.reports import reports
from healthcareplus.domain.reports.download_links import export_link, monthly_link
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.rows import to_row

FORMATS = ("csv", "pdf")
MONTHS_SHOWN = 24


def _options(choices: tuple[reports.Choice, ...]) -> list[dict[str, str]]:
    return [{"id": str(c.id), "label": c.label} for c in choices]


def _figures(row: Any) -> dict[str, str]:
    return to_row(row, revenue=format_rupees(row.revenue_paise))


def _served(link: str, filename: str) -> rx.event.EventSpec:
    """Start the download of a same-site API link.

    ``reflex run --env prod`` (``make run``) serves the API on the page's own port, so the
    browser fetches the relative link; in dev mode the backend (and so the API) listens
    on its own port, which the link must then name."""
    config = get_config()
    if config.frontend_port and config.backend_port and config.frontend_port != config.backend_port:
        return rx.redirect(config.api_url.rstrip("/") + link)
    return rx.download(url=link, filename=filename)


class AdminReportsState(rx.State):
    # The export form (its defaults; the browser sends the chosen values on submit).
    doctor: str = ""
    hospital: str = ""
    city: str = ""
    date_from: str = ""
    date_to: str = ""
    status: str = ""
    payment: str = ""
    sort: str = "start_desc"
    form_key: int = 0  # remounts the form so new defaults show after a reload
    cities: list[dict[str, str]] = []
    hospitals: list[dict[str, str]] = []
    doctors: list[dict[str, str]] = []
    # The monthly summary.
    month: str = ""  # "YYYY-MM"
    months: list[dict[str, str]] = []
    month_label: str = ""
    doctor_rows: list[dict[str, str]] = []
    hospital_rows: list[dict[str, str]] = []
    totals: dict[str, str] = {}
    loaded: bool = False

    def _show_filters(self, filters: AdminFilters) -> None:
        query = filters.without_page().to_query()
        self.doctor, self.hospital, self.city = (
            query.get(k, "") for k in ("doctor", "hospital", "city")
        )
        self.date_from = filters.date_from.isoformat() if filters.date_from else ""
        self.date_to = filters.date_to.isoformat() if filters.date_to else ""
        self.status, self.payment, self.sort = filters.status, filters.payment_status, filters.sort

    def _load_month(self, year: int, month: int) -> None:
        with session_scope() as db:
            summary = reports.monthly_summary(db, year=year, month=month)
        self.month, self.month_label = f"{year:04d}-{month:02d}", summary.label
        self.doctor_rows = [_figures(row) for row in summary.doctors]
        self.hospital_rows = [_figures(row) for row in summary.hospitals]
        self.totals = _figures(summary.totals)

    @rx.event
    @requires(Role.ADMIN)
    def load(self) -> None:
        query = self.router.url.query_parameters
        self._show_filters(AdminFilters.from_query(query))
        now = utcnow()
        with session_scope() as db:
            choices = reports.export_choices(db)
        self.cities = _options(choices.cities)
        self.hospitals = _options(choices.hospitals)
        self.doctors = _options(choices.doctors)
        self.months = [
            {"value": value, "label": label}
            for value, label in reports.recent_months(now, MONTHS_SHOWN)
        ]
        try:
            year, month = reports.parse_month(query.get("month"))
        except ValidationFailed:
            year, month = reports.previous_month(now)
        self._load_month(year, month)
        self.form_key += 1
        self.loaded = True

    @rx.event
    @requires(Role.ADMIN)
    def download_csv(self, form_data: Any) -> list[rx.event.EventSpec]:
        """The form's fields are the dashboard's URL keys; malformed values are ignored."""
        fields = form_data if isinstance(form_data, dict) else {}
        filters = AdminFilters.from_query({k: v for k, v in fields.items() if isinstance(v, str)})
        self._show_filters(filters)
        now = utcnow()
        with session_scope() as db:
            count = reports.count_appointments(db, filters=filters)
        link = export_link(current_viewer().id, filters, now)
        noun = "appointment" if count == 1 else "appointments"
        return [
            rx.toast.info(f"Downloading {count:,} {noun} as CSV."),
            _served(link, f"appointments-{clinic_today(now).isoformat()}.csv"),
        ]

    @rx.event
    @requires(Role.ADMIN)
    def choose_month(self, month: Any) -> rx.event.EventSpec | None:
        try:
            year, number = reports.parse_month(month)
        except ValidationFailed as exc:
            return rx.toast.error(str(exc))
        self._load_month(year, number)
        return None

    @rx.event
    @requires(Role.ADMIN)
    def download_monthly(self, fmt: Any) -> rx.event.EventSpec | None:
        if fmt not in FORMATS:
            return None
        try:
            year, month = reports.parse_month(self.month)
        except ValidationFailed as exc:
            return rx.toast.error(str(exc))
        link = monthly_link(current_viewer().id, year=year, month=month, fmt=fmt, now=utcnow())
        return _served(link, f"monthly-summary-{self.month}.{fmt}")
