"""A visit's treatment record as the patient and the doctor read it (rows from a state)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var


def _label(text: str) -> rx.Component:
    return rx.text(text, size="1", weight="bold", color_scheme="gray", text_transform="uppercase")


def prescription_table(items: Var) -> rx.Component:
    def row(item: Var) -> rx.Component:
        return rx.table.row(
            rx.table.row_header_cell(item["medicine"]),
            rx.table.cell(item["dose"]),
            rx.table.cell(item["frequency"]),
            rx.table.cell(item["duration"]),
            data_testid="prescription-line",
        )

    return rx.cond(
        items.length() > 0,
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *(
                            rx.table.column_header_cell(h)
                            for h in ("Medicine", "Dose", "Frequency", "Duration")
                        )
                    )
                ),
                rx.table.body(rx.foreach(items, row)),
                size="1",
                variant="surface",
                width="100%",
            ),
            overflow_x="auto",
            width="100%",
        ),
        rx.text("No medicines prescribed.", size="2", color_scheme="gray"),
    )


def treatment_record(record: Var, items: Var) -> rx.Component:
    """Visit type, diagnosis, the prescription table and the doctor's notes."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Treatment record", size="4", as_="h2"),
                rx.spacer(),
                rx.badge(record["visit_type_label"], size="2", data_testid="visit-type"),
                width="100%",
                align="center",
            ),
            _label("Diagnosis"),
            rx.text(record["diagnosis"], white_space="pre-wrap", data_testid="diagnosis"),
            _label("Prescription"),
            prescription_table(items),
            rx.cond(
                record["notes"] != "",
                rx.vstack(
                    _label("Notes"),
                    rx.text(record["notes"], white_space="pre-wrap", size="2"),
                    spacing="1",
                    width="100%",
                ),
            ),
            rx.text(
                record["doctor_name"],
                " · updated ",
                record["updated_label"],
                size="1",
                color_scheme="gray",
            ),
            spacing="2",
            align="start",
            width="100%",
        ),
        width="100%",
        data_testid="treatment-record",
    )
