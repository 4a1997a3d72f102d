"""core.i18n: the Hindi catalogue as the app reads it, gettext's fallbacks, the current
language and locale formatting (Babel, en_IN / hi_IN), and formatting's Hindi path."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from healthcareplus.core import formatting, i18n


def test_gettext_translates_a_catalogued_message_for_hindi_only() -> None:
    assert i18n.gettext("Find doctors", "hi") == "डॉक्टर खोजें"
    assert i18n.gettext("Find doctors", "en") == "Find doctors"


@pytest.mark.parametrize("language", ["fr", "", None, 7, "HI", "hi-IN", "../hi"])
def test_gettext_falls_back_to_english_for_an_unsupported_language(language: object) -> None:
    with i18n.use_language("en"):
        assert i18n.gettext("Find doctors", language) == "Find doctors"  # type: ignore[arg-type]


def test_gettext_returns_an_uncatalogued_message_as_it_is() -> None:
    assert i18n.gettext("A message nobody marked", "hi") == "A message nobody marked"


def test_translate_fills_placeholders_after_translating() -> None:
    assert i18n.translate("Welcome, {name}!", "hi", name="Asha") == "स्वागत है, Asha!"
    assert i18n.translate("Welcome, {name}!", "en", name="Asha") == "Welcome, Asha!"


def test_fuzzy_and_empty_entries_are_not_used(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "hi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid "Done"\nmsgstr "हो गया"\n\n'
        '#, fuzzy\nmsgid "Maybe"\nmsgstr "शायद"\n\n'
        'msgid "Empty"\nmsgstr ""\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        assert i18n.translations("hi") == {"Done": "हो गया"}
        assert i18n.gettext("Maybe", "hi") == "Maybe"
    finally:
        monkeypatch.undo()
        i18n.translations.cache_clear()


def test_the_current_language_is_english_unless_set_and_is_restored() -> None:
    assert i18n.current_language() == "en"
    with i18n.use_language("hi"):
        assert i18n.current_language() == "hi"
        assert i18n.gettext("Today") == "आज"
        with i18n.use_language("klingon"):
            assert i18n.current_language() == "en"
        assert i18n.current_language() == "hi"
    assert i18n.current_language() == "en"


def test_supported_accepts_only_the_two_codes() -> None:
    assert [i18n.supported(v) for v in ("en", "hi", "HI", "fr", "", None, 1)] == [
        "en",
        "hi",
        None,
        None,
        None,
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("paise", "english", "hindi"),
    [
        (50000, "₹500", "₹500"),
        (12345600, "₹1,23,456", "₹1,23,456"),
        (250050, "₹2,500.50", "₹2,500.50"),
        (-150000, "-₹1,500", "-₹1,500"),
        (0, "₹0", "₹0"),
    ],
)
def test_money_is_indian_rupees_in_both_locales(paise: int, english: str, hindi: str) -> None:
    assert i18n.money(paise, "en") == english
    assert i18n.money(paise, "hi") == hindi
    # The English app's own formatting agrees with Babel's en_IN.
    assert formatting.format_rupees(paise) == english


def test_numbers_use_lakh_grouping() -> None:
    assert i18n.number(2000600, "hi") == "20,00,600"
    assert i18n.number(2000600, "en") == "20,00,600"


def test_dates_and_times_are_in_hindi_for_a_hindi_reader() -> None:
    day = date(2026, 11, 23)  # a Monday
    assert i18n.day_label(day, language="hi") == "सोम, 23 नव॰ 2026"
    assert i18n.day_label(day, language="en") == "Mon, 23 Nov 2026"
    assert formatting.format_clock(time(15, 5)) == "03:05 PM"
    assert i18n.clock(time(15, 5), "hi") == "03:05 pm"


def test_formatting_follows_the_current_language() -> None:
    day = date(2026, 11, 23)
    instant = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 09:30 in India
    english = (
        formatting.format_date(day),
        formatting.format_local_time(instant),
        formatting.format_rupees(12345650),
        formatting.relative_day(day, day),
        formatting.format_count(1234567),
    )
    assert english == ("Mon, 23 Nov 2026", "09:30 AM", "₹1,23,456.50", "Today", "12,34,567")
    with i18n.use_language("hi"):
        hindi = (
            formatting.format_date(day),
            formatting.format_local_time(instant),
            formatting.format_rupees(12345650),
            formatting.relative_day(day, day),
            formatting.relative_day(date(2026, 11, 24), day),
            formatting.format_day_month(day),
        )
    assert hindi == ("सोम, 23 नव॰ 2026", "09:30 am", "₹1,23,456.50", "आज", "कल", "23 नव॰")
