"""A visit's treatment record as the patient and the doctor read it (rows from a state),
the button that downloads its prescription, and that download (the event their states
answer with)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.domain.clinical import records as treatments
from healthcareplus.domain.clinical.prescription_pdf import prescription_filename, prescription_pdf
from healthcareplus.ui.shared.cards import aside_row
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_note, if_any
from healthcareplus.ui.shared.outcome import Failed
from healthcareplus.ui.shared.tables import header_row, labelled_row, scroll_table
from healthcareplus.ui.shared.typed import RowsVar, RowVar


def _label(text: str) -> rx.Component:
    return rx.text(text, size="1", weight="bold", color_scheme="gray", text_transform="uppercase")


PRESCRIPTION_COLUMNS = ("Medicine", "Dose", "Frequency", "Duration")


def prescription_table(items: RowsVar) -> rx.Component:
    def row(item: RowVar) -> rx.Component:
        return labelled_row(
            PRESCRIPTION_COLUMNS,
            rx.table.row_header_cell(item["medicine"]),
            rx.table.cell(item["dose"]),
            rx.table.cell(item["frequency"]),
            rx.table.cell(item["duration"]),
            data_testid="prescription-line",
        )

    header = header_row(*PRESCRIPTION_COLUMNS)
    table = scroll_table(header, rx.foreach(items, row), size="1")
    return if_any(items, table, empty_note(t("No medicines prescribed.")))


def treatment_record(record: RowVar, items: RowsVar) -> rx.Component:
    """Visit type, diagnosis, the prescription table and the doctor's notes."""
    return rx.card(
        rx.vstack(
            aside_row(
                rx.heading(t("Treatment record"), size="4", as_="h2"),
                rx.badge(record["visit_type_label"], size="2", data_testid="visit-type"),
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
                t(" · updated "),
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


def prescription_button(label: Any, on_click: Any, **props: Any) -> rx.Component:
    """Downloads the visit's prescription as a PDF."""
    return rx.button(rx.icon("file-down"), label, on_click=on_click, **props)


def prescription_download(
    record: treatments.TreatmentRecord | Failed | None,
) -> EventSpec:
    """The download of a treatment record's prescription as a PDF (for its doctor and its
    patient), or a toast that says why there is none."""
    if isinstance(record, Failed):
        return record.toast()
    if record is None:
        return rx.toast.error("Save the treatment record first.")
    return rx.download(
        data=prescription_pdf(record),
        filename=prescription_filename(record),
        mime_type="application/pdf",
    )
