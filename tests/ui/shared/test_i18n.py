"""t(): a page's text chooses English or Hindi on the client (one compiled Var, the
prerendered page English), with placeholders filled by Vars; tr(): a handler's text in
the language of the event; and the header's switch."""

from __future__ import annotations

import json

from healthcareplus.core import i18n
from healthcareplus.ui.shared.i18n import language_switch, t, tr
from healthcareplus.ui.shared.language_state import LanguageState
from healthcareplus.ui.shared.session import SessionState

LANGUAGE_VAR = LanguageState.language._js_expr


def js(value: object) -> str:
    return str(value)


def test_a_translated_text_compiles_to_both_languages_chosen_by_the_cookie_var() -> None:
    code = js(t("Find doctors"))
    assert LANGUAGE_VAR in code and '"hi"' in code
    assert json.dumps("डॉक्टर खोजें") in code and '"Find doctors"' in code
    # English is the branch taken for anything but "hi" (the build's first render).
    assert code.index(json.dumps("डॉक्टर खोजें")) < code.index('"Find doctors"')


def test_placeholders_take_vars_in_both_languages() -> None:
    code = js(t("Welcome, {name}!", name=SessionState.user_name))
    assert code.count(SessionState.user_name._js_expr) == 2
    assert json.dumps("स्वागत है, ") in code and '"Welcome, "' in code
    assert "{name}" not in code


def test_an_untranslated_text_is_just_english() -> None:
    code = js(t("A text nobody marked for {who}", who="you"))
    assert code == '"A text nobody marked for you"'
    assert LANGUAGE_VAR not in code


def test_tr_uses_the_language_of_the_event() -> None:
    assert tr("Welcome, {name}!", name="Asha") == "Welcome, Asha!"
    with i18n.use_language("hi"):
        assert tr("Welcome, {name}!", name="Asha") == "स्वागत है, Asha!"


def test_the_switch_offers_both_languages_by_their_own_names() -> None:
    jsx = str(language_switch())
    for code, name in (("en", "English"), ("hi", "हिन्दी")):
        assert f'"data-testid":"language-{code}"' in jsx
        assert f'"aria-label":{json.dumps(name)}' in jsx
        assert f'lang:"{code}"' in jsx
        assert f'switch_language", ({{ ["language"] : "{code}" }})' in jsx
    assert jsx.count('"aria-pressed"') == 2
    assert '"data-hcp-lang"' in jsx  # /lang.js sets <html lang> from it


def test_specializations_and_departments_show_in_the_devices_language() -> None:
    from healthcareplus.domain.catalog.specializations import DEPARTMENTS
    from healthcareplus.ui.shared.i18n import CATALOG_NAMES, catalog_label

    assert set(CATALOG_NAMES) == {*DEPARTMENTS, *DEPARTMENTS.values()}
    for name in CATALOG_NAMES:  # each one has its Hindi
        assert i18n.gettext(name, i18n.HINDI) != name, name
    code = str(catalog_label(SessionState.user_name))
    assert json.dumps("हृदय रोग विशेषज्ञ") in code and json.dumps("Cardiologist") in code
    assert str(LanguageState.language) in code  # chosen on the client, like t()
