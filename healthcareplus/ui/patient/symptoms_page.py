"""Symptom checker: describe symptoms, see ranked specialities and matching doctors."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.domain.catalog.symptoms import EXAMPLES
from healthcareplus.ui.patient.symptoms_state import SymptomState as S
from healthcareplus.ui.shared.doctor_cards import doctor_grid
from healthcareplus.ui.shared.forms import labelled, native_select, row_options, stacked_form
from healthcareplus.ui.shared.i18n import catalog_label, t
from healthcareplus.ui.shared.layout import empty_block, sections, titled_page
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.typed import RowVar


def _form() -> rx.Component:
    symptoms = rx.text_area(
        id="symptoms-text",
        name="symptoms",
        default_value=S.symptoms,
        placeholder=t("e.g. chest pain and breathlessness"),
        rows="3",
        max_length=500,
        width="100%",
        required=True,
    )
    city = native_select(
        row_options(S.cities, "name"),
        blank=t("Any city"),
        id="symptoms-city",
        name="city",
        default_value=S.city,
    )
    return stacked_form(
        rx.el.label(
            t("Describe your symptoms"), html_for="symptoms-text", style={"fontWeight": "500"}
        ),
        symptoms,
        rx.flex(
            labelled(
                t("City (optional)"),
                "symptoms-city",
                city,
                style={"fontSize": "13px"},
                width=None,
                min_width="200px",
            ),
            rx.button(rx.icon("sparkles"), t("Find specialists"), type="submit", size="3"),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        rx.text(t("Try: "), size="2", color_scheme="gray"),
        rx.flex(*[rx.badge(e, variant="outline") for e in EXAMPLES], wrap="wrap", spacing="2"),
        on_submit=S.check,
    )


def _suggestion(s: RowVar) -> rx.Component:
    selected = S.selected == s["specialization"]
    return rx.button(
        catalog_label(s["specialization"]),
        rx.cond(s["percent"] != "", rx.badge(s["percent"], "%", variant="soft")),
        variant=rx.cond(selected, "solid", "outline"),
        on_click=S.select(s["specialization"]),
        data_testid="suggestion",
        title=t("Because: {reasons}", reasons=s["because"]),
    )


def _results() -> rx.Component:
    return sections(
        rx.callout(S.message, icon="info", width="100%", data_testid="symptom-message"),
        rx.cond(
            S.recognized.length() > 0,
            rx.text(
                t("Recognised: {words}", words=S.recognized.join(", ")),
                size="2",
                color_scheme="gray",
            ),
            rx.link(
                t("Search doctors by name, speciality or hospital"),
                href=routes.DOCTORS,
                data_testid="symptom-search-link",
            ),
        ),
        rx.heading(t("Suggested specialities"), size="5", as_="h2"),
        rx.flex(rx.foreach(S.suggestions, _suggestion), wrap="wrap", spacing="2"),
        rx.heading(t("{speciality} doctors", speciality=S.selected), size="5", as_="h2"),
        rx.cond(
            S.doctor_total > 0,
            rx.vstack(
                doctor_grid(S.doctors, S.next_slots),
                rx.link(
                    t(
                        "See all {count} {speciality} doctors",
                        count=S.doctor_total,
                        speciality=S.selected,
                    ),
                    href=S.see_all_url,
                ),
                width="100%",
            ),
            empty_block(t("No doctors found"), t("Try another city or speciality.")),
        ),
    )


def symptoms_page() -> rx.Component:
    return titled_page(
        t("Symptom checker"),
        rx.card(_form(), width="100%"),
        rx.cond(S.checked, _results()),
        intro=t(
            "Tell us what you feel and we'll suggest which specialist to see. This is "
            "guidance, not a diagnosis: in an emergency call 112."
        ),
    )


PAGES = [Page(symptoms_page, routes.SYMPTOMS, N_("Symptom checker"), [S.load])]
