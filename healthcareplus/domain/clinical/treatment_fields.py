"""Validation of what a doctor types into a treatment record: visit type, diagnosis,
notes and the prescription lines. Errors are keyed by form field (a line's fields as
``<field>-<line index>``) so the form can mark each one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.models import VisitType

VISIT_TYPE_LABELS = {
    VisitType.CONSULTATION.value: "Consultation",
    VisitType.FOLLOW_UP.value: "Follow-up",
    VisitType.EMERGENCY.value: "Emergency",
}
MAX_ITEMS = 20
DIAGNOSIS_MAX, NOTES_MAX = 1000, 4000
MEDICINE_MAX, DETAIL_MAX = 120, 60
ITEM_FIELDS = ("medicine", "dose", "frequency", "duration")


@dataclass(frozen=True)
class TreatmentFields:
    visit_type: str
    diagnosis: str
    notes: str
    lines: list[dict[str, str]]  # the prescription, blank lines dropped


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


def clean_items(items: Any) -> list[dict[str, str]]:
    """Prescription lines, blank ones dropped; errors keyed ``<field>-<line index>``."""
    if not isinstance(items, list | tuple):
        raise ValidationFailed({"items": "Send the prescription as a list of lines."})
    if len(items) > MAX_ITEMS:
        raise ValidationFailed({"items": f"A prescription can have at most {MAX_ITEMS} lines."})
    errors: dict[str, str] = {}
    lines: list[dict[str, str]] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors["items"] = "Each prescription line needs a medicine."
            continue
        values = {f: _text(item.get(f, "")) for f in ITEM_FIELDS}
        if any(v is None for v in values.values()):
            errors[f"medicine-{index}"] = "Enter the line as text."
            continue
        line = {k: v or "" for k, v in values.items()}
        if not any(line.values()):
            continue
        if not line["medicine"]:
            errors[f"medicine-{index}"] = "Enter the medicine."
        elif len(line["medicine"]) > MEDICINE_MAX:
            errors[f"medicine-{index}"] = f"At most {MEDICINE_MAX} characters."
        for name in ITEM_FIELDS[1:]:
            if len(line[name]) > DETAIL_MAX:
                errors[f"{name}-{index}"] = f"At most {DETAIL_MAX} characters."
        lines.append(line)
    if errors:
        raise ValidationFailed(errors)
    return lines


def _clean_record(visit_type: Any, diagnosis: Any, notes: Any) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    kind = visit_type if isinstance(visit_type, str) else ""
    if kind not in VISIT_TYPE_LABELS:
        errors["visit_type"] = "Choose consultation, follow-up or emergency."
    found = _text(diagnosis) or ""
    if not found:
        errors["diagnosis"] = "Enter the diagnosis."
    elif len(found) > DIAGNOSIS_MAX:
        errors["diagnosis"] = f"Keep the diagnosis under {DIAGNOSIS_MAX} characters."
    remarks = _text(notes) if notes is not None else ""
    if remarks is None or len(remarks) > NOTES_MAX:
        errors["notes"] = f"Keep the notes under {NOTES_MAX} characters."
    if errors:
        raise ValidationFailed(errors)
    return kind, found, remarks or ""


def treatment_fields(visit_type: Any, diagnosis: Any, notes: Any, items: Any) -> TreatmentFields:
    """Every field cleaned, or one ``ValidationFailed`` naming all the bad ones."""
    errors: dict[str, str] = {}
    kind, found, remarks, lines = "", "", "", []
    try:
        kind, found, remarks = _clean_record(visit_type, diagnosis, notes)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    try:
        lines = clean_items(items)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    return TreatmentFields(visit_type=kind, diagnosis=found, notes=remarks, lines=lines)


__all__ = [
    "DETAIL_MAX",
    "DIAGNOSIS_MAX",
    "ITEM_FIELDS",
    "MAX_ITEMS",
    "MEDICINE_MAX",
    "NOTES_MAX",
    "VISIT_TYPE_LABELS",
    "TreatmentFields",
    "clean_items",
    "treatment_fields",
]
