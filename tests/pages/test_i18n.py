"""The language of a request, gettext in code and templates, and Babel's formats (the catalogue's completeness:
`tests.test_gettext_catalogues`)."""

from __future__ import annotations

from datetime import date, time

import jinja2
import pytest

from booking.pages.i18n import Words, install, negotiate


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
