"""CSV text for spreadsheets, shared by the appointments export and the monthly summary:
a UTF-8 byte-order mark, cells no spreadsheet will run as a formula, rupees as plain
numbers, and one RFC 4180 record at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

BOM = "\ufeff"  # lets spreadsheet programs read the CSV (names, "₹") as UTF-8
# Cells a spreadsheet would run as a formula; such text cells get a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str | None) -> str:
    """Text as a CSV cell that no spreadsheet will evaluate (CSV/formula injection)."""
    text = value or ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def rupees_plain(paise: int) -> str:
    """Integer paise as a plain number of rupees for spreadsheets: 50050 -> "500.50"."""
    sign = "-" if paise < 0 else ""
    rupees, rest = divmod(abs(int(paise)), 100)
    return f"{sign}{rupees}.{rest:02d}"


class CsvLineWriter:
    """Formats one CSV record at a time (RFC 4180 quoting, CRLF line ends)."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer)

    def __call__(self, cells: Sequence[str]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(cells)
        return self._buffer.getvalue()


__all__ = ["BOM", "CsvLineWriter", "rupees_plain", "safe_cell"]
