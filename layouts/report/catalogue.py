"""The report's words in English and Japanese, and numbers and dates written by Babel in each language.

The words are gettext messages of the ``layouts`` domain (layouts imports nothing of booking, so it keeps its own
catalogue): the English text is the message id, the Japanese is in ``layouts/locale/ja/LC_MESSAGES/layouts.po``,
compiled to ``layouts.mo`` beside it. Placeholders are ``%(name)s`` and every message is formatted with ``%`` (as
jinja2's newstyle gettext does); the stacking diagram's words keep their ``{name}`` fields, which the diagram fills
itself (`Catalogue.unfilled`). The template calls ``_("text", name=...)`` (`install`); the template escapes the
values, so they may be anything. To add or change a string::

    pybabel extract -F babel.cfg -k N_ -o /tmp/layouts.pot layouts
    pybabel update -D layouts -i /tmp/layouts.pot -d layouts/locale -l ja --no-fuzzy-matching
    (translate the new entries in layouts.po)
    pybabel compile -D layouts -d layouts/locale -l ja
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from gettext import NullTranslations
from pathlib import Path

import jinja2
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import Translations

LANGUAGES = ("en", "ja")
#: Where the catalogues are: ``<lang>/LC_MESSAGES/layouts.po`` and its ``.mo``.
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "layouts"
MINUS = "\u2212"  # a true minus sign: as wide as the plus, and read as "minus" by screen readers
#: How each language writes the report's date: ``5 January 2026``, ``2026年1月5日``.
DATE_PATTERNS = {"en": "d MMMM y", "ja": "long"}


def N_(message: str) -> str:
    """Marks ``message`` for extraction where it is written; it is translated where it is shown."""
    return message


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of ``lang`` (English, the language of the message ids, needs none)."""
    return Translations.load(str(LOCALE_DIR), [lang], DOMAIN)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The words and number formats of one language."""

    lang: str

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {self.lang!r}")

    def __call__(self, message: str, **fields: object) -> str:
        """``message`` in this language, its ``%(fields)s`` filled in."""
        return self.unfilled(message) % fields

    def unfilled(self, message: str) -> str:
        """``message`` in this language as it is, its fields left for another to fill."""
        return translations(self.lang).gettext(message)

    def number(self, value: float, decimals: int = 0) -> str:
        """``1,234.5``: thousands grouped by commas in both languages, a minus sign for negatives."""
        text = _grouped(abs(value), decimals, self.lang)
        if float(text.replace(",", "")) == 0:
            return text
        return MINUS + text if value < 0 else text

    def date(self, day: date) -> str:
        """26 November 2026, or 2026年11月26日."""
        return str(format_date(day, DATE_PATTERNS[self.lang], locale=self.lang))


def _grouped(value: float, decimals: int, lang: str = "en") -> str:
    """``value`` (not negative) grouped by thousands with ``decimals`` places, rounded half to even."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return str(format_decimal(value, pattern, locale=lang))


def signed(value: float, decimals: int) -> tuple[str, int]:
    """A change as text with its sign (``+1.5``, ``−0.3``, ``±0``) and its direction after rounding (1, -1, 0)."""
    text = _grouped(abs(value), decimals)
    if float(text.replace(",", "")) == 0:
        return "±" + text, 0
    return ("+" if value > 0 else MINUS) + text, (1 if value > 0 else -1)


def _report_translations(context: jinja2.runtime.Context) -> NullTranslations:
    return translations(str(context["lang"]))


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str) -> str:
    return _report_translations(context).gettext(message)


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
    return _report_translations(context).ngettext(singular, plural, n)


def install(environment: jinja2.Environment) -> None:
    """jinja2's i18n extension on ``environment``, translating into each render's ``lang``."""
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_gettext, ngettext=_ngettext, newstyle=True
    )
