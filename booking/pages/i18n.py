"""The pages' two languages: which one a request gets, its words (`booking.pages.catalogue`) and its formats.

A request's language is the one its cookie remembers (set by the switch in every page's header), else the first
of Japanese and English in the browser's Accept-Language, else Japanese: floorwise serves a Japanese
organisation. Dates, weekdays and times are written by Babel in the language's own format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from babel.dates import format_skeleton, format_time, get_day_names
from babel.lists import format_list
from babel.numbers import format_decimal

from booking.pages.catalogue import MESSAGES

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"
#: What the switch shows for each language, in that language.
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The language of a request: the remembered choice, else the browser's preference, else Japanese."""
    if cookie in LANGUAGES:
        return str(cookie)
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Words:
    """The catalogue and formats of one language; templates call it as ``t("key", name=...)``."""

    lang: str

    def __call__(self, key: str, **values: Any) -> str:
        entry = MESSAGES[key]  # a KeyError names a string missing from the catalogue
        text = entry[0] if self.lang == "en" else entry[1]
        return text.format(**values) if values else text

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
