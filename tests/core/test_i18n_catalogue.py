"""The message catalogues are complete and current: every message marked in the code
(``t``, ``tr``, ``N_``, ``gettext``, ``translate``, the email templates' ``_``) is in
the template ``messages.pot``, every one the patient side shows is translated in the
Hindi catalogue (the staff portals, ``ui/admin`` and ``ui/doctor``, are English: their
texts are marked but need no Hindi), and neither holds messages the code no longer has.
Re-extract with ``make i18n`` after changing a marked text, then translate what it adds."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from healthcareplus.core import i18n

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "healthcareplus"
POT = PACKAGE / "locale" / "messages.pot"
PLACEHOLDER = re.compile(r"\{(\w*)\}")
STAFF_ONLY = ("ui/admin/", "ui/doctor/")  # English portals


def _keywords() -> dict[str, tuple[int, ...] | None]:
    """The extraction keywords, read from the Makefile's i18n target."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = next(line for line in makefile.splitlines() if line.startswith("I18N_KEYWORDS"))
    return dict.fromkeys(re.findall(r"-k (\S+)", line))


@functools.cache
def _found() -> list[tuple[str, str]]:
    """(file under healthcareplus/, message) for every marked message."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = extract_from_dir(
        str(PACKAGE), method_map, options_map, keywords=_keywords(), comment_tags=()
    )
    return [(path.replace("\\", "/"), message) for path, _line, message, *_ in found if message]


def _marked() -> set[str]:
    return {message for _path, message in _found()}


def _patient_side() -> set[str]:
    """The marked messages a patient or visitor may read (any use outside the staff portals)."""
    return {message for path, message in _found() if not path.startswith(STAFF_ONLY)}


def _ids(path: Path, language: str | None = None) -> dict[str, str]:
    catalogue = i18n.read_catalogue(path, language or "en")
    return {str(m.id): str(m.string) for m in catalogue if m.id and isinstance(m.id, str)}


def test_the_template_holds_exactly_the_marked_messages() -> None:
    marked, template = _marked(), set(_ids(POT))
    assert not marked - template, f"run `make i18n`: not extracted {sorted(marked - template)}"
    assert not template - marked, f"run `make i18n`: stale {sorted(template - marked)}"


def test_every_marked_message_is_translated_into_hindi() -> None:
    hindi = _ids(i18n.catalogue_path("hi"), "hi")
    missing = sorted(m for m in _patient_side() if not hindi.get(m))
    assert not missing, f"not in the Hindi catalogue: {missing}"
    stale = set(hindi) - _marked()
    assert not stale, f"stale in the Hindi catalogue: {stale}"


def test_staff_texts_are_marked_and_only_the_patient_side_needs_hindi() -> None:
    staff = _marked() - _patient_side()
    assert "Add doctor" in staff and "Save weekly hours" in staff
    assert "Find doctors" in _patient_side()


def test_translations_keep_every_placeholder() -> None:
    hindi = _ids(i18n.catalogue_path("hi"), "hi")
    wrong = {
        msgid: text
        for msgid, text in hindi.items()
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text))
    }
    assert not wrong


def test_the_app_reads_the_catalogue_it_ships() -> None:
    hindi = _ids(i18n.catalogue_path("hi"), "hi")
    assert i18n.translations("hi") == {k: v for k, v in hindi.items() if v}
    assert sum(1 for text in hindi.values() if text) > 300
