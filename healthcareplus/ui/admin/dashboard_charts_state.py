"""The dashboard's charts: bookings per day, bookings and revenue per hospital, the top
doctors and the payment method mix, for the filters in the URL.

Chart rows keep their numbers as ints (recharts plots numbers, not text). The page loads
this state after the figures, and ``AdminDashboardState.tick`` reloads it when the data
moved; the charts come from ``dashboard_views`` (computed once per change for every page
with the same filters).
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import abbreviate, short_number, short_rupees
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import dashboard_views as views
from healthcareplus.ui.admin.dashboard_filters import url_filters
from healthcareplus.ui.shared.guard import requires
from healthcareplus.ui.shared.typed import Field, event, field

ChartRows = list[dict[str, int | str]]
BAR_HEIGHT = 30  # pixels per bar in the horizontal bar charts
NAME_CHARS = 22  # a hospital's or doctor's name on a bar chart's axis, at most


def bars_height(count: int) -> int:
    """A horizontal bar chart's height for ``count`` bars (axis and margins included)."""
    return 60 + BAR_HEIGHT * max(count, 1)


def chart_rows(items: list[Any], **keys: str) -> ChartRows:
    """``keys``: the row's key -> the dataclass attribute it is read from."""
    return [{key: getattr(item, attr) for key, attr in keys.items()} for item in items]


def bar_rows(rows: ChartRows, value: str, *, rupees: bool = False) -> ChartRows:
    """Horizontal bar rows with what the chart prints: the name shortened for the axis
    ("short", the whole name in the tooltip) and ``value`` in Indian short form for the
    bar's end ("end": "1.2 L", "₹3.4 Cr"), so neither is cut off."""
    return [
        {
            **row,
            "short": abbreviate(str(row["name"]), NAME_CHARS),
            "end": short_rupees(int(row[value]) * 100) if rupees else short_number(int(row[value])),
        }
        for row in rows
    ]


class AdminChartsState(rx.State):
    days: Field[ChartRows] = field(default_factory=list)
    day_caption: Field[str] = field("")  # "Mon, 09 Feb 2026 – Tue, 10 Mar 2026"
    day_total: Field[int] = field(0)
    day_truncated: Field[bool] = field(False)
    hospital_bookings: Field[ChartRows] = field(default_factory=list)
    hospital_revenue: Field[ChartRows] = field(default_factory=list)
    top_doctors: Field[ChartRows] = field(default_factory=list)
    methods: Field[ChartRows] = field(default_factory=list)
    hospital_height: Field[int] = field(bars_height(0))
    revenue_height: Field[int] = field(bars_height(0))
    doctor_height: Field[int] = field(bars_height(0))
    loaded: Field[bool] = field(False)

    def _refresh(self, marker: str | None = None) -> None:
        """The charts as of ``marker`` (default: the current one)."""
        with session_scope() as db:
            marker = marker or views.change_marker(db)
            found = views.chart_set(db, filters=url_filters(self), marker=marker, now=utcnow())
        day_chart, hospitals, revenue = found.days, found.hospital_bookings, found.hospital_revenue
        doctors, methods = found.top_doctors, found.methods
        self.days = [
            {
                "iso": d.iso,
                "label": d.label,
                "weekday": d.weekday,
                "total": d.total,
                "confirmed": d.confirmed,
                "cancelled": d.cancelled,
                "no_shows": d.no_shows,
                "other": d.other,
            }
            for d in day_chart.days
        ]
        self.day_caption, self.day_total = day_chart.caption, day_chart.total
        self.day_truncated = day_chart.truncated
        self.hospital_bookings = bar_rows(
            chart_rows(
                hospitals,
                id="hospital_id",
                name="hospital_name",
                city="city_name",
                bookings="bookings",
            ),
            "bookings",
        )
        self.hospital_revenue = bar_rows(
            chart_rows(
                revenue,
                id="hospital_id",
                name="hospital_name",
                city="city_name",
                rupees="revenue_rupees",
                label="revenue_label",
            ),
            "rupees",
            rupees=True,
        )
        self.top_doctors = bar_rows(
            chart_rows(
                doctors,
                id="doctor_id",
                name="doctor_name",
                specialization="specialization",
                hospital="hospital_name",
                bookings="bookings",
            ),
            "bookings",
        )
        self.methods = chart_rows(
            methods, method="method", label="label", count="count", percent="percent"
        )
        self.hospital_height = bars_height(len(hospitals))
        self.revenue_height = bars_height(len(revenue))
        self.doctor_height = bars_height(len(doctors))
        self.loaded = True

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self._refresh()


__all__ = ["AdminChartsState", "ChartRows", "bar_rows", "bars_height", "chart_rows"]
