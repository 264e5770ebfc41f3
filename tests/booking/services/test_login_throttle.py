"""The login throttle's window arithmetic, worked out by hand, on SQLite and PostgreSQL.

Windows of W = 900 s; times are whole seconds since the epoch. A key's first attempt at t opens [t, t + 900)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.models import LoginThrottleRow
from booking.services.login_throttle import Limit, RefusedKeys, count_attempt, forget, give_back, key_of, seconds, spent

W = 900
ACCOUNT = Limit("a" * 64, 3)
ADDRESS = Limit("b" * 64, 5)


def wait_for(db: Session, limits: list[Limit], now: int) -> int | None:
    """Seconds until every key may be tried again, from the spent keys' window ends."""
    ends = spent(db, limits, now)
    return max(ends.values()) - now if ends else None


def counted(db: Session, limits: list[Limit], now: int) -> int | None:
    """Count an attempt; the seconds to wait if it must not go ahead."""
    over = count_attempt(db, limits, now, W)
    return max(over.values()) - now if over else None


def rows(db: Session) -> dict[str, tuple[int, int]]:
    found = db.execute(select(LoginThrottleRow.key, LoginThrottleRow.window_end, LoginThrottleRow.attempts))
    return {key: (end, attempts) for key, end, attempts in found}


def test_a_key_has_its_attempts_in_a_window_opened_by_the_first(db: Session) -> None:
    assert wait_for(db, [ACCOUNT], 1000) is None
    assert counted(db, [ACCOUNT], 1000) is None  # opens [1000, 1900)
    assert counted(db, [ACCOUNT], 1001) is None
    assert wait_for(db, [ACCOUNT], 1001) is None  # 2 of 3 used
    assert counted(db, [ACCOUNT], 1500) is None  # the third: allowed, and the last
    assert rows(db) == {ACCOUNT.key: (1900, 3)}
    assert wait_for(db, [ACCOUNT], 1500) == 400  # 1900 - 1500
    assert wait_for(db, [ACCOUNT], 1899) == 1
    assert wait_for(db, [ACCOUNT], 1900) is None  # the window [1000, 1900) has ended


def test_an_attempt_over_the_limit_is_refused_with_the_seconds_left(db: Session) -> None:
    for t in (1000, 1010, 1020):
        assert counted(db, [ACCOUNT], t) is None
    assert counted(db, [ACCOUNT], 1030) == 870  # the 4th of 3: 1900 - 1030
    assert rows(db) == {ACCOUNT.key: (1900, 4)}  # counted, in the same window (it does not extend it)
    assert counted(db, [ACCOUNT], 1900) is None  # a new window [1900, 2800), one attempt
    assert rows(db) == {ACCOUNT.key: (2800, 1)}


def test_the_longest_wait_of_the_keys_over_their_limit(db: Session) -> None:
    assert counted(db, [ACCOUNT, ADDRESS], 1000) is None  # both open [1000, 1900)
    other = Limit("c" * 64, 3)
    assert counted(db, [other, ADDRESS], 1100) is None  # other opens [1100, 2000)
    for t in (1200, 1300):
        assert counted(db, [ACCOUNT, ADDRESS], t) is None
    assert rows(db) == {ACCOUNT.key: (1900, 3), ADDRESS.key: (1900, 4), other.key: (2000, 1)}
    assert wait_for(db, [ACCOUNT, ADDRESS], 1300) == 600  # the account is spent (3 of 3); the address is not
    assert counted(db, [other, ADDRESS], 1400) is None  # the address's 5th of 5
    # its 6th: other has 1 left, the address none; it waits 400 s, until 1900
    assert count_attempt(db, [other, ADDRESS], 1500, W) == {ADDRESS.key: 1900}
    assert counted(db, [other], 1600) == 400  # other's 4th of 3: 2000 - 1600
    assert rows(db)[other.key] == (2000, 4)
    # both over: the longer wait tells when the next attempt can go ahead
    assert spent(db, [other, ADDRESS], 1800) == {other.key: 2000, ADDRESS.key: 1900}
    assert wait_for(db, [other, ADDRESS], 1800) == 200


def test_a_success_forgets_the_account_and_gives_the_address_its_attempt_back(db: Session) -> None:
    for t in (1000, 1001, 1002):
        counted(db, [ACCOUNT, ADDRESS], t)
    assert wait_for(db, [ACCOUNT], 1003) == 897
    forget(db, ACCOUNT.key)
    give_back(db, ADDRESS.key, 1003)
    assert rows(db) == {ADDRESS.key: (1900, 2)}
    assert wait_for(db, [ACCOUNT, ADDRESS], 1003) is None
    give_back(db, ADDRESS.key, 1900)  # an ended window gives nothing back
    assert rows(db) == {ADDRESS.key: (1900, 2)}


def test_counting_deletes_the_rows_of_ended_windows(db: Session) -> None:
    old, live = Limit("d" * 64, 3), Limit("e" * 64, 3)
    counted(db, [old], 600)  # [600, 1500)
    counted(db, [live], 1400)  # [1400, 2300)
    assert set(rows(db)) == {old.key, live.key}
    counted(db, [ACCOUNT], 1500)
    assert rows(db) == {live.key: (2300, 1), ACCOUNT.key: (2400, 1)}


def test_keys_are_keyed_digests_of_what_they_count() -> None:
    account = key_of("account", "sato@example.jp", "secret")
    assert len(account) == 64 and "sato" not in account
    assert account == key_of("account", "sato@example.jp", "secret")
    assert account != key_of("address", "sato@example.jp", "secret")
    assert account != key_of("account", "sato@example.jp", "another secret")
    assert seconds(datetime(2026, 3, 31, 0, 0, 1, 999_999, tzinfo=UTC)) == 1_774_915_201


def test_refused_keys_are_remembered_until_their_window_ends() -> None:
    refused = RefusedKeys(most_keys=3)
    refused.remember({"a": 1900, "b": 1500}, 1000)
    assert refused.refused(["a", "b", "c"], 1000) == {"a": 1900, "b": 1500}
    assert refused.refused(["a", "b"], 1500) == {"a": 1900}  # b's window has ended
    refused.remember({"c": 2000, "d": 2100}, 1600)  # full: b's ended window is dropped to make room
    assert refused.refused(["a", "b", "c", "d"], 1600) == {"a": 1900, "c": 2000, "d": 2100}
