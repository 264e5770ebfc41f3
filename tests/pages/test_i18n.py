"""The language of a request, the catalogue's completeness, and Babel's formats."""

from __future__ import annotations

import re
import string
from datetime import date, time
from pathlib import Path

import pytest

from booking.pages.catalogue import MESSAGES
from booking.pages.i18n import Words, negotiate

TEMPLATES = Path(__file__).resolve().parents[2] / "booking" / "templates"


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        (None, "ja-JP,ja;q=0.9,en;q=0.8", "ja"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "fr,en;q=0.5,ja;q=0.7", "ja"),  # the higher quality wins, not the order
        (None, "de, en", "en"),
        (None, "en;q=0", "ja"),  # q=0 means "not this one"
        (None, None, "ja"),
        ("en", "ja", "en"),  # the switch's cookie wins
        ("xx", "en", "en"),  # a cookie that is no language is ignored
    ],
)
def test_negotiate(cookie: str | None, header: str | None, expected: str) -> None:
    assert negotiate(cookie, header) == expected


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_has_both_languages_with_the_same_placeholders() -> None:
    for key, (english, japanese) in MESSAGES.items():
        assert english.strip() and japanese.strip(), key
        assert _fields(english) == _fields(japanese), key


def test_every_key_the_templates_use_is_in_the_catalogue() -> None:
    used = set()
    for path in TEMPLATES.rglob("*.html"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]*[a-z_])["']""", path.read_text(encoding="utf-8")))
    assert used, "no keys found"
    assert sorted(used - set(MESSAGES)) == []


def test_babel_writes_dates_and_times_in_each_language() -> None:
    ja, en = Words("ja"), Words("en")
    assert ja.date(date(2026, 4, 1)) == "2026年4月1日(水)"
    assert en.date(date(2026, 4, 1)) == "Wed, Apr 1, 2026"
    assert [ja.weekday(i) for i in range(7)] == ["月", "火", "水", "木", "金", "土", "日"]
    assert (ja.weekday(5, wide=True), en.weekday(5, wide=True)) == ("土曜日", "Saturday")
    assert ja.time(time(13, 5)) == "13:05"
    assert en.time(time(13, 5)) == "1:05\u202fPM"
