"""The front desk's queue: per doctor, today's arrivals by token (Call in, Done, Undo) and
the visits still expected (Check in); the latest token large; the waiting-room screen's
address. Kept live by a hidden button ``/live-tick.js`` clicks every few seconds."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventCallback

from healthcareplus.core import routes
from healthcareplus.ui.desk.layout import desk_shell
from healthcareplus.ui.desk.queue_state import DeskQueueState as S
from healthcareplus.ui.shared.forms import native_select, row_options
from healthcareplus.ui.shared.layout import empty_note, live_indicator, page_title, when_loaded
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.typed import RowVar

TICK_MS = 3000  # how often a visible queue page asks for changes
STAGE_COLORS = (("waiting", "amber"), ("with_doctor", "green"), ("done", "gray"))


def _tick() -> rx.Component:
    return rx.el.button(
        type="button",
        hidden=True,
        aria_hidden="true",
        tab_index=-1,
        on_click=S.tick,
        custom_attrs={"data-live-tick": str(TICK_MS)},
        data_testid="queue-tick",
    )


def _header() -> rx.Component:
    picker = rx.cond(
        S.hospitals.length() > 1,
        rx.vstack(
            rx.el.label("Hospital", html_for="queue-hospital", font_size="0.85em"),
            native_select(
                row_options(S.hospitals),
                id="queue-hospital",
                value=S.hospital_id,
                on_change=S.choose_hospital,
            ),
            spacing="1",
        ),
    )
    return rx.flex(
        rx.vstack(
            page_title("Queue"),
            rx.text(S.hospital_name, " · ", S.day_label, color_scheme="gray"),
            spacing="1",
        ),
        rx.spacer(),
        rx.vstack(
            picker,
            live_indicator(S.updated_at, _tick(), updated_testid="queue-updated"),
            align=rx.breakpoints(initial="start", sm="end"),
            spacing="2",
        ),
        direction=rx.breakpoints(initial="column", sm="row"),
        gap="3",
        width="100%",
    )


def _last_token() -> rx.Component:
    return rx.cond(
        S.last.contains("token"),
        rx.card(
            rx.hstack(
                rx.vstack(
                    rx.text("Token", size="2", color_scheme="gray"),
                    rx.text(
                        S.last["token"],
                        font_size="3.5rem",
                        font_weight="800",
                        line_height="1",
                        data_testid="last-token",
                    ),
                    spacing="0",
                    align="center",
                ),
                rx.vstack(
                    rx.text("Checked in", size="2", color_scheme="gray"),
                    rx.text(S.last["patient_name"], size="5", weight="bold"),
                    rx.text(S.last["doctor_name"], size="2"),
                    spacing="1",
                ),
                spacing="5",
                align="center",
            ),
            role="status",
            width="100%",
        ),
    )


def _screen_links() -> rx.Component:
    return rx.flex(
        rx.button(
            rx.icon("monitor", size=16),
            "Open the waiting-room screen",
            variant="soft",
            on_click=S.open_screen,
            data_testid="open-screen",
        ),
        rx.cond(
            S.screen_path != "",
            rx.fragment(
                rx.link(
                    "Screen address",
                    href=S.screen_path,
                    is_external=True,
                    size="2",
                    data_testid="screen-link",
                ),
                rx.button(
                    rx.icon("refresh-cw", size=14),
                    "New screen address",
                    variant="outline",
                    color_scheme="gray",
                    size="2",
                    on_click=S.new_screen_address,
                    data_testid="rotate-screen",
                ),
            ),
        ),
        wrap="wrap",
        gap="3",
        align="center",
        width="100%",
    )


def _doctor(item: RowVar) -> rx.Component:
    return rx.vstack(
        rx.heading(item["title"], size="4", as_="h2"),
        rx.text(item["detail"], size="2", color_scheme="gray"),
        spacing="0",
        padding_top="1em",
        width="100%",
    )


def _button(label: str, handler: EventCallback[str], item: RowVar, **props: Any) -> rx.Component:
    return rx.button(
        label,
        size="2",
        on_click=handler(item["appointment_id"]),
        aria_label=f"{label} " + item["patient_name"],
        **props,
    )


def _arrived(item: RowVar) -> rx.Component:
    actions = rx.match(
        item["stage"],
        (
            "waiting",
            rx.hstack(
                _button("Call in", S.call_in, item),
                _button(
                    "Undo check-in", S.undo_check_in, item, variant="soft", color_scheme="gray"
                ),
                spacing="2",
            ),
        ),
        ("with_doctor", _button("Done", S.finish, item, color_scheme="green")),
        rx.fragment(),
    )
    return rx.card(
        rx.flex(
            rx.hstack(
                rx.text(
                    item["token"],
                    font_size="2rem",
                    font_weight="800",
                    min_width="2em",
                    text_align="center",
                    data_testid="queue-token",
                ),
                rx.vstack(
                    rx.text(item["patient_name"], weight="bold"),
                    rx.text(
                        "Booked ",
                        item["time_label"],
                        " · arrived ",
                        item["arrived_label"],
                        size="2",
                        color_scheme="gray",
                    ),
                    spacing="0",
                ),
                align="center",
                spacing="3",
            ),
            rx.spacer(),
            rx.badge(
                item["stage_label"],
                color_scheme=rx.match(item["stage"], *STAGE_COLORS, "gray"),
                data_testid="queue-stage",
            ),
            actions,
            wrap="wrap",
            gap="3",
            align="center",
            width="100%",
        ),
        width="100%",
        data_testid="queue-row",
        custom_attrs={"data-stage": item["stage"]},
    )


def _expected(item: RowVar) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.hstack(
                rx.text("–", font_size="2rem", min_width="2em", text_align="center"),
                rx.vstack(
                    rx.text(item["patient_name"], weight="bold"),
                    rx.text(
                        "Booked ",
                        item["time_label"],
                        " · not arrived",
                        size="2",
                        color_scheme="gray",
                    ),
                    spacing="0",
                ),
                align="center",
                spacing="3",
            ),
            rx.spacer(),
            _button("Check in", S.check_in, item),
            wrap="wrap",
            gap="3",
            align="center",
            width="100%",
        ),
        variant="surface",
        width="100%",
        data_testid="expected-row",
    )


def _item(item: RowVar) -> rx.Component:
    return rx.match(
        item["kind"],
        ("doctor", _doctor(item)),
        ("arrived", _arrived(item)),
        ("expected", _expected(item)),
        empty_note("No visits today."),
    )


def _queue() -> rx.Component:
    listing = rx.cond(
        S.items.length() > 0,
        rx.vstack(rx.foreach(S.items, _item), spacing="2", width="100%"),
        empty_note("No doctors at this hospital."),
    )
    return rx.vstack(_header(), _last_token(), _screen_links(), listing, spacing="4", width="100%")


def desk_queue_page() -> rx.Component:
    problem = rx.callout(S.error, icon="triangle-alert", color_scheme="red", role="alert")
    return desk_shell(when_loaded(S.loaded, rx.cond(S.error != "", problem, _queue())))


PAGES = [Page(desk_queue_page, routes.DESK_QUEUE, "Queue", [S.load])]
