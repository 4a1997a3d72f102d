"""The waiting-room screen: full screen, no site navigation, very large high-contrast type;
per doctor "Now" (the token with the doctor) and "Next" (the tokens waiting), first names
only. Refreshed by a hidden button ``/live-tick.js`` clicks every few seconds."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.desk.screen_state import QueueScreenState as S
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.session import SessionState
from healthcareplus.ui.shared.typed import RowVar

TICK_MS = 4000
INK, PAPER, ACCENT, MUTED = "#ffffff", "#000000", "#ffd400", "#c8c8c8"
BIG = "clamp(3rem, 9vw, 8rem)"
MIDDLE = "clamp(1.6rem, 3.6vw, 3.2rem)"


def _tick() -> rx.Component:
    return rx.el.button(
        type="button",
        hidden=True,
        aria_hidden="true",
        tab_index=-1,
        on_click=S.tick,
        custom_attrs={"data-live-tick": str(TICK_MS)},
        data_testid="screen-tick",
    )


def _doctor(row: RowVar) -> rx.Component:
    return rx.box(
        rx.el.h2(row["doctor"], font_size=MIDDLE, font_weight="700", margin="0"),
        rx.flex(
            rx.box(
                rx.el.div("Now", font_size=MIDDLE, color=MUTED),
                rx.el.div(
                    row["now_token"],
                    font_size=BIG,
                    font_weight="900",
                    color=ACCENT,
                    line_height="1",
                    data_testid="screen-now-token",
                ),
                rx.el.div(row["now_name"], font_size=MIDDLE, data_testid="screen-now-name"),
                min_width="30%",
            ),
            rx.box(
                rx.el.div("Next", font_size=MIDDLE, color=MUTED),
                rx.el.div(
                    row["next"],
                    font_size=MIDDLE,
                    font_weight="700",
                    white_space="pre-wrap",
                    data_testid="screen-next",
                ),
                flex="1",
            ),
            gap="2em",
            wrap="wrap",
            align="start",
        ),
        border_top=f"3px solid {MUTED}",
        padding_y="0.6em",
        width="100%",
        data_testid="screen-doctor",
    )


def _board() -> rx.Component:
    return rx.box(
        rx.flex(
            rx.el.h1(S.hospital_name, font_size=MIDDLE, font_weight="800", margin="0"),
            rx.el.div(S.day_label, " · ", S.updated_at, font_size="clamp(1rem, 2vw, 1.6rem)"),
            justify="between",
            align="baseline",
            wrap="wrap",
            gap="1em",
            width="100%",
        ),
        rx.cond(
            S.doctors.length() > 0,
            rx.foreach(S.doctors, _doctor),
            rx.el.p("No patients checked in yet.", font_size=MIDDLE),
        ),
        _tick(),
        width="100%",
    )


def _invalid() -> rx.Component:
    return rx.center(
        rx.el.p("This screen address is not valid", font_size=MIDDLE, role="alert"),
        min_height="80vh",
        data_testid="screen-invalid",
    )


def queue_screen_page() -> rx.Component:
    return rx.el.main(
        rx.cond(S.loaded, rx.cond(S.invalid, _invalid(), _board())),
        rx.cond(
            SessionState.is_hydrated & SessionState.session_checked & S.loaded,
            rx.el.span(data_testid="app-ready", hidden=True),
        ),
        background_color=PAPER,
        color=INK,
        min_height="100vh",
        padding="1.5em 2.5vw",
        font_family="system-ui, sans-serif",
        width="100%",
    )


PAGES = [Page(queue_screen_page, routes.QUEUE_SCREEN, "Waiting room", [S.load])]
