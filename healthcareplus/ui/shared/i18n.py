"""Translated text in the UI: ``t()`` for what a page shows, ``tr()`` for what a handler
builds, and the header's language switch.

``t("Find doctors")`` is decided on the client: it compiles to a Var that shows the
Hindi text when the device's language (``LanguageState.language``) is Hindi and the
English one otherwise, so switching needs no round trip and pages prerendered at build
time are English. ``{name}`` placeholders take Vars or plain values:
``t("Welcome, {name}", name=SessionState.user_name)``. The English text is the msgid:
``make i18n`` extracts every literal ``t(...)``/``tr(...)`` into the catalogue.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

from healthcareplus.core import i18n
from healthcareplus.domain.catalog.specializations import DEPARTMENTS
from healthcareplus.ui.shared.language_state import LanguageState

IS_HINDI = LanguageState.language == i18n.HINDI


def _fill(template: str, values: dict[str, Any]) -> Var[str]:
    # A Var formatted into a str leaves a marker that Var.create turns back into the Var.
    return Var.create(template.format(**values) if values else template).to(str)


def t(msgid: str, **values: Any) -> Var[str]:
    """``msgid`` in the device's language, as a Var for text, labels and attributes."""
    english = _fill(msgid, values)
    hindi = i18n.gettext(msgid, i18n.HINDI)
    if hindi == msgid:
        return english
    return rx.cond(IS_HINDI, _fill(hindi, values), english).to(str)


# Specializations and departments are stored in English; pages show them translated.
CATALOG_NAMES: tuple[str, ...] = tuple(sorted({*DEPARTMENTS, *DEPARTMENTS.values()}))


def catalog_label(value: Var[str] | str) -> Var[str]:
    """A specialization or department in the device's language (switching with the
    header, like ``t``); any other text as it is."""
    shown = Var.create(value).to(str)
    return rx.match(shown, *((name, t(name)) for name in CATALOG_NAMES), shown).to(str)


def tr(msgid: str, /, **values: object) -> str:
    """``msgid`` in the language of the event being handled (toasts, messages)."""
    return i18n.translate(msgid, None, **values)


# What a phone's header has room for; the buttons' names stay the full ones.
SHORT_NAMES = {i18n.ENGLISH: "EN", i18n.HINDI: "हि"}


def _label(code: str, name: str) -> rx.Component:
    """The full name from small tablets up, the short one on a phone."""
    wide = rx.breakpoints(initial="none", xs="inline")
    narrow = rx.breakpoints(initial="inline", xs="none")
    return rx.fragment(
        rx.el.span(name, display=wide),
        rx.el.span(SHORT_NAMES[code], display=narrow, aria_hidden="true"),
    )


def language_switch(**props: Any) -> rx.Component:
    """English / हिन्दी: the two languages as a labelled pair of toggle buttons (each
    named in its own language, whatever the page's)."""
    buttons = [
        rx.button(
            _label(code, name),
            lang=code,
            aria_label=name,
            variant=rx.cond(LanguageState.language == code, "solid", "outline"),
            aria_pressed=rx.cond(LanguageState.language == code, "true", "false"),
            size="1",
            on_click=LanguageState.switch_language(code),
            data_testid=f"language-{code}",
        )
        for code, name in i18n.LANGUAGE_NAMES.items()
    ]
    # /lang.js sets <html lang> from this marker.
    marker = rx.el.span(hidden=True, data_hcp_lang=LanguageState.language)
    return rx.hstack(
        *buttons,
        marker,
        role="group",
        aria_label="Language / भाषा",
        spacing="1",
        align="center",
        **props,
    )


__all__ = ["IS_HINDI", "catalog_label", "language_switch", "t", "tr"]
