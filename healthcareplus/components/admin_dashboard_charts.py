"""The dashboard's charts (recharts): bookings per day across the page, then bookings and
revenue per hospital, the top doctors and the payment method mix in a grid (two columns
on a desktop, one on a phone).

Every chart also lists its figures as text for screen readers (``_figures``); the list's
items carry the test ids and ``data-*`` values the browser tests read, since the SVG
shapes have none.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex.vars import Var

from healthcareplus.services.admin_dashboard import CHART_MAX_DAYS
from healthcareplus.states.admin_dashboard_charts import AdminChartsState as C

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
# No animations: the figures reload live, and replaying the bars' growth on every change
# would be distracting (and shows half-drawn charts meanwhile).


def _figures(rows: Var, item: Callable[[Var], rx.Component], label: str) -> rx.Component:
    return rx.el.ul(rx.foreach(rows, item), aria_label=label, style=SR_ONLY)


def _chart_card(
    title: str,
    caption: Var | str,
    testid: str,
    rows: Var,
    chart: rx.Component,
    figures: rx.Component,
    empty: str,
) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(title, size="4", as_="h2"),
                rx.text(caption, size="2", color_scheme="gray"),
                wrap="wrap",
                align="baseline",
                spacing="3",
            ),
            rx.cond(
                rows.length() > 0,  # type: ignore[attr-defined]
                rx.box(chart, width="100%", aria_hidden="true"),
                rx.center(
                    rx.text(empty, size="2", color_scheme="gray"),
                    height="120px",
                    width="100%",
                ),
            ),
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


def _day_item(day: Var) -> rx.Component:
    return rx.el.li(
        day["weekday"],
        " ",
        day["label"],
        ": ",
        day["total"],
        " bookings (",
        day["confirmed"],
        " confirmed or completed, ",
        day["cancelled"],
        " cancelled, ",
        day["no_shows"],
        " no-show, ",
        day["other"],
        " awaiting payment or expired)",
        data_testid="day-bar",
        custom_attrs={"data-day": day["iso"], "data-total": day["total"]},
    )


def day_chart() -> rx.Component:
    chart = rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        rx.recharts.x_axis(data_key="label", tick=TICK, min_tick_gap=8),
        rx.recharts.y_axis(allow_decimals=False, tick=TICK, width=40),
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
    )
    return rx.vstack(
        _chart_card(
            "Bookings per day",
            C.day_caption,
            "day-chart",
            C.days,
            chart,
            _figures(C.days, _day_item, "Bookings per day"),
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


def _bars(rows: Var, value: str, label: str, color: str, height: Var, shown: str) -> rx.Component:
    """Horizontal bars: long names on the left read well, also on a phone."""
    return rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", horizontal=False),
        rx.recharts.x_axis(type_="number", allow_decimals=False, tick=TICK),
        rx.recharts.y_axis(data_key="name", type_="category", width=150, tick=TICK, interval=0),
        rx.recharts.graphing_tooltip(**TOOLTIP),
        rx.recharts.bar(
            rx.recharts.label_list(data_key=shown, position="right", font_size=12),
            data_key=value,
            name=label,
            fill=rx.color(color, 9),
            max_bar_size=22,
            is_animation_active=False,
        ),
        data=rows,
        layout="vertical",
        height=height,
        margin={"top": 5, "right": 60, "left": 0, "bottom": 0},
    )


def hospital_chart() -> rx.Component:
    def item(row: Var) -> rx.Component:
        return rx.el.li(
            row["name"],
            " (",
            row["city"],
            "): ",
            row["bookings"],
            " bookings",
            data_testid="hospital-bar",
            custom_attrs={"data-hospital": row["id"], "data-total": row["bookings"]},
        )

    rows = C.hospital_bookings
    return _chart_card(
        "Bookings per hospital",
        "Busiest first",
        "hospital-chart",
        rows,
        _bars(rows, "bookings", "Bookings", "teal", C.hospital_height, "bookings"),
        _figures(rows, item, "Bookings per hospital"),
        "No bookings match the filters.",
    )


def revenue_chart() -> rx.Component:
    def item(row: Var) -> rx.Component:
        return rx.el.li(
            row["name"],
            " (",
            row["city"],
            "): ",
            row["label"],
            data_testid="revenue-bar",
            custom_attrs={"data-hospital": row["id"], "data-rupees": row["rupees"]},
        )

    rows = C.hospital_revenue
    return _chart_card(
        "Revenue per hospital",
        "₹, successful payments minus refunds",
        "revenue-chart",
        rows,
        _bars(rows, "rupees", "Revenue (₹)", "grass", C.revenue_height, "label"),
        _figures(rows, item, "Revenue per hospital"),
        "No payments for these bookings.",
    )


def doctor_chart() -> rx.Component:
    def item(row: Var) -> rx.Component:
        return rx.el.li(
            row["name"],
            ", ",
            row["specialization"],
            ", ",
            row["hospital"],
            ": ",
            row["bookings"],
            " bookings",
            data_testid="top-doctor-bar",
            custom_attrs={"data-doctor": row["id"], "data-total": row["bookings"]},
        )

    rows = C.top_doctors
    return _chart_card(
        "Top 10 doctors",
        "By bookings",
        "top-doctors-chart",
        rows,
        _bars(rows, "bookings", "Bookings", "indigo", C.doctor_height, "bookings"),
        _figures(rows, item, "Top 10 doctors by bookings"),
        "No bookings match the filters.",
    )


# --- payment method mix --------------------------------------------------------------------------


def method_chart() -> rx.Component:
    def item(row: Var) -> rx.Component:
        return rx.el.li(
            row["label"],
            ": ",
            row["count"],
            " (",
            row["percent"],
            "%)",
            data_testid="method-slice",
            custom_attrs={"data-method": row["method"], "data-count": row["count"]},
        )

    def cell(row: Var) -> rx.Component:
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
        ),
        rx.recharts.graphing_tooltip(separator=": "),
        rx.recharts.legend(icon_type="circle", icon_size=10),
        height=300,
    )
    return _chart_card(
        "Payment methods",
        "Bookings that chose one",
        "method-chart",
        rows,
        chart,
        _figures(rows, item, "Payment method mix"),
        "No payment method chosen yet.",
    )


def chart_grid() -> rx.Component:
    return rx.vstack(
        day_chart(),
        rx.grid(
            hospital_chart(),
            revenue_chart(),
            doctor_chart(),
            method_chart(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        spacing="4",
        width="100%",
        data_testid="dashboard-charts",
    )
