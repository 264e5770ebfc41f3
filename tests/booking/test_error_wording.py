"""Domain errors worded in English and Japanese from their message and typed particulars (`booking.errors`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from booking.errors import Conflict, InvalidInput, InvalidRequest, NotFound, RuleRefused, TooManyLogins
from floorplan.errors import Problem

JST = timezone(timedelta(hours=9))


def test_english_writes_particulars_in_iso_and_japanese_as_japanese_writes_dates() -> None:
    release = datetime(2026, 4, 1, 9, 5, tzinfo=JST)
    error = RuleRefused(
        "desk %(desk)s is blocked on %(day)s: %(reason)s", rule="blocked", desk="6F-01", day=date(2026, 4, 1),
        reason="painting", release=release,
    )  # fmt: skip
    assert error.detail == str(error) == "desk 6F-01 is blocked on 2026-04-01: painting"
    assert error.worded("ja") == "座席 6F-01 は2026年4月1日に使用停止となっています（理由：painting）"
    problem = error.problem("/api/bookings", lang="ja")
    assert problem["detail"] == error.worded("ja")
    assert (problem["day"], problem["release"], problem["rule"]) == (
        "2026-04-01",
        "2026-04-01T09:05:00+09:00",
        "blocked",
    )
    assert error.problem()["detail"] == error.detail  # English unless asked


def test_words_fill_the_sentence_but_stay_out_of_the_document() -> None:
    error = NotFound("no desk(s) %(ids)s", words={"ids": [3, 4]})
    assert (error.detail, error.worded("ja")) == ("no desk(s) 3, 4", "座席 3、4 はありません")
    assert set(error.problem()) == {"type", "title", "status", "detail"}


def test_members_nested_in_a_conflict_are_json() -> None:
    start = datetime(2026, 4, 1, 8, 30, tzinfo=JST)
    error = Conflict("desk taken", rule="desk_taken", conflict={"start": start, "ids": (1, 2)})
    assert error.problem()["conflict"] == {"start": "2026-04-01T08:30:00+09:00", "ids": [1, 2]}


def test_text_that_is_no_template_is_kept_as_it_is() -> None:
    assert InvalidRequest("100% sure").worded("ja") == "100% sure"  # no placeholder: not formatted
    assert InvalidRequest("a file says %(x)s", line=3).detail == "a file says %(x)s"  # a parser's text passed on
    faults = InvalidInput([Problem("a %(y)s cell", "row 2")], source="people.csv")
    assert faults.worded("ja") == faults.detail and "%(y)s" in faults.detail


def test_too_many_logins_in_both_languages() -> None:
    error = TooManyLogins(120)
    assert error.detail.endswith("try again in 120 seconds")
    assert error.worded("ja").endswith("120秒後にもう一度お試しください")
    assert error.problem()["retry_after"] == 120
