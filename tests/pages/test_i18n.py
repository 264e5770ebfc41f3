"""The language of a request, the gettext catalogue's completeness, and Babel's formats."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import jinja2
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from booking.pages.i18n import LOCALE_DIR, Words, install, negotiate

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = LOCALE_DIR / "ja" / "LC_MESSAGES" / "messages"
#: The keywords of `booking.pages.i18n`'s docstring: Babel's own, the pages' ``t(...)``, and ``NP_(context, ...)``.
KEYWORDS = {**DEFAULT_KEYWORDS, "t": None, "NP_": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        (None, "ja-JP,ja;q=0.9,en;q=0.8", "ja"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "fr,en;q=0.5,ja;q=0.7", "ja"),  # the higher quality wins, not the order
        (None, "de, en", "en"),
        (None, "en;q=0", "ja"),  # q=0 means "not this one"
        (None, "EN-gb", "en"),
        (None, "en;q=x, ja;q=0.1", "ja"),  # an unreadable quality counts as 0
        (None, None, "ja"),
        ("en", "ja", "en"),  # the switch's cookie wins
        ("xx", "en", "en"),  # a cookie that is no language is ignored
    ],
)
def test_negotiate(cookie: str | None, header: str | None, expected: str) -> None:
    assert negotiate(cookie, header) == expected


def _po() -> Catalog:
    with CATALOGUE.with_suffix(".po").open("rb") as po:
        return read_po(po)


def _key(message_id: str | tuple[str, ...], context: str | None) -> tuple[str | None, str]:
    return context, message_id if isinstance(message_id, str) else message_id[0]


def _used() -> dict[tuple[str | None, str], str]:
    """Every message the code and templates of `booking` use, as ``pybabel extract -F babel.cfg`` finds them."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    used = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        ROOT / "booking", method_map, options_map, keywords=KEYWORDS
    ):
        used[_key(message, context)] = f"{filename}:{lineno}"
    return used


def test_every_message_the_pages_use_is_in_the_japanese_catalogue_and_every_entry_is_used() -> None:
    used = _used()
    assert len(used) > 400, "extraction found too little: is babel.cfg right?"
    known = {_key(m.id, m.context) for m in _po() if m.id}
    assert sorted((where, key) for key, where in used.items() if key not in known) == []
    assert sorted(known - set(used), key=str) == []


def test_every_entry_is_translated_with_the_same_placeholders() -> None:
    for message in _po():
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(s.strip() for s in strings) and not message.fuzzy, message.id
        expected = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= expected, message.id
            assert text.replace("%%", "") % dict.fromkeys(expected, "x"), message.id  # a valid % format
        if isinstance(message.id, str):  # a plural may leave out the number (1分後)
            assert set(PLACEHOLDER.findall(strings[0])) == expected, message.id


def test_the_mo_is_the_compiled_po() -> None:
    with CATALOGUE.with_suffix(".mo").open("rb") as mo:
        compiled = read_mo(mo)

    def entries(catalogue: Catalog) -> set[tuple[object, ...]]:
        def frozen(text: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
            return text if isinstance(text, str) else tuple(text)

        return {(m.context, frozen(m.id), frozen(m.string)) for m in catalogue if m.id and not m.fuzzy}

    assert entries(compiled) == entries(_po()), "run: pybabel compile -d booking/locale -l ja"


def test_words_translate_with_contexts_plurals_and_placeholders() -> None:
    ja, en = Words("ja"), Words("en")
    assert (ja("Book a desk"), ja.pgettext("button", "Book a desk")) == ("座席を予約", "座席を予約する")
    assert en.pgettext("button", "Book a desk") == "Book a desk"
    assert ja("Desk %(desk)s", desk="6F-01") == "座席 6F-01"
    one, many = (
        "A booking can be cancelled up to an hour before it starts.",
        ("A booking can be cancelled up to %(hours)s hours before it starts."),
    )
    assert en.ngettext(one, many, 1, hours=1) == one
    assert en.ngettext(one, many, 3, hours=3) == "A booking can be cancelled up to 3 hours before it starts."
    assert ja.ngettext(one, many, 3, hours=3) == "予約の取消は開始の3時間前までです。"
    assert ja("%(value)s %%", value=5) == "5%"


def test_templates_translate_into_each_renders_language() -> None:
    environment = jinja2.Environment(autoescape=True)
    install(environment)
    template = environment.from_string('{{ _("Desk %(desk)s", desk=d) }} {{ pgettext("button", "Book a desk") }}')
    assert template.render(lang="ja", d="<b>") == "座席 &lt;b&gt; 座席を予約する"
    assert template.render(lang="en", d="<b>") == "Desk &lt;b&gt; Book a desk"


def test_babel_writes_dates_and_times_in_each_language() -> None:
    ja, en = Words("ja"), Words("en")
    assert ja.date(date(2026, 4, 1)) == "2026年4月1日(水)"
    assert en.date(date(2026, 4, 1)) == "Wed, Apr 1, 2026"
    assert [ja.weekday(i) for i in range(7)] == ["月", "火", "水", "木", "金", "土", "日"]
    assert (ja.weekday(5, wide=True), en.weekday(5, wide=True)) == ("土曜日", "Saturday")
    assert ja.time(time(13, 5)) == "13:05"
    assert en.time(time(13, 5)) == "1:05\u202fPM"
