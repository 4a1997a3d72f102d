"""Text the PDF core fonts (Helvetica & co.) can draw, for the PDFs the app makes
(the prescription here, the monthly summary in ``reports``).

Core fonts need no font file on the server and render the same everywhere, but they only
cover Latin-1: each PDF maps a few common characters to look-alikes, Latin-1 stays,
accented letters outside Latin-1 lose their accents and anything else becomes "?".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping


def _latin1(text: str) -> bool:
    return all(ord(c) < 256 for c in text)


def latin1_text(text: str, substitutes: Mapping[str, str]) -> str:
    """``text`` with ``substitutes`` applied per character, Latin-1 kept, accents
    stripped from other letters, and what is left outside Latin-1 as "?"."""
    out = []
    for char in text:
        char = substitutes.get(char, char)
        if _latin1(char):
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(base if base and _latin1(base) else "?")
    return "".join(out)


__all__ = ["latin1_text"]
