"""The app's languages: message catalogues and locale-aware formatting (no UI here).

Messages are written in English in the code (the English text is the msgid) and marked
for extraction: ``t("...")`` in the UI, ``N_("...")`` for domain messages (error texts,
notification subjects) that are translated where they are shown, ``gettext(msgid,
language)`` where a message is built for a known reader. The Hindi catalogue
(``locale/hi/LC_MESSAGES/messages.po``) is read once, at import, with Babel; no compiled
``.mo`` file is needed. ``make i18n`` re-extracts the template and merges it into the
catalogue; a test fails when a marked message is missing from either.

The language of the code that is running (the caller of a UI event, the reader of an
email) is a context variable: ``use_language("hi")`` around the work, ``current_language()``
inside it. ``core.formatting`` reads it, so dates, times and rupee amounts built for a
Hindi reader come out in Hindi.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Final

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

ENGLISH: Final = "en"
HINDI: Final = "hi"
LANGUAGES: Final = (ENGLISH, HINDI)
DEFAULT_LANGUAGE: Final = ENGLISH
# Each language in its own script, as the switch offers it.
LANGUAGE_NAMES: Final = {ENGLISH: "English", HINDI: "हिन्दी"}
# Babel locales: Indian English and Hindi (India) share the lakh/crore digit grouping.
LOCALES: Final = {ENGLISH: "en_IN", HINDI: "hi_IN"}
LOCALE_DIR: Final = Path(__file__).resolve().parents[1] / "locale"
DOMAIN: Final = "messages"

_language: ContextVar[str] = ContextVar("hcp_language", default=DEFAULT_LANGUAGE)


def supported(value: object) -> str | None:
    """``value`` if it names a supported language ("en", "hi"), else ``None``."""
    return value if isinstance(value, str) and value in LANGUAGES else None


def language_or_default(value: object) -> str:
    """A supported language: ``value`` when it is one, else English."""
    return supported(value) or DEFAULT_LANGUAGE


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path, language: str) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=language, domain=DOMAIN)


@functools.cache
def translations(language: str) -> dict[str, str]:
    """msgid -> translation for ``language`` (English has none: its msgids are the text).

    Fuzzy and empty entries are left out, so an unfinished translation shows English."""
    if language == ENGLISH or supported(language) is None:
        return {}
    path = catalogue_path(language)
    if not path.exists():
        return {}
    return {
        str(message.id): str(message.string)
        for message in read_catalogue(path, language)
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy
    }


def gettext(msgid: str, language: str | None = None) -> str:
    """``msgid`` in ``language`` (default: the current one); English when untranslated."""
    lang = language_or_default(language) if language is not None else current_language()
    return translations(lang).get(msgid, msgid)


def translate(msgid: str, language: str | None = None, /, **values: object) -> str:
    """``gettext`` with ``{name}`` placeholders filled (``values`` are not translated)."""
    return gettext(msgid, language).format(**values)


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark ``msgid`` for the catalogue without translating it (it is translated where
    it is shown, in the reader's language)."""
    return msgid


def current_language() -> str:
    """The language of the reader of what is being built (English unless set)."""
    return _language.get()


@contextmanager
def use_language(language: object) -> Iterator[str]:
    """Build messages, dates and amounts for a reader of ``language`` (English if it is
    not supported) inside the block."""
    token = _language.set(language_or_default(language))
    try:
        yield _language.get()
    finally:
        _language.reset(token)


def set_current_language(language: object) -> None:
    """Set the current language for the rest of this context (an event's handling)."""
    _language.set(language_or_default(language))


def locale_of(language: str | None = None) -> Locale:
    lang = language_or_default(language) if language is not None else current_language()
    return Locale.parse(LOCALES[lang])


def money(paise: int, language: str | None = None) -> str:
    """Integer paise as rupees in the language's locale: "₹1,23,456", "₹2,500.50"."""
    whole = int(paise) % 100 == 0
    pattern = "¤#,##,##0" if whole else "¤#,##,##0.00"
    return format_currency(
        Decimal(int(paise)) / 100,
        "INR",
        format=pattern,
        locale=locale_of(language),
        currency_digits=False,
    )


def number(value: int | float | Decimal, language: str | None = None) -> str:
    """A number with the locale's grouping and decimal sign: 1234567 -> "12,34,567"."""
    return format_decimal(value, locale=locale_of(language))


def day_label(day: date, pattern: str = "EEE, dd MMM y", language: str | None = None) -> str:
    """A date with a CLDR ``pattern`` in the language: "सोम, 23 नव॰ 2026"."""
    return babel_date(day, pattern, locale=locale_of(language))


def clock(value: time, language: str | None = None) -> str:
    """A wall-clock time, 12-hour: "09:30 AM" / "09:30 am"."""
    return babel_time(value, "hh:mm a", locale=locale_of(language))


__all__ = [
    "DEFAULT_LANGUAGE",
    "ENGLISH",
    "HINDI",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LOCALES",
    "N_",
    "clock",
    "current_language",
    "day_label",
    "gettext",
    "language_or_default",
    "money",
    "number",
    "set_current_language",
    "supported",
    "translate",
    "translations",
    "use_language",
]
