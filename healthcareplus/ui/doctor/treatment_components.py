"""The treatment form of a visit: visit type, diagnosis, prescription lines and notes."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from healthcareplus.ui.doctor.visit_state import DoctorVisitState as S
from healthcareplus.ui.shared.forms import field_error, fixed_options, native_select, stacked_form
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.typed import RowVar

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
PLACEHOLDERS = {
    "medicine": "e.g. Paracetamol 500 mg",
    "dose": "1 tablet",
    "frequency": "Twice a day",
    "duration": "5 days",
}


def _saved(key: str) -> Var[str]:
    return rx.cond(S.record.contains(key), S.record[key], "")


def _line(line: RowVar) -> rx.Component:
    def cell(field: str, label: str, limit: int) -> rx.Component:
        name = f"{field}-" + line["i"]
        return rx.vstack(
            rx.el.label(label, html_for=name, style={"fontSize": "12px"}, aria_hidden="true"),
            rx.input(
                id=name,
                name=name,
                default_value=line[field],
                placeholder=PLACEHOLDERS[field],
                max_length=limit,
                aria_label=label + " " + line["n"],
                width="100%",
            ),
            field_error(S.errors, name, size="1", role="alert", data_testid=None),
            spacing="1",
            width="100%",
            # On a phone the medicine takes a whole row; the other three and the remove button
            # share the next.
            grid_column=rx.breakpoints(initial="1 / -1", sm="auto")
            if field == "medicine"
            else "auto",
        )

    remove = rx.icon_button(
        rx.icon("x", size=16),
        type="button",
        variant="ghost",
        color_scheme="gray",
        on_click=S.remove_line(line["i"]),
        aria_label="Remove medicine " + line["n"],
        title="Remove this medicine",
    )
    return rx.grid(
        *(cell(*spec) for spec in LINE_FIELDS),
        rx.flex(remove, align="end", justify="end", height="100%"),
        grid_template_columns=rx.breakpoints(
            initial="1fr 1fr 1fr auto", sm="2fr 1fr 1.3fr 1fr auto"
        ),
        spacing="2",
        width="100%",
        padding_bottom="0.5em",
        border_bottom=f"1px dashed {rx.color('gray', 5)}",
        data_testid="prescription-row",
        key=line["i"],
    )


def _text(label: str, name: str, limit: int, rows: str) -> rx.Component:
    """A labelled text area of the record with its error (the saved text to start with)."""
    area = rx.text_area(
        id=name, name=name, default_value=_saved(name), max_length=limit, rows=rows, width="100%"
    )
    return rx.fragment(rx.el.label(label, html_for=name), area, field_error(S.errors, name))


def treatment_form() -> rx.Component:
    visit_type = native_select(
        *fixed_options(VISIT_TYPES),
        id="visit-type",
        name="visit_type",
        default_value=rx.cond(
            S.record.contains("visit_type"), S.record["visit_type"], "consultation"
        ),
    )
    add_line = rx.button(
        rx.icon("plus"),
        t("Add medicine"),
        type="button",
        variant="soft",
        size="1",
        on_click=S.add_line,
        disabled=S.lines.length() >= 20,
    )
    form = stacked_form(
        rx.heading(t("Treatment record"), size="4", as_="h2"),
        rx.el.label(t("Visit type"), html_for="visit-type"),
        visit_type,
        field_error(S.errors, "visit_type"),
        _text("Diagnosis", "diagnosis", 1000, "2"),
        rx.text(t("Prescription"), weight="medium", size="2"),
        rx.foreach(S.lines, _line),
        field_error(S.errors, "items"),
        add_line,
        _text("Notes", "notes", 4000, "3"),
        rx.button(t("Save record"), type="submit", data_testid="save-record"),
        spacing="2",
        key=S.form_key,
        on_submit=S.save,
    )
    return rx.card(form, width="100%")
