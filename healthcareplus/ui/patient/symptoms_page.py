"""Symptom checker: describe symptoms, see ranked specialities and matching doctors."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.domain.catalog.symptoms import EXAMPLES
from healthcareplus.ui.patient.symptoms_state import SymptomState as S
from healthcareplus.ui.shared.cards import doctor_grid
from healthcareplus.ui.shared.forms import NATIVE_SELECT_STYLE
from healthcareplus.ui.shared.layout import empty_block, page_shell
from healthcareplus.ui.shared.registry import Page


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label(
                "Describe your symptoms", html_for="symptoms-text", style={"fontWeight": "500"}
            ),
            rx.text_area(
                id="symptoms-text",
                name="symptoms",
                default_value=S.symptoms,
                placeholder="e.g. chest pain and breathlessness",
                rows="3",
                max_length=500,
                width="100%",
                required=True,
            ),
            rx.flex(
                rx.vstack(
                    rx.el.label(
                        "City (optional)", html_for="symptoms-city", style={"fontSize": "13px"}
                    ),
                    rx.el.select(
                        rx.el.option("Any city", value=""),
                        rx.foreach(S.cities, lambda c: rx.el.option(c["name"], value=c["id"])),
                        id="symptoms-city",
                        name="city",
                        default_value=S.city,
                        style=NATIVE_SELECT_STYLE,
                    ),
                    spacing="1",
                    min_width="200px",
                ),
                rx.button(rx.icon("sparkles"), "Find specialists", type="submit", size="3"),
                spacing="3",
                align="end",
                wrap="wrap",
            ),
            rx.text("Try: ", size="2", color_scheme="gray"),
            rx.flex(
                *[rx.badge(e, variant="outline") for e in EXAMPLES],
                wrap="wrap",
                spacing="2",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=S.check,
        reset_on_submit=False,
        width="100%",
    )


def _suggestion(s: rx.Var) -> rx.Component:
    selected = S.selected == s["specialization"]
    return rx.button(
        s["specialization"],
        rx.badge(s["percent"], "%", variant="soft"),
        variant=rx.cond(selected, "solid", "outline"),
        on_click=S.select(s["specialization"]),
        data_testid="suggestion",
        title="Because: " + s["because"],
    )


def _results() -> rx.Component:
    return rx.vstack(
        rx.callout(S.message, icon="info", width="100%", data_testid="symptom-message"),
        rx.cond(
            S.recognized.length() > 0,
            rx.text("Recognised: ", S.recognized.join(", "), size="2", color_scheme="gray"),
        ),
        rx.heading("Suggested specialities", size="5", as_="h2"),
        rx.flex(rx.foreach(S.suggestions, _suggestion), wrap="wrap", spacing="2"),
        rx.heading(S.selected, " doctors", size="5", as_="h2"),
        rx.cond(
            S.doctor_total > 0,
            rx.vstack(
                doctor_grid(S.doctors),
                rx.link(
                    "See all ", S.doctor_total, " ", S.selected, " doctors", href=S.see_all_url
                ),
                width="100%",
            ),
            empty_block("No doctors found", "Try another city or speciality."),
        ),
        spacing="4",
        width="100%",
    )


def symptoms_page() -> rx.Component:
    return page_shell(
        rx.vstack(
            rx.heading("Symptom checker", size="7", as_="h1"),
            rx.text(
                "Tell us what you feel and we'll suggest which specialist to see. This is "
                "guidance, not a diagnosis: in an emergency call 112.",
                color_scheme="gray",
            ),
            rx.card(_form(), width="100%"),
            rx.cond(S.checked, _results()),
            spacing="4",
            width="100%",
        )
    )


PAGES = [
    Page(symptoms_page, routes.SYMPTOMS, "Symptom checker", [S.load]),
]
