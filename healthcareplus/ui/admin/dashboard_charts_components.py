"""The dashboard's charts (recharts): bookings per day across the page, then bookings and
revenue per hospital, the top doctors and the payment method mix in a grid (two columns
on a desktop, one on a phone).

Every chart also lists its figures as text for screen readers (``_figures``); the list's
items carry the test ids and ``data-*`` values the browser tests read, since the SVG
shapes have none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar, Var

from healthcareplus.domain.admin.dashboard import CHART_MAX_DAYS
from healthcareplus.ui.admin.dashboard_charts_state import AdminChartsState as C
from healthcareplus.ui.admin.dashboard_charts_state import ChartRows
from healthcareplus.ui.shared.cards import section_intro, two_columns
from healthcareplus.ui.shared.layout import if_any

DAY_PARTS = (
    ("confirmed", "Confirmed / completed", "teal"),
    ("cancelled", "Cancelled", "red"),
    ("no_shows", "No-show", "orange"),
    ("other", "Awaiting payment / expired", "gray"),
)
METHOD_COLORS = (
    ("upi", "teal"),
    ("card", "indigo"),
    ("netbanking", "amber"),
    ("wallet", "crimson"),
    ("pay_at_clinic", "grass"),
)
SR_ONLY = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "padding": "0",
    "margin": "-1px",
    "overflow": "hidden",
    "clip": "rect(0, 0, 0, 0)",
    "white_space": "nowrap",
    "border": "0",
}
TICK = {"fontSize": 12}
TOOLTIP = {"separator": ": ", "cursor": {"fill": "var(--gray-a3)"}}
# Axis ticks in Indian short form (lakh, crore), as the bars' end labels are written.
_SHORT_JS = (
    "const n = Math.abs(v), s = v < 0 ? '-' : '';"
    "const f = (x) => String(+x.toFixed(2));"
    "const t = n >= 1e7 ? f(n / 1e7) + ' Cr' : n >= 1e5 ? f(n / 1e5) + ' L'"
    " : n.toLocaleString('en-IN');"
)
COUNT_TICKS = f"(v) => {{ {_SHORT_JS} return s + t; }}"
RUPEE_TICKS = f"(v) => {{ {_SHORT_JS} return s + '₹' + t; }}"
# The tooltip names a bar by its whole name (the axis shows it shortened).
FULL_NAME = "(label, items) => (items && items[0] && items[0].payload.name) || label"
ChartRowVar = ObjectVar[dict[str, int | str]]  # one bar or slice
RowText = Callable[[ChartRowVar], tuple[Var[Any] | str, ...]]  # a row's words, for _figures
# No animations: the figures reload live, and replaying the bars' growth on every change
# would be distracting (and shows half-drawn charts meanwhile).


def _figures(
    rows: ArrayVar[ChartRows],
    label: str,
    testid: str,
    attrs: dict[str, str],
    text: RowText,
) -> rx.Component:
    """The chart's rows as a list for screen readers: each row's ``text``, with the test id
    and the ``data-*`` attributes (-> the row's key) that the browser tests read."""

    def item(row: ChartRowVar) -> rx.Component:
        values = {attr: row[key] for attr, key in attrs.items()}
        return rx.el.li(*text(row), data_testid=testid, custom_attrs=values)

    return rx.el.ul(rx.foreach(rows, item), aria_label=label, style=SR_ONLY)


# The charts are drawn for the eye (aria-hidden; their figures are listed for screen
# readers beside them), so recharts' keyboard layer must not make them focusable.
SILENT = {"accessibilityLayer": False}


def _chart_card(
    title: str,
    caption: str | Var[str],
    testid: str,
    rows: ArrayVar[ChartRows],
    chart: rx.Component,
    figures: rx.Component,
    empty: str,
) -> rx.Component:
    no_rows = rx.center(rx.text(empty, size="2", color_scheme="gray"), height="120px", width="100%")
    return rx.card(
        rx.vstack(
            rx.hstack(section_intro(title, caption), wrap="wrap", align="baseline", spacing="3"),
            if_any(rows, rx.box(chart, width="100%", aria_hidden="true"), no_rows),
            figures,
            spacing="3",
            width="100%",
            position="relative",
        ),
        width="100%",
        min_width="0",  # let the chart shrink inside its grid cell
        data_testid=testid,
    )


# --- bookings per day ---------------------------------------------------------------------------


def _day_text(day: ChartRowVar) -> tuple[Var[Any] | str, ...]:
    return (
        *(day["weekday"], " ", day["label"], ": ", day["total"], " bookings ("),
        *(day["confirmed"], " confirmed or completed, ", day["cancelled"], " cancelled, "),
        *(day["no_shows"], " no-show, ", day["other"], " awaiting payment or expired)"),
    )


def day_chart() -> rx.Component:
    chart = rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        rx.recharts.x_axis(data_key="label", tick=TICK, min_tick_gap=8),
        rx.recharts.y_axis(allow_decimals=False, tick=TICK, width=48, tick_formatter=COUNT_TICKS),
        rx.recharts.graphing_tooltip(**TOOLTIP),
        rx.recharts.legend(icon_type="square", icon_size=10),
        *(
            rx.recharts.bar(
                data_key=key,
                name=label,
                stack_id="day",
                fill=rx.color(color, 9),
                is_animation_active=False,
            )
            for key, label, color in DAY_PARTS
        ),
        data=C.days,
        height=280,
        margin={"top": 10, "right": 10, "left": 0, "bottom": 0},
        custom_attrs=SILENT,
    )
    return rx.vstack(
        _chart_card(
            "Bookings per day",
            C.day_caption,
            "day-chart",
            C.days,
            chart,
            _figures(
                C.days,
                "Bookings per day",
                "day-bar",
                {"data-day": "iso", "data-total": "total"},
                _day_text,
            ),
            "No days to show.",
        ),
        rx.cond(
            C.day_truncated,
            rx.text(
                f"The range is long: the chart shows its last {CHART_MAX_DAYS} days.",
                size="1",
                color_scheme="gray",
            ),
        ),
        spacing="1",
        width="100%",
    )


