"""Refusals of the booking rules on the pages: one sentence in the page's language, its particulars (dates, times,
desk, reason, minutes, unit) in the page's own formats, and no English in the Japanese.

Now is Tuesday 31 March 2026, 09:00 in Tokyo; office hours 08:30-17:15; bookings open 28 days ahead; Saturdays
and Sundays closed, Japanese public holidays too. Every expected sentence is worked out by hand from these.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.errors import Conflict, RuleRefused
from booking.models import Block, Booking, BuildingRow, Closure, TokenKind, User, Zone, zone_desks
from booking.pages.desk_views import refusal_text, state_reason
from booking.pages.i18n import Words
from booking.services.accounts import issue_token
from booking.services.availability import (
    Blocked,
    DeskState,
    DeskStateKind,
    FixedDesk,
    Free,
    Held,
    Particulars,
    Reserved,
)
from booking.services.bookings import book_desk
from booking.services.calendar_rules import ClosedDay, ClosedKind
from booking.services.desks import zone_info
from booking.settings import Settings
from tests.booking.factories import NOW, desk
from tests.pages.conftest import SECRET, plain, token_of

TOKYO = zone_info("Asia/Tokyo")


def _building(db: Session) -> BuildingRow:
    row = db.get(BuildingRow, "hq")
    assert row is not None
    return row


def _far_ahead(db: Session, people: dict[str, User]) -> None:
    _building(db).days_ahead = 60


def _closure(db: Session, people: dict[str, User]) -> None:
    db.add(Closure(building_id="hq", day=date(2026, 4, 1), reason="館内設備点検"))


def _longest(db: Session, people: dict[str, User]) -> None:
    _building(db).longest_booking_minutes = 120


def _block(db: Session, people: dict[str, User]) -> None:
    d2 = desk(db, "1F-D2")
    db.add(
        Block(desk_id=d2.id, first_day=date(2026, 4, 1), last_day=date(2026, 4, 2), reason="椅子の交換", created_at=NOW)
    )


def _fixed(db: Session, people: dict[str, User]) -> None:
    desk(db, "1F-D3").owner_id = people["tanaka"].id


def _zone(db: Session, people: dict[str, User]) -> None:
    zone = Zone(building_id="hq", name="北エリア", unit_id="koseki", weekdays=[2])  # Wednesdays
    db.add(zone)
    db.flush()
    db.execute(zone_desks.insert().values(zone_id=zone.id, desk_id=desk(db, "1F-D1").id))


def _retire(db: Session, people: dict[str, User]) -> None:
    desk(db, "1F-D4").retired_at = NOW


@dataclass(frozen=True)
class Case:
    rule: str
    desk: str
    form: dict[str, str]
    english: str
    japanese: str
    status: int = 422
    setup: Callable[[Session, dict[str, User]], None] | None = None
    user: str = "sato"
    members: dict[str, object] = field(default_factory=dict)


FULL_APRIL_1 = {"date": "2026-04-01", "slot": "full"}

CASES = [
    Case(
        "days_ahead",
        "1F-D1",
        {"date": "2026-04-30", "slot": "full"},  # 30 days ahead: bookable from 2 April, now up to 28 April
        "Bookings open 28 days ahead: Thu, Apr 30, 2026 can be booked from Thu, Apr 2, 2026 (the last day you can "
        "book now is Tue, Apr 28, 2026).",
        "予約は28日先までのため、2026年4月30日(木)は2026年4月2日(木)から予約できます"
        "（現在予約できるのは2026年4月28日(火)までです）。",
        members={
            "day": "2026-04-30",
            "days_ahead": 28,
            "bookable_from": "2026-04-02",
            "last_bookable_day": "2026-04-28",
        },
    ),
    Case(
        "closed_day",
        "1F-D1",
        {"date": "2026-04-04", "slot": "full"},
        "The building is closed on Saturdays, so Sat, Apr 4, 2026 cannot be booked.",
        "土曜日は休館日のため、2026年4月4日(土)は予約できません。",
        members={"day": "2026-04-04", "closed": "weekday", "weekday": "Saturday"},
    ),
    Case(
        "closed_day",
        "1F-D1",
        {"date": "2026-04-29", "slot": "am"},
        "The building is closed on Wed, Apr 29, 2026, a public holiday (Showa Day).",
        "2026年4月29日(水)は祝日（昭和の日）のため休館日です。",
        setup=_far_ahead,
        members={"day": "2026-04-29", "closed": "holiday", "holiday_country": "JP"},
    ),
    Case(
        "closed_day",
        "1F-D1",
        FULL_APRIL_1,
        "The building is closed on Wed, Apr 1, 2026: 館内設備点検.",
        "2026年4月1日(水)は休館日です（理由：館内設備点検）。",
        setup=_closure,
        members={"day": "2026-04-01", "closed": "closure", "reason": "館内設備点検"},
    ),
    Case(
        "office_hours",
        "1F-H1",
        {"date": "2026-04-01", "slot": "hours", "start": "08:00", "end": "09:00"},
        "Bookings on Wed, Apr 1, 2026 must lie within office hours, 8:30 AM – 5:15 PM.",
        "2026年4月1日(水)の予約は執務時間（8:30 – 17:15）内に限られます。",
        members={"day": "2026-04-01", "opens": "08:30", "closes": "17:15"},
    ),
    Case(
        "hourly",
        "1F-D1",
        {"date": "2026-04-01", "slot": "hours", "start": "13:00", "end": "15:00"},
        "Desk 1F-D1 cannot be booked by the hour: book it for a full day, a morning or an afternoon.",
        "座席 1F-D1 は時間単位では予約できないため、終日・午前・午後のいずれかで予約してください。",
        members={"desk": "1F-D1"},
    ),
    Case(
        "hourly_step",
        "1F-H1",
        {"date": "2026-04-01", "slot": "hours", "start": "09:15", "end": "10:00"},
        "Hourly bookings start and end on multiples of 30 minutes.",
        "時間単位の予約は、開始・終了時刻を30分単位にしてください。",
        members={"minutes": 30},
    ),
    Case(
        "longest_booking",
        "1F-H1",
        {"date": "2026-04-01", "slot": "hours", "start": "09:00", "end": "11:30"},
        "A booking may last at most 120 minutes.",
        "1回の予約は最長120分までです。",
        setup=_longest,
        members={"minutes": 120},
    ),
    Case(
        "blocked",
        "1F-D2",
        {"date": "2026-04-02", "slot": "am"},
        "Desk 1F-D2 is blocked on Thu, Apr 2, 2026: 椅子の交換.",
        "座席 1F-D2 は2026年4月2日(木)に使用停止となっています（理由：椅子の交換）。",
        status=409,
        setup=_block,
        members={"desk": "1F-D2", "day": "2026-04-02", "reason": "椅子の交換"},
    ),
    Case(
        "fixed_desk",
        "1F-D3",
        FULL_APRIL_1,
        "Desk 1F-D3 is someone's fixed desk: only its owner may book it.",
        "座席 1F-D3 は他の人の固定席のため予約できません。",
        status=409,
        setup=_fixed,
        members={"desk": "1F-D3"},
    ),
    Case(
        "reserved",
        "1F-D1",
        FULL_APRIL_1,  # a Wednesday, kept for 戸籍住民課 until 15:00 the day before; 鈴木 is of 税務課
        "Desk 1F-D1 is in 北エリア, kept for 戸籍住民課 on Wed, Apr 1, 2026 until Tue, Mar 31, 2026, 3:00 PM.",
        "2026年4月1日(水)の座席 1F-D1（北エリア）は戸籍住民課用に確保されているため、"
        "2026年3月31日(火) 15:00まで予約できません。",
        status=409,
        setup=_zone,
        user="suzuki",
        members={
            "desk": "1F-D1",
            "day": "2026-04-01",
            "zone_name": "北エリア",
            "unit": "koseki",
            "unit_name": "戸籍住民課",
            "release": "2026-03-31T15:00:00+09:00",
        },
    ),
    Case(
        "retired",
        "1F-D4",
        FULL_APRIL_1,
        "Desk 1F-D4 is no longer in the building.",
        "座席 1F-D4 は廃止されました。",
        status=409,
        setup=_retire,
        members={"desk": "1F-D4"},
    ),
    Case(
        "past",
        "1F-D1",
        {"date": "2026-03-30", "slot": "full"},
        "That time has already passed.",
        "その時間はすでに過ぎています。",
    ),
]


def _english_left(text: str, case: Case) -> list[str]:
    """Latin words in a Japanese sentence, other than the desk's ref (the one name the building file gives)."""
    return re.findall(r"[A-Za-z]{2,}", text.replace(case.desk, ""))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}-{c.form['date']}")
