"""Reports and exports: the appointments CSV for chosen filters and the monthly summary.

Downloads go through one-time links (``domain.reports.download_links``) made when the
admin clicks: the handler knows the admin, the browser only fetches the file, once.
"""

from __future__ import annotations

from typing import Any, Literal

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today, format_rupees
from healthcareplus.core.models import Role
from healthcareplus.domain.admin.figures import COUNTS
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.reports.appointments_export import count_appointments, export_choices
from healthcareplus.domain.reports.download_links import export_link, monthly_link
from healthcareplus.domain.reports.monthly_summary import monthly_summary
from healthcareplus.domain.reports.months import parse_month, previous_month, recent_months
from healthcareplus.ui.admin.dashboard_filters import page_number
from healthcareplus.ui.admin.exports import options
from healthcareplus.ui.shared.downloads import download
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session, run_domain
from healthcareplus.ui.shared.rows import to_row
from healthcareplus.ui.shared.typed import Field, event, field

FORMATS = ("csv", "pdf", "xlsx")
MONTHS_SHOWN = 24
ROWS_PER_PAGE = 20  # of each monthly table; the downloads hold every row


def _figures(row: Any) -> dict[str, str]:
    return to_row(row, counts=(*COUNTS, "doctors"), revenue=format_rupees(row.revenue_paise))


class AdminReportsState(rx.State):
    # The export form (its defaults; the browser sends the chosen values on submit).
    doctor: Field[str] = field("")
    hospital: Field[str] = field("")
    city: Field[str] = field("")
    date_from: Field[str] = field("")
    date_to: Field[str] = field("")
    status: Field[str] = field("")
    payment: Field[str] = field("")
    sort: Field[str] = field("start_desc")
    form_key: Field[int] = field(0)  # remounts the form so new defaults show after a reload
    cities: Field[list[dict[str, str]]] = field(default_factory=list)
    hospitals: Field[list[dict[str, str]]] = field(default_factory=list)
    doctors: Field[list[dict[str, str]]] = field(default_factory=list)
    # The monthly summary.
    month: Field[str] = field("")  # "YYYY-MM"
    months: Field[list[dict[str, str]]] = field(default_factory=list)
    month_label: Field[str] = field("")
    doctor_rows: Field[list[dict[str, str]]] = field(default_factory=list)  # the page shown
    doctor_page: Field[int] = field(1)
    doctor_pages: Field[int] = field(1)
    hospital_rows: Field[list[dict[str, str]]] = field(default_factory=list)
    hospital_page: Field[int] = field(1)
    hospital_pages: Field[int] = field(1)
    _month_rows: dict[str, list[dict[str, str]]] = {}  # "doctor"/"hospital" -> every row
    totals: Field[dict[str, str]] = field(default_factory=dict)
    loaded: Field[bool] = field(False)

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
            summary = monthly_summary(db, year=year, month=month)
        self.month, self.month_label = f"{year:04d}-{month:02d}", summary.label
        self._month_rows = {
            "doctor": [_figures(row) for row in summary.doctors],
            "hospital": [_figures(row) for row in summary.hospitals],
        }
        self.totals = _figures(summary.totals)
        self._show_rows("doctor", 1)
        self._show_rows("hospital", 1)

    def _show_rows(self, table: str, page: Any) -> None:
        """Page ``page`` of the month's ``table`` ("doctor" or "hospital"), if it is one."""
        rows = self._month_rows.get(table, [])
        pages = max(1, -(-len(rows) // ROWS_PER_PAGE))
        number = page_number(page)
        if number is None or number > pages:
            return
        first = (number - 1) * ROWS_PER_PAGE
        setattr(self, f"{table}_rows", rows[first : first + ROWS_PER_PAGE])
        setattr(self, f"{table}_page", number)
        setattr(self, f"{table}_pages", pages)

    @event
    @requires(Role.ADMIN)
    def show_doctor_rows(self, page: int) -> None:
        self._show_rows("doctor", page)

    @event
    @requires(Role.ADMIN)
    def show_hospital_rows(self, page: int) -> None:
        self._show_rows("hospital", page)

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        query = self.router.url.query_parameters
        self._show_filters(AdminFilters.from_query(query))
        now = utcnow()
        with session_scope() as db:
            choices = export_choices(db)
        self.cities = options(choices.cities)
        self.hospitals = options(choices.hospitals)
        self.doctors = options(choices.doctors)
        self.months = [
            {"value": value, "label": label} for value, label in recent_months(now, MONTHS_SHOWN)
        ]
        chosen = run_domain(parse_month, query.get("month"))
        year, month = previous_month(now) if isinstance(chosen, Failed) else chosen
        self._load_month(year, month)
        self.form_key += 1
        self.loaded = True

    @event
    @requires(Role.ADMIN)
    def download_csv(self, form_data: FormData) -> list[EventSpec]:
        """The form's fields are the dashboard's URL keys; malformed values are ignored."""
        fields = form_data if isinstance(form_data, dict) else {}
        filters = AdminFilters.from_query({k: v for k, v in fields.items() if isinstance(v, str)})
        self._show_filters(filters)
        now = utcnow()
        with session_scope() as db:
            count = count_appointments(db, filters=filters)
        link = in_session(export_link, current_viewer().id, filters, now)
        if isinstance(link, Failed):
            return [link.toast()]
        noun = "appointment" if count == 1 else "appointments"
        return [
            rx.toast.info(f"Downloading {count:,} {noun} as CSV."),
            download(link, f"appointments-{clinic_today(now).isoformat()}.csv"),
        ]

    @event
    @requires(Role.ADMIN)
    def choose_month(self, month: str) -> EventSpec | None:
        chosen = run_domain(parse_month, month)
        if isinstance(chosen, Failed):
            return chosen.toast()
        self._load_month(*chosen)
        return None

    @event
    @requires(Role.ADMIN)
    def download_monthly(self, fmt: Literal["csv", "pdf", "xlsx"]) -> EventSpec | None:
        if fmt not in FORMATS:
            return None
        chosen = run_domain(parse_month, self.month)
        if isinstance(chosen, Failed):
            return chosen.toast()
        year, month = chosen
        link = in_session(
            monthly_link, current_viewer().id, year=year, month=month, fmt=fmt, now=utcnow()
        )
        if isinstance(link, Failed):
            return link.toast()
        return download(link, f"monthly-summary-{self.month}.{fmt}")
