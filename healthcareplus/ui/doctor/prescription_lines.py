"""The prescription lines of the treatment form, as the visit state keeps them: each with
a stable id ("i": its inputs' names, kept when another line is removed, so every row keeps
what was typed in it) and its number on the form ("n", for the labels)."""

from __future__ import annotations

from healthcareplus.domain.clinical.treatment_fields import ITEM_FIELDS

Line = dict[str, str]


def new_line(line_id: int, values: dict[str, str] | None = None) -> Line:
    return {**dict.fromkeys(ITEM_FIELDS, ""), **(values or {}), "i": str(line_id), "n": ""}


def numbered(lines: list[Line]) -> list[Line]:
    return [{**line, "n": str(number)} for number, line in enumerate(lines, start=1)]


def next_id(lines: list[Line]) -> int:
    """An id no line has (never reused while the form is open)."""
    return max((int(line["i"]) for line in lines), default=-1) + 1


def form_items(lines: list[Line], form: dict[str, object]) -> list[dict[str, object]]:
    """The submitted values of each line on the form, in order."""
    return [{f: form.get(f"{f}-{line['i']}", "") for f in ITEM_FIELDS} for line in lines]
