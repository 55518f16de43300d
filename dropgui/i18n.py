"""The language of the core's sentences: English by default, Simplified Chinese on request.

The core (explanations, captions, mode summaries, the statistics' notes) never imports
Qt, so Qt's translator cannot reach it. Its sentences go through this module instead:

    tr("{dropped} of {cells} cells were dropped ({share:.1%}).", dropped=5, ...)

`tr` looks the English template up in the catalog of the current language
(`resources/i18n/core_<language>.json`, English template -> translated template) and
fills in the named fields, so a translation may put them in any order: sentences are
translated whole, never glued from fragments. A field may itself be a `Message`; it is
said in the same language.

What `tr` returns is a `Message`: a `str` (what the CLI prints and JSON stores, in the
language current when it was made) that can say itself again in another language
(`Message.translated()`). The window switches language live and shows results and
statistics computed before the switch; it asks their messages again.

Strings that are not said where they are written (class attributes, constants) are
marked with `N_` so that the catalog test finds them, and passed to `tr` when shown.

The default language is English and only the window changes it (`set_language`); the
CLI never does, so its output stays English. Where a catalog lacks a template, the
English is shown (tests/test_i18n.py makes a missing entry fail CI).
"""

from __future__ import annotations

import importlib.resources
import json
import string
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "zh_CN")
"""The languages dropgui speaks: English (the templates themselves) and Simplified Chinese."""
DEFAULT_LANGUAGE = "en"

_language = DEFAULT_LANGUAGE


def language() -> str:
    """The current language of the core's sentences ("en" or "zh_CN")."""
    return _language


def set_language(code: str) -> None:
    """Say the core's sentences in `code` from now on (one of LANGUAGES)."""
    global _language
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; dropgui speaks {', '.join(LANGUAGES)}")
    if code != DEFAULT_LANGUAGE:
        catalog(code)  # a broken catalog fails here, not in the middle of a sentence
    _language = code


def N_(template: str) -> str:  # gettext's name: mark now, translate when shown
    """Mark `template` for the catalog without translating it; `tr` it when shown."""
    return template


def resources() -> Any:
    """The package's resources folder (`dropgui.resources`, the top-level resources/).

    An editable install cannot import a namespace package mapped from another folder,
    so a source checkout falls back to the folder itself."""
    try:
        return importlib.resources.files("dropgui.resources")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "resources"


@cache
def catalog(code: str) -> dict[str, str]:
    """English template -> template in `code` (empty for English)."""
    if code == DEFAULT_LANGUAGE:
        return {}
    text = (resources() / "i18n" / f"core_{code}.json").read_text(encoding="utf-8")
    entries = json.loads(text)
    if not isinstance(entries, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in entries.items()
    ):
        raise ValueError(f"core_{code}.json must map English templates to translations")
    return entries


def fields(template: str) -> dict[str, set[str]]:
    """The named fields of a template, each with the format specs it is printed with."""
    found: dict[str, set[str]] = {}
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is not None:
            found.setdefault(name, set()).add(f"{spec or ''}!{conversion or ''}")
    return found


def _render(template: str, values: dict[str, Any], code: str) -> str:
    said = {k: v.translated(code) if isinstance(v, Message) else v for k, v in values.items()}
    return catalog(code).get(template, template).format(**said)


class Message(str):
    """A sentence of the core: the text in the language it was made in, plus its template
    and fields, so that it can be said again in another language."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, values: dict[str, Any], code: str | None = None):
        self = super().__new__(cls, _render(template, values, code or _language))
        self.template, self.values = template, values
        return self

    def translated(self, code: str | None = None) -> str:
        """The message in `code` (the current language by default), as a plain str."""
        return _render(self.template, self.values, code or _language)

    def __reduce__(self):
        return (_restore, (str(self), self.template, self.values))


def _restore(text: str, template: str, values: dict[str, Any]) -> Message:
    message = str.__new__(Message, text)
    message.template, message.values = template, values
    return message


def tr(template: str, /, **values: Any) -> Message:
    """`template` in the current language, its named fields filled in from `values`."""
    return Message(template, values)


def translated(text: str) -> str:
    """Any text of the core in the current language: a `Message` is said again, other
    text (a user's file name, an error message) is returned as it is."""
    return text.translated() if isinstance(text, Message) else text


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "Message",
    "catalog",
    "fields",
    "language",
    "set_language",
    "tr",
    "translated",
]
