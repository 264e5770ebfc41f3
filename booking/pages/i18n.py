"""The pages' two languages: which one a request gets, its words (gettext catalogues) and its formats.

A request's language is the one its cookie remembers (set by the switch in every page's header), else the first
of Japanese and English in the browser's Accept-Language (Babel's `negotiate_locale` over the header's tags ordered
by their q), else Japanese: floorwise serves a Japanese organisation. Dates, weekdays, times, numbers and lists are
written by Babel in the language's own format.

Words are gettext messages, as Babel and jinja2 know them:

- The English text is the message id, so a translator reads the text itself. Placeholders are ``%(name)s``, and
  every message is formatted with ``%`` (as jinja2's "newstyle" gettext does), so a literal percent sign is
  written ``%%``. One English text that needs two Japanese renderings takes a context (``pgettext("button",
  "Book a desk")``); a text that changes with a number is a plural (``ngettext``).
- Python calls ``t("text", name=...)``, ``t.pgettext(context, "text")`` and ``t.ngettext(one, many, n)`` on the
  request's `Words`; templates call jinja2's ``_("text", name=...)``, ``pgettext`` and ``ngettext`` (`install`),
  which translate in the language of the page being rendered. Text chosen at run time from a table is marked
  with `N_` (or `NP_` with a context) where it is written (`booking.pages.wording`), so that extraction finds it.
- The Japanese catalogue (`booking.messages`, shared with the API's error details, `booking.errors`) is
  ``booking/locale/ja/LC_MESSAGES/messages.po``, compiled to ``messages.mo`` beside it
  (both committed). English needs no catalogue. To add or change a string (``$KEYWORDS``: ``-k t -k NP_:1c,2``
  and ``-k`` with each error class of `booking.errors`, which take their message first; the list is the
  catalogue test's, `tests.test_gettext_catalogues`)::

      pybabel extract -F babel.cfg $KEYWORDS -o /tmp/messages.pot booking
      pybabel update -i /tmp/messages.pot -d booking/locale -l ja --no-fuzzy-matching
      (translate the new entries in messages.po)
      pybabel compile -d booking/locale -l ja

  The tests check that every message the code and templates use is in the catalogue, translated, and that the
  ``.mo`` is the compiled ``.po``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from gettext import NullTranslations

import jinja2
from babel.dates import format_skeleton, format_time, get_day_names
from babel.lists import format_list
from babel.numbers import format_decimal

from booking.messages import LANGUAGES as LANGUAGES
from booking.messages import preferred_language, translations
from booking.pages import wording
from booking.pages.wording import Contextual

DEFAULT_LANGUAGE = "ja"
#: What the switch shows for each language, in that language.
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The language of a request: the remembered choice, else the browser's preference, else Japanese."""
    if cookie in LANGUAGES:
        return str(cookie)
    return preferred_language(accept_language, DEFAULT_LANGUAGE)


def fill(text: str, values: Mapping[str, object]) -> str:
    """A translated message with its ``%(name)s`` placeholders filled (always formatted, as jinja2 does)."""
    return text % values


@dataclass(frozen=True)
class Words:
    """The messages and formats of one language; code calls it as ``t("English text", name=...)``."""

    lang: str

    def __call__(self, message: str, **values: object) -> str:
        return fill(translations(self.lang).gettext(message), values)

    def pgettext(self, context: str, message: str, **values: object) -> str:
        """``message`` where its English is worded alike for other meanings (a context tells them apart)."""
        return fill(translations(self.lang).pgettext(context, message), values)

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The form of a message for the number ``n`` (``%(num)s`` is ``n`` unless given)."""
        return fill(translations(self.lang).ngettext(singular, plural, n), {"num": n, **values})

    def word(self, message: str | Contextual, **values: object) -> str:
        """A message marked with `N_` or `NP_` in a table, translated now."""
        return fill(self.unfilled(message), values)

    def unfilled(self, message: str | Contextual) -> str:
        """A marked message translated, its placeholders left for another to fill (the editor's script)."""
        if isinstance(message, Contextual):
            return translations(self.lang).pgettext(message.context, message.message)
        return translations(self.lang).gettext(message)

    def date(self, day: dt.date, *, year: bool = True) -> str:
        """``Tue, Mar 31, 2026`` / ``2026年3月31日(火)``; without the year: ``Tue, Mar 31`` / ``3月31日(火)``."""
        moment = dt.datetime.combine(day, dt.time())
        return str(format_skeleton("yMMMEd" if year else "MMMEd", moment, locale=self.lang))

    def short_date(self, day: dt.date) -> str:
        """``3/31/2026`` / ``2026/3/31``."""
        return str(format_skeleton("yMd", dt.datetime.combine(day, dt.time()), locale=self.lang))

    def weekday(self, index: int, *, wide: bool = False) -> str:
        """The short name of a weekday, 0 Monday .. 6 Sunday (``Sat`` / ``土``); ``wide``: ``Saturday`` / ``土曜日``."""
        if wide:
            return str(get_day_names("wide", locale=self.lang)[index])
        monday = dt.datetime(2024, 1, 1)  # a Monday
        return str(format_skeleton("EEE", monday + dt.timedelta(days=index), locale=self.lang))

    def time(self, moment: dt.time | dt.datetime) -> str:
        """``8:30 AM`` / ``8:30``; a datetime is written in its own time zone."""
        value = moment.time() if isinstance(moment, dt.datetime) else moment
        return str(format_time(value, "short", locale=self.lang))

    def span(self, start: dt.datetime, end: dt.datetime) -> str:
        """A booking's times on its day: ``8:30 AM – 12:00 PM``."""
        return f"{self.time(start)} – {self.time(end)}"

    def when(self, start: dt.datetime, end: dt.datetime) -> str:
        """Date and times: ``Tue, Mar 31, 2026, 8:30 AM – 12:00 PM``."""
        separator = "、" if self.lang == "ja" else ", "
        return f"{self.date(start.date())}{separator}{self.span(start, end)}"

    def moment(self, value: dt.datetime) -> str:
        separator = " " if self.lang == "ja" else ", "
        return f"{self.date(value.date())}{separator}{self.time(value)}"

    def number(self, value: float) -> str:
        return str(format_decimal(value, locale=self.lang))

    def list(self, items: list[str]) -> str:
        """``A, B, and C`` / ``A、B、C``."""
        return str(format_list(items, locale=self.lang))


def _page_translations(context: jinja2.runtime.Context) -> NullTranslations:
    """The catalogue of the page being rendered: its ``lang``."""
    return translations(str(context.get("lang", DEFAULT_LANGUAGE)))


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str) -> str:
    return _page_translations(context).gettext(message)


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
    return _page_translations(context).ngettext(singular, plural, n)


@jinja2.pass_context
def _pgettext(context: jinja2.runtime.Context, message_context: str, message: str) -> str:
    return _page_translations(context).pgettext(message_context, message)


@jinja2.pass_context
def _npgettext(context: jinja2.runtime.Context, message_context: str, singular: str, plural: str, n: int) -> str:
    return _page_translations(context).npgettext(message_context, singular, plural, n)


def install(environment: jinja2.Environment) -> None:
    """jinja2's i18n extension on ``environment``, translating into each render's ``lang``: one environment serves
    every language and thread, since the catalogue is looked up per call rather than installed per language."""
    environment.add_extension("jinja2.ext.i18n")
    environment.globals["wording"] = wording
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_gettext, ngettext=_ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