# --- horizontal bar charts (hospitals, doctors) -------------------------------------------------


def _horizontal_bar_chart(
    data: ArrayVar[ChartRows],
    value_key: str,
    label_key: str,
    color: str,
    testid: str,
    *,
    title: str,
    caption: str,
    series: str,
    height: Var[int],
    text: RowText,
    item_testid: str,
    item_attrs: dict[str, str],
    figures_label: str | None = None,
    empty: str = "No bookings match the filters.",
    ticks: str = COUNT_TICKS,
) -> rx.Component:
    """A card with horizontal bars (long names on the left read well, also on a phone).

    ``value_key`` is plotted, ``label_key`` is printed at each bar's end (short forms:
    ``bar_rows``), the axis shows the shortened names and ``series`` names the bars in the
    tooltip, which gives the whole name. Each row is also listed for screen readers: ``text``
    gives its words, ``item_attrs`` its ``data-*`` attributes (-> the row's key).
    """

    chart = rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", horizontal=False),
        rx.recharts.x_axis(type_="number", allow_decimals=False, tick=TICK, tick_formatter=ticks),
        rx.recharts.y_axis(data_key="short", type_="category", width=150, tick=TICK, interval=0),
        rx.recharts.graphing_tooltip(
            **TOOLTIP, custom_attrs={"labelFormatter": rx.Var(_js_expr=FULL_NAME)}
        ),
        rx.recharts.bar(
            rx.recharts.label_list(data_key=label_key, position="right", font_size=12),
            data_key=value_key,
            name=series,
            fill=rx.color(color, 9),
            max_bar_size=22,
            is_animation_active=False,
        ),
        data=data,
        layout="vertical",
        height=height,
        margin={"top": 5, "right": 64, "left": 0, "bottom": 0},
        custom_attrs=SILENT,
    )
    figures = _figures(data, figures_label or title, item_testid, item_attrs, text)
    return _chart_card(title, caption, testid, data, chart, figures, empty)


def hospital_chart() -> rx.Component:
    return _horizontal_bar_chart(
        C.hospital_bookings,
        "bookings",
        "end",
        "teal",
        "hospital-chart",
        title="Bookings per hospital",
        caption="Busiest first",
        series="Bookings",
        height=C.hospital_height,
        text=lambda r: (r["name"], " (", r["city"], "): ", r["bookings"], " bookings"),
        item_testid="hospital-bar",
        item_attrs={"data-hospital": "id", "data-total": "bookings"},
    )


def revenue_chart() -> rx.Component:
    return _horizontal_bar_chart(
        C.hospital_revenue,
        "rupees",
        "end",
        "grass",
        "revenue-chart",
        title="Revenue per hospital",
        caption="₹, successful payments minus refunds",
        series="Revenue (₹)",
        height=C.revenue_height,
        text=lambda r: (r["name"], " (", r["city"], "): ", r["label"]),
        item_testid="revenue-bar",
        item_attrs={"data-hospital": "id", "data-rupees": "rupees"},
        empty="No payments for these bookings.",
        ticks=RUPEE_TICKS,
    )


def doctor_chart() -> rx.Component:
    return _horizontal_bar_chart(
        C.top_doctors,
        "bookings",
        "end",
        "indigo",
        "top-doctors-chart",
        title="Top 10 doctors",
        caption="By bookings",
        series="Bookings",
        height=C.doctor_height,
        text=lambda r: (
            *(r["name"], ", ", r["specialization"], ", ", r["hospital"], ": "),
            *(r["bookings"], " bookings"),
        ),
        item_testid="top-doctor-bar",
        item_attrs={"data-doctor": "id", "data-total": "bookings"},
        figures_label="Top 10 doctors by bookings",
    )


# --- payment method mix --------------------------------------------------------------------------


def method_chart() -> rx.Component:
    def cell(row: ChartRowVar) -> rx.Component:
        colors = [(method, rx.color(color, 9)) for method, color in METHOD_COLORS]
        return rx.recharts.cell(fill=rx.match(row["method"], *colors, rx.color("gray", 9)))

    rows = C.methods
    chart = rx.recharts.pie_chart(
        rx.recharts.pie(
            rx.foreach(rows, cell),
            data=rows,
            data_key="count",
            name_key="label",
            outer_radius="70%",
            label=True,
            stroke="var(--color-panel-solid)",
            is_animation_active=False,
            custom_attrs={"rootTabIndex": -1},
        ),
        rx.recharts.graphing_tooltip(separator=": "),
        rx.recharts.legend(icon_type="circle", icon_size=10),
        height=300,
        custom_attrs=SILENT,
    )
    return _chart_card(
        "Payment methods",
        "Bookings that chose one",
        "method-chart",
        rows,
        chart,
        _figures(
            rows,
            "Payment method mix",
            "method-slice",
            {"data-method": "method", "data-count": "count"},
            lambda r: (r["label"], ": ", r["count"], " (", r["percent"], "%)"),
        ),
        "No payment method chosen yet.",
    )


def chart_grid() -> rx.Component:
    return rx.vstack(
        day_chart(),
        two_columns(hospital_chart(), revenue_chart(), doctor_chart(), method_chart()),
        spacing="4",
        width="100%",
        data_testid="dashboard-charts",
    )
