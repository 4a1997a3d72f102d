"""The doctor's own monthly report (/doctor-portal/reports): the admins' monthly summary
over only the caller's appointments, on screen and as CSV, PDF or Excel through a
one-time link that only this doctor can use (``domain.reports.doctor_report``)."""

from __future__ import annotations

from typing import Literal

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import format_rupees
from healthcareplus.core.models import Role
from healthcareplus.domain.admin.figures import COUNTS
from healthcareplus.domain.reports.doctor_report import doctor_monthly_summary
from healthcareplus.domain.reports.download_links import doctor_monthly_link
from healthcareplus.domain.reports.monthly_summary import MonthlySummary
from healthcareplus.domain.reports.months import parse_month, recent_months
from healthcareplus.ui.shared.downloads import download
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session, run_domain
from healthcareplus.ui.shared.rows import to_row
from healthcareplus.ui.shared.typed import Field, event, field

Format = Literal["csv", "pdf", "xlsx"]
FORMATS: dict[str, Format] = {"csv": "csv", "pdf": "pdf", "xlsx": "xlsx"}
MONTHS_SHOWN = 24


class DoctorReportState(rx.State):
    month: Field[str] = field("")  # "YYYY-MM"
    months: Field[list[dict[str, str]]] = field(default_factory=list)
    month_label: Field[str] = field("")
    totals: Field[dict[str, str]] = field(default_factory=dict)
    hospitals: Field[list[dict[str, str]]] = field(default_factory=list)
    loaded: Field[bool] = field(False)
    error: Field[str] = field("")

    def _show(self, summary: MonthlySummary) -> None:
        self.month = f"{summary.year:04d}-{summary.month:02d}"
        self.month_label = summary.label
        self.totals = to_row(
            summary.totals, counts=COUNTS, revenue=format_rupees(summary.totals.revenue_paise)
        )
        self.hospitals = [
            to_row(h, counts=COUNTS, revenue=format_rupees(h.revenue_paise))
            for h in summary.hospitals
        ]

    def _load(self, year: int, month: int) -> EventSpec | None:
        summary = in_session(
            doctor_monthly_summary, actor_id=current_viewer().id, year=year, month=month
        )
        if isinstance(summary, Failed):
            self.error = summary.message
            return None
        self._show(summary)
        return None

    @event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.reset()
        now = utcnow()
        self.months = [
            {"value": v, "label": label} for v, label in recent_months(now, MONTHS_SHOWN)
        ]
        chosen = run_domain(parse_month, self.router.url.query_parameters.get("month"))
        year, month = parse_month(self.months[0]["value"]) if isinstance(chosen, Failed) else chosen
        self._load(year, month)
        self.loaded = True

    @event
    @requires(Role.DOCTOR)
    def choose_month(self, month: str) -> EventSpec | None:
        chosen = run_domain(parse_month, month)
        if isinstance(chosen, Failed):
            return chosen.toast()
        return self._load(*chosen)

    @event
    @requires(Role.DOCTOR)
    def download_month(self, fmt: str) -> EventSpec | None:
        chosen = FORMATS.get(fmt) if isinstance(fmt, str) else None
        if chosen is None or not self.month:
            return None
        year, month = int(self.month[:4]), int(self.month[5:])
        link = in_session(
            doctor_monthly_link,
            current_viewer().id,
            year=year,
            month=month,
            fmt=chosen,
            now=utcnow(),
        )
        if isinstance(link, Failed):
            return link.toast()
        return download(link, f"my-monthly-report-{self.month}.{fmt}")
