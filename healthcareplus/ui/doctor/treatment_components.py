"""The treatment form of a visit: visit type, diagnosis, prescription lines and notes."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from healthcareplus.ui.doctor.visit_state import DoctorVisitState as S
from healthcareplus.ui.shared.forms import NATIVE_SELECT_STYLE, field_error

VISIT_TYPES = (
    ("consultation", "Consultation"),
    ("follow_up", "Follow-up"),
    ("emergency", "Emergency"),
)
LINE_FIELDS = (
    ("medicine", "Medicine", 120),
    ("dose", "Dose", 60),
    ("frequency", "Frequency", 60),
    ("duration", "Duration", 60),
)


def _saved(key: str) -> Var:
    return rx.cond(S.record.contains(key), S.record[key], "")


def _line(line: Var) -> rx.Component:
    def cell(field: str, label: str, limit: int) -> rx.Component:
        name = f"{field}-" + line["i"]
        return rx.vstack(
            rx.input(
                name=name,
                default_value=line[field],
                placeholder=label,
                max_length=limit,
                aria_label=label + " " + line["n"],
                width="100%",
            ),
            rx.cond(
                S.errors.contains(name),
                rx.text(S.errors[name], color_scheme="red", size="1", role="alert"),
            ),
            spacing="1",
            width="100%",
            # On a phone the medicine takes a whole row, the other three share the next.
            grid_column=rx.breakpoints(initial="span 3", sm="auto")
            if field == "medicine"
            else "auto",
        )

    return rx.grid(
        *(cell(*spec) for spec in LINE_FIELDS),
        grid_template_columns=rx.breakpoints(initial="1fr 1fr 1fr", sm="2fr 1fr 1.3fr 1fr"),
        spacing="2",
        width="100%",
        padding_bottom="0.5em",
        border_bottom=f"1px dashed {rx.color('gray', 5)}",
        data_testid="prescription-row",
    )


def treatment_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Treatment record", size="4", as_="h2"),
                rx.el.label("Visit type", html_for="visit-type"),
                rx.el.select(
                    *(rx.el.option(label, value=value) for value, label in VISIT_TYPES),
                    id="visit-type",
                    name="visit_type",
                    default_value=rx.cond(
                        S.record.contains("visit_type"), S.record["visit_type"], "consultation"
                    ),
                    style=NATIVE_SELECT_STYLE,
                ),
                field_error(S.errors, "visit_type"),
                rx.el.label("Diagnosis", html_for="diagnosis"),
                rx.text_area(
                    id="diagnosis",
                    name="diagnosis",
                    default_value=_saved("diagnosis"),
                    max_length=1000,
                    rows="2",
                    width="100%",
                ),
                field_error(S.errors, "diagnosis"),
                rx.text("Prescription", weight="medium", size="2"),
                rx.foreach(S.lines, _line),
                field_error(S.errors, "items"),
                rx.button(
                    rx.icon("plus"),
                    "Add medicine",
                    type="button",
                    variant="soft",
                    size="1",
                    on_click=S.add_line,
                    disabled=S.lines.length() >= 20,
                ),
                rx.el.label("Notes", html_for="notes"),
                rx.text_area(
                    id="notes",
                    name="notes",
                    default_value=_saved("notes"),
                    max_length=4000,
                    rows="3",
                    width="100%",
                ),
                field_error(S.errors, "notes"),
                rx.button("Save record", type="submit", data_testid="save-record"),
                spacing="2",
                width="100%",
            ),
            key=S.form_key,
            on_submit=S.save,
            reset_on_submit=False,
            width="100%",
        ),
        width="100%",
    )
