"""The printable prescription of a treatment record: an A4 PDF (fpdf2) with the clinic
header, doctor, patient, diagnosis, medicines, notes and a signature line.

Drawn with the PDF core font Helvetica, so no font files are needed (see ``pdf_text``).
"""

from __future__ import annotations

from fpdf import FPDF, FontFace

from healthcareplus.domain.clinical.pdf_text import latin1_text
from healthcareplus.domain.clinical.records import TreatmentRecord

FONT = "Helvetica"
_SUBSTITUTES = {"₹": "Rs.", "–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "..."}
_TABLE_HEAD = FontFace(emphasis="BOLD", fill_color=(224, 242, 241))


def _latin1(text: str) -> str:
    """What the PDF core fonts can draw: Latin-1 kept, accents stripped, the rest "?"."""
    return latin1_text(text, _SUBSTITUTES)


def _line(pdf: FPDF, height: float, text: str, *, width: float = 0, align: str = "L") -> None:
    """One cell of ``text``, then the next line."""
    pdf.cell(width, height, _latin1(text), align=align, new_x="LMARGIN", new_y="NEXT")


def _section(pdf: FPDF, title: str, body: str) -> None:
    pdf.set_font(FONT, "B", 11)
    _line(pdf, 7, title)
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(0, 5, _latin1(body) or "-", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _letterhead(pdf: FPDF, record: TreatmentRecord) -> None:
    pdf.set_font(FONT, "B", 16)
    pdf.set_text_color(13, 148, 136)
    _line(pdf, 8, "HealthCarePlus")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "B", 11)
    _line(pdf, 6, record.hospital_name)
    pdf.set_font(FONT, size=9)
    address = _latin1(f"{record.hospital_address}, {record.city_name}")
    pdf.multi_cell(0, 5, address, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "B", 12)
    _line(pdf, 6, record.doctor_name)
    pdf.set_font(FONT, size=10)
    _line(pdf, 5, f"{record.doctor_qualification} - {record.specialization}")
    if record.doctor_registration_number:
        registration = f"Reg. No. {record.doctor_registration_number}"
        _line(pdf, 5, f"{registration} ({record.doctor_registration_council})")
    pdf.line(15, pdf.get_y() + 2, 195, pdf.get_y() + 2)
    pdf.ln(5)


def _medicines(pdf: FPDF, record: TreatmentRecord) -> None:
    pdf.set_font(FONT, "B", 11)
    _line(pdf, 7, "Rx - Medicines")
    pdf.set_font(FONT, size=10)
    if not record.items:
        _line(pdf, 6, "No medicines prescribed.")
        return
    with pdf.table(
        col_widths=(8, 52, 30, 40, 30), headings_style=_TABLE_HEAD, line_height=6
    ) as table:
        table.row(("#", "Medicine", "Dose", "Frequency", "Duration"))
        for number, item in enumerate(record.items, start=1):
            values = (item.medicine, item.dose, item.frequency, item.duration)
            table.row((str(number), *(_latin1(v) for v in values)))


def prescription_pdf(record: TreatmentRecord, *, compress: bool = True) -> bytes:
    """An A4 prescription: clinic header, doctor, patient, diagnosis, medicines, notes and
    a signature line. Core fonts only (see ``_latin1``), so no font files are needed."""
    pdf = FPDF(format="A4")
    pdf.set_compression(compress)
    pdf.set_title(_latin1(f"Prescription - {record.patient_name}"))
    pdf.set_author(_latin1(record.doctor_name))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    _letterhead(pdf, record)
    patient = ", ".join(p for p in (record.patient_age_label, record.patient_gender) if p)
    facts = (
        ("Patient", record.patient_name + (f" ({patient})" if patient else "")),
        ("Date", f"{record.visit_date_label}, {record.visit_time_label}"),
        ("Visit type", record.visit_type_label),
    )
    for label, value in facts:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(30, 6, label)
        pdf.set_font(FONT, size=10)
        _line(pdf, 6, value)
    pdf.ln(3)
    _section(pdf, "Diagnosis", record.diagnosis)
    _medicines(pdf, record)
    pdf.ln(4)
    _section(pdf, "Notes", record.notes)
    if pdf.get_y() > 250:
        pdf.add_page()
    pdf.set_y(max(pdf.get_y() + 15, 240))
    pdf.line(125, pdf.get_y(), 195, pdf.get_y())
    pdf.set_x(125)
    pdf.set_font(FONT, size=10)
    _line(pdf, 6, record.doctor_name, width=70, align="C")
    pdf.set_x(125)
    pdf.set_font(FONT, size=8)
    _line(pdf, 5, "Signature", width=70, align="C")
    pdf.set_font(FONT, size=8)
    pdf.set_text_color(100, 100, 100)
    pdf.cell(0, 5, _latin1(f"Record updated {record.updated_label} (India time)"))
    return bytes(pdf.output())


def prescription_filename(record: TreatmentRecord) -> str:
    return f"prescription-{record.appointment_id[:8]}.pdf"


__all__ = ["prescription_filename", "prescription_pdf"]
