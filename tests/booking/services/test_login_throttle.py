"""The login throttle's window arithmetic, worked out by hand, on SQLite and PostgreSQL.

Windows of W = 900 s; times are whole seconds since the epoch. A key's first attempt at t opens [t, t + 900)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.models import LoginThrottleRow
from booking.services.login_throttle import Limit, count_attempt, forget, give_back, key_of, seconds, wait_for

W = 900
ACCOUNT = Limit("a" * 64, 3)
ADDRESS = Limit("b" * 64, 5)


def rows(db: Session) -> dict[str, tuple[int, int]]:
    found = db.execute(select(LoginThrottleRow.key, LoginThrottleRow.window_end, LoginThrottleRow.attempts))
    return {key: (end, attempts) for key, end, attempts in found}


def test_a_key_has_its_attempts_in_a_window_opened_by_the_first(db: Session) -> None:
    assert wait_for(db, [ACCOUNT], 1000) is None
    assert count_attempt(db, [ACCOUNT], 1000, W) is None  # opens [1000, 1900)
    assert count_attempt(db, [ACCOUNT], 1001, W) is None
    assert wait_for(db, [ACCOUNT], 1001) is None  # 2 of 3 used
    assert count_attempt(db, [ACCOUNT], 1500, W) is None  # the third: allowed, and the last
    assert rows(db) == {ACCOUNT.key: (1900, 3)}
    assert wait_for(db, [ACCOUNT], 1500) == 400  # 1900 - 1500
    assert wait_for(db, [ACCOUNT], 1899) == 1
    assert wait_for(db, [ACCOUNT], 1900) is None  # the window [1000, 1900) has ended


def test_an_attempt_over_the_limit_is_refused_with_the_seconds_left(db: Session) -> None:
    for t in (1000, 1010, 1020):
        assert count_attempt(db, [ACCOUNT], t, W) is None
    assert count_attempt(db, [ACCOUNT], 1030, W) == 870  # the 4th of 3: 1900 - 1030
    assert rows(db) == {ACCOUNT.key: (1900, 4)}  # counted, in the same window (it does not extend it)
    assert count_attempt(db, [ACCOUNT], 1900, W) is None  # a new window [1900, 2800), one attempt
    assert rows(db) == {ACCOUNT.key: (2800, 1)}


def test_the_longest_wait_of_the_keys_over_their_limit(db: Session) -> None:
    assert count_attempt(db, [ACCOUNT, ADDRESS], 1000, W) is None  # both open [1000, 1900)
    other = Limit("c" * 64, 3)
    assert count_attempt(db, [other, ADDRESS], 1100, W) is None  # other opens [1100, 2000)
    for t in (1200, 1300):
        assert count_attempt(db, [ACCOUNT, ADDRESS], t, W) is None
    assert rows(db) == {ACCOUNT.key: (1900, 3), ADDRESS.key: (1900, 4), other.key: (2000, 1)}
    assert wait_for(db, [ACCOUNT, ADDRESS], 1300) == 600  # the account is spent (3 of 3); the address is not
    assert count_attempt(db, [other, ADDRESS], 1400, W) is None  # the address's 5th of 5
    assert count_attempt(db, [other, ADDRESS], 1500, W) == 400  # its 6th: other has 1 left, the address none
    assert count_attempt(db, [other], 1600, W) == 400  # other's 4th of 3: 2000 - 1600
    assert rows(db)[other.key] == (2000, 4)
    # both over: the longer wait tells when the next attempt can go ahead
    assert wait_for(db, [other, ADDRESS], 1800) == 200  # other until 2000, the address until 1900


def test_a_success_forgets_the_account_and_gives_the_address_its_attempt_back(db: Session) -> None:
    for t in (1000, 1001, 1002):
        count_attempt(db, [ACCOUNT, ADDRESS], t, W)
    assert wait_for(db, [ACCOUNT], 1003) == 897
    forget(db, ACCOUNT.key)
    give_back(db, ADDRESS.key, 1003)
    assert rows(db) == {ADDRESS.key: (1900, 2)}
    assert wait_for(db, [ACCOUNT, ADDRESS], 1003) is None
    give_back(db, ADDRESS.key, 1900)  # an ended window gives nothing back
    assert rows(db) == {ADDRESS.key: (1900, 2)}


def test_counting_deletes_the_rows_of_ended_windows(db: Session) -> None:
    old, live = Limit("d" * 64, 3), Limit("e" * 64, 3)
    count_attempt(db, [old], 600, W)  # [600, 1500)
    count_attempt(db, [live], 1400, W)  # [1400, 2300)
    assert set(rows(db)) == {old.key, live.key}
    count_attempt(db, [ACCOUNT], 1500, W)
    assert rows(db) == {live.key: (2300, 1), ACCOUNT.key: (2400, 1)}


def test_keys_are_keyed_digests_of_what_they_count() -> None:
    account = key_of("account", "sato@example.jp", "secret")
    assert len(account) == 64 and "sato" not in account
    assert account == key_of("account", "sato@example.jp", "secret")
    assert account != key_of("address", "sato@example.jp", "secret")
    assert account != key_of("account", "sato@example.jp", "another secret")
    assert seconds(datetime(2026, 3, 31, 0, 0, 1, 999_999, tzinfo=UTC)) == 1_774_915_201