def test_a_refusal_is_one_sentence_in_each_language(
    client, office, log_in, db: Session, settings: Settings, case: Case
) -> None:  # type: ignore[no-untyped-def]
    if case.setup is not None:
        case.setup(db, office)
    db.commit()
    log_in(office[case.user])
    target = desk(db, case.desk)
    shown = {}
    for language in ("en", "ja"):
        refused = client.post(
            f"/desks/{target.id}/book",
            data={**case.form, "csrf_token": token_of(client, settings)},
            headers={"Accept-Language": language},
        )
        assert refused.status_code == case.status, refused.text
        assert refused.template.name == "desk.html"  # type: ignore[attr-defined]
        shown[language] = plain(refused.context["error"])  # type: ignore[attr-defined]
        assert f'role="alert">{shown[language]}</p>' in plain(refused.text).replace("&#39;", "'")
    assert shown == {"en": case.english, "ja": case.japanese}
    assert _english_left(shown["ja"], case) == []
    assert db.scalar(select(Booking).where(Booking.user_id == case.user)) is None


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}-{c.form['date']}")
def test_the_api_problem_carries_the_particulars(client, office, db: Session, case: Case) -> None:  # type: ignore[no-untyped-def]
    """The members the pages word their sentences with are the API's too, the same values in the problem."""
    if case.setup is not None:
        case.setup(db, office)
    token = issue_token(db, office[case.user], kind=TokenKind.API, key=SECRET, now=NOW, lifetime=timedelta(days=1))
    db.commit()
    body: dict[str, object] = {"desk_id": desk(db, case.desk).id}
    if case.form["slot"] == "hours":
        body |= {"start": f"{case.form['date']}T{case.form['start']}", "end": f"{case.form['date']}T{case.form['end']}"}
    else:
        body |= {"date": case.form["date"], "slot": case.form["slot"]}
    answer = client.post("/api/bookings", json=body, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == case.status
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["rule"] == case.rule
    assert {name: problem.get(name) for name in case.members} == case.members


def test_the_holiday_is_named_in_the_problem_as_in_its_detail(client, office, db: Session) -> None:  # type: ignore[no-untyped-def]
    _far_ahead(db, office)
    with pytest.raises(RuleRefused) as caught:
        book_desk(db, user=office["sato"], desk_id=desk(db, "1F-D1").id, now=NOW, day=date(2026, 4, 29), slot="am")
    assert caught.value.detail == f"2026-04-29 is a public holiday ({caught.value.members['holiday']})"


def test_without_its_particulars_a_refusal_keeps_the_services_sentence() -> None:
    """A refusal raised without members (an older service, or one of `booking.services.bookings`' rules)."""
    ja, en = Words("ja"), Words("en")
    bare = RuleRefused("bookings open 7 days ahead: 2026-04-08 can be booked from 2026-04-01", rule="days_ahead")
    assert refusal_text(en, bare, TOKYO) == "Bookings open 7 days ahead: 2026-04-08 can be booked from 2026-04-01."
    assert refusal_text(ja, bare, TOKYO) == (
        "その日はまだ予約できません。（bookings open 7 days ahead: 2026-04-08 can be booked from 2026-04-01）"
    )
    half = RuleRefused("hourly bookings start and end on multiples of 15 minutes", rule="hourly_step", minute=15)
    assert refusal_text(ja, half, TOKYO).startswith("時間単位の予約は決められた刻みで開始・終了します。（")
    cutoff = RuleRefused("a booking can be cancelled up to 60 minutes before it starts", rule="cancel_cutoff")
    assert refusal_text(ja, cutoff, TOKYO) == "この予約はもう取り消せません。"
    assert refusal_text(en, cutoff, TOKYO) == "A booking can be cancelled up to 60 minutes before it starts."
    raced = Conflict(
        "another booking was made for the same time a moment ago; try again", rule="desk_taken", conflict={}
    )
    assert refusal_text(ja, raced, TOKYO) == "この座席はすでに予約されています。"


def test_a_refused_cancellation_is_in_japanese_alone(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    _building(db).cancel_cutoff_minutes = 60 * 24  # a day before the start: 1 April 08:30 is cut off at 31 March 08:30
    booking = book_desk(db, user=office["sato"], desk_id=desk(db, "1F-D1").id, now=NOW, day=date(2026, 4, 1), slot="am")
    db.commit()
    log_in(office["sato"])
    refused = client.post(
        f"/bookings/{booking.id}/cancel",
        data={"csrf_token": token_of(client, settings)},
        headers={"Accept-Language": "ja"},
    )
    assert refused.status_code == 422
    assert refused.context["error"] == "予約の取消は開始の24時間前までです。"  # type: ignore[attr-defined]


def test_a_desks_reason_is_worded_in_the_pages_language() -> None:
    """Closed, blocked and reserved desks on the map and the desk page, from their particulars."""
    ja, en = Words("ja"), Words("en")

    def state(kind: DeskStateKind, particulars: Particulars) -> DeskState:
        return DeskState(1, "1F-D1", "", "1F-S1", False, {}, 1.0, 1.0, kind, particulars)

    def both(desk: DeskState) -> tuple[str, str]:
        return tuple(state_reason(t, desk, None, TOKYO, show_names=True, viewer_id="sato") for t in (en, ja))  # type: ignore[return-value]

    inspection = ClosedDay(
        date(2026, 4, 1), ClosedKind.CLOSURE, "the building is closed on 2026-04-01: inspection", reason="inspection"
    )
    assert both(state(DeskStateKind.CLOSED, inspection)) == (
        "The building is closed on Wed, Apr 1, 2026: inspection.",
        "2026年4月1日(水)は休館日です（理由：inspection）。",
    )
    assert both(state(DeskStateKind.BLOCKED, Blocked("cleaning"))) == ("blocked: cleaning", "使用停止：cleaning")
    release = datetime(2026, 3, 31, 6, 0, tzinfo=UTC)  # 15:00 in Tokyo
    reserved = state(DeskStateKind.RESERVED, Reserved(("戸籍住民課", "税務課"), release))
    assert both(reserved) == (
        "戸籍住民課 and 税務課, until Tue, Mar 31, 2026, 3:00\u202fPM",
        "戸籍住民課、税務課用（2026年3月31日(火) 15:00まで）",
    )
    assert both(state(DeskStateKind.FIXED, FixedDesk("部長"))) == ("fixed desk of 部長", "部長 さんの固定席")
    assert both(state(DeskStateKind.FREE, Free(own_fixed=True))) == ("your fixed desk", "あなたの固定席")
    assert both(state(DeskStateKind.FREE, Free())) == ("", "")
    # Without a holder's row (names hidden or not read), the span comes from the held booking itself.
    held = Held(7, datetime(2026, 3, 31, 23, 30, tzinfo=UTC), datetime(2026, 4, 1, 3, 0, tzinfo=UTC), False)
    assert both(state(DeskStateKind.BOOKED, held))[1] == "8:30 – 12:00 予約済み"


def test_the_year_end_closure_is_worded_in_each_language() -> None:
    closed = RuleRefused(
        "%(day)s is in the year-end closure (29 December to 3 January)",
        rule="closed_day",
        day=date(2026, 12, 29),
        closed="year_end",
    )
    assert closed.detail == "2026-12-29 is in the year-end closure (29 December to 3 January)"
    assert closed.worded("ja") == "2026年12月29日は年末年始の休館期間（12月29日～1月3日）です"
    assert (
        refusal_text(Words("ja"), closed, TOKYO) == "2026年12月29日(火)は年末年始（12月29日～1月3日）のため休館日です。"
    )
    assert refusal_text(Words("en"), closed, TOKYO) == (
        "The building is closed on Tue, Dec 29, 2026 for the year-end holidays (29 December to 3 January)."
    )
