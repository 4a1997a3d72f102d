from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from healthcareplus.domain.booking.appointments import book, get_appointment
from healthcareplus.domain.booking.calendar_file import calendar_ics, ics_escape, ics_instant
from healthcareplus.domain.payments.checkout import pay
from tests.factories import create_doctor, create_hospital, create_patient, local
from tests.gateways import ScriptedGateway

NOW = local(date(2026, 11, 20), "09:00")
STAMP = datetime(2026, 11, 20, 3, 30, tzinfo=UTC)


@pytest.fixture
def view(session):
    hospital = create_hospital(
        session, name="Manipal Hospital", address="98, HAL Old Airport Rd; Bengaluru"
    )
    doctor = create_doctor(session, hospital=hospital, name="Dr. Meera Rao")
    patient = create_patient(session)
    appointment = book(
        session,
        patient_id=patient.id,
        doctor_id=doctor.id,
        start_at=local(date(2026, 11, 23), "09:30"),
        reason="Fever, cough; body ache\\chills\nsince Monday",
        now=NOW,
    )
    pay(
        session,
        appointment_id=appointment.id,
        patient_id=patient.id,
        method="upi",
        form={"upi_vpa": "asha@okaxis"},
        gateway=ScriptedGateway([True]),
        now=NOW,
    )
    return get_appointment(session, appointment_id=appointment.id, patient_id=patient.id, now=NOW)


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_calendar_file_structure(view):
    text = calendar_ics(view, now=STAMP)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # only CRLF line breaks
    lines = unfold(text)[:-1]
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines[-2:] == ["END:VEVENT", "END:VCALENDAR"]
    props = dict(line.split(":", 1) for line in lines)
    assert props["UID"] == f"{view.id}@healthcareplus.in"
    assert props["DTSTAMP"] == "20261120T033000Z"
    assert props["DTSTART"] == "20261123T040000Z"  # 09:30 IST
    assert props["DTEND"] == "20261123T041500Z"
    assert props["SUMMARY"] == "Appointment with Dr. Meera Rao"
    assert props["LOCATION"] == "Manipal Hospital\\, 98\\, HAL Old Airport Rd\\; Bengaluru"
    assert props["DESCRIPTION"] == (
        "Reason: Fever\\, cough\\; body ache\\\\chills since Monday"
        f"\\nTransaction ID: {view.transaction_id}\\nFee: ₹500"
    )
    assert props["STATUS"] == "CONFIRMED"
    assert view.transaction_id.startswith("HCP-")


def test_long_lines_are_folded_at_75_octets(view):
    long_view = replace(view, reason="Persistent headache " * 20 + "ಕನ್ನಡ" * 10)
    text = calendar_ics(long_view, now=STAMP)
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75
    description = next(x for x in unfold(text) if x.startswith("DESCRIPTION:"))
    assert ("Persistent headache " * 20).strip() in description
    assert "ಕನ್ನಡ" * 10 in description


def test_summary_adds_title_only_when_missing(view):
    text = calendar_ics(replace(view, doctor_name="Meera Rao", status="cancelled"), now=STAMP)
    assert "SUMMARY:Appointment with Dr. Meera Rao\r\n" in text
    assert "STATUS:CANCELLED\r\n" in text


def test_helpers():
    assert ics_escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert ics_instant(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "20260102T030405Z"
    with pytest.raises(ValueError):
        ics_instant(datetime(2026, 1, 2))
