"""Failed logins throttled per account and per client address, with the counters in the database (table
``login_throttle``) so that every app server in front of it counts the same attempts.

**Why a table of our own and not the ``limits`` package.** ``limits`` has memory, Redis, Memcached and MongoDB
storages but none over SQL; a storage for it would keep its own connections and transactions beside the request's,
while here the count must commit in a short write transaction of its own, before the password is checked, and be
reset in the same transaction that issues the token. One upsert per key does that on SQLite and PostgreSQL alike.

**The window: fixed, starting at a key's first counted attempt.** A key's row holds the end of its window and the
attempts counted in it. An attempt at second ``t`` (whole seconds since the epoch, UTC) with no live row starts a
window ``[t, t + W)`` with one attempt; within the window it adds one. A key has used its attempts when it holds
``most`` of them; it is then refused until its window ends, and ``Retry-After`` is the seconds left, ``end - t``.
So a key gets at most ``most`` attempts in any window of its own, and at most ``2 × most`` in any span of ``W``
seconds (the last of one window and the first of the next). A sliding window would smooth that edge but needs
either every attempt's time (a row per attempt) or a weighted estimate; for guessing passwords the long-run rate
is what matters, and it is the same: ``most`` per ``W``.

**Counted before the hash.** An attempt is counted (a short write, committed) before its password is checked, and
refused then if the key is over its limit, so that a thousand concurrent guesses at one account get ``most``
password checks, not a thousand. A successful login then forgets the account's count and gives the address back
the attempt it used, so the address counts failures only (an office behind one address is not throttled for
logging in). A request already refused reads the counters only, and a key once refused is remembered by each
process until its window ends (`RefusedKeys`): a flood that is throttled costs no writes, and soon no reads.

**Keys** are keyed digests (HMAC-SHA256 under the secret key) of ``account:<login as typed>`` and
``address:<client address>``: never the login itself, since people type passwords into the login field. The login
is counted as typed, id or e-mail, whether or not such an account exists, so that being throttled tells nothing
about who exists; an account can thus be tried under its id and its e-mail, twice ``most`` in a window, within the
address's own limit.

**Old rows** are deleted by every counting write (rows whose window has ended; indexed on ``window_end``), so the
table holds at most the keys tried in the last window. On PostgreSQL the delete skips rows another transaction
holds, so concurrent logins never wait on each other's pruning.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from booking.models import LoginThrottleRow

_T = LoginThrottleRow.__table__.c


@dataclass(frozen=True)
class Limit:
    """At most ``most`` attempts counted against ``key`` (a digest, see `key_of`) in one window."""

    key: str
    most: int


def key_of(kind: str, value: str, secret: str) -> str:
    """The digest a counter is kept under: ``kind`` is ``account`` or ``address``."""
    return hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def seconds(now: datetime) -> int:
    """``now`` in whole seconds since the epoch, as the table stores window ends."""
    return int(now.timestamp())


def spent(session: Session, limits: Sequence[Limit], now: int) -> dict[str, int]:
    """The keys of ``limits`` that have used their attempts, each with the end of its window (a read)."""
    most = {limit.key: limit.most for limit in limits}
    rows = session.execute(
        select(_T.key, _T.window_end, _T.attempts).where(_T.key.in_(list(most)), _T.window_end > now)
    ).all()
    return {key: end for key, end, attempts in rows if attempts >= most[key]}


def count_attempt(session: Session, limits: Sequence[Limit], now: int, window_s: int) -> dict[str, int]:
    """Count one attempt against every key; returns the keys over their limit with it, each with the end of its
    window (empty: the attempt may go ahead; else it must not). Deletes rows whose window has ended. The caller
    commits, before checking the password."""
    _prune(session, now)
    upsert = _upsert(session)
    over = {}
    for limit in sorted(limits, key=lambda limit: limit.key):  # one order everywhere: no deadlocks
        attempts, end = session.execute(upsert, {"key": limit.key, "now": now, "new_end": now + window_s}).one()
        if attempts > limit.most:
            over[limit.key] = end
    return over


class RefusedKeys:
    """Keys this process has seen refused, with their window's end: a key refused stays refused until then (no
    login can succeed under it to reset it), so a flood of refused logins is answered from memory, without a
    database read or a thread. Holds at most ``most_keys``; ended windows are dropped when it fills."""

    def __init__(self, most_keys: int = 100_000) -> None:
        self._ends: dict[str, int] = {}
        self._most = most_keys
        self._lock = threading.Lock()

    def refused(self, keys: Sequence[str], now: int) -> dict[str, int]:
        with self._lock:
            return {key: end for key in keys if (end := self._ends.get(key, 0)) > now}

    def remember(self, ends: dict[str, int], now: int) -> None:
        with self._lock:
            if len(self._ends) + len(ends) > self._most:
                self._ends = {key: end for key, end in self._ends.items() if end > now}
                if len(self._ends) + len(ends) > self._most:  # still full of live keys: forget the oldest
                    self._ends.clear()
            self._ends.update(ends)


def forget(session: Session, key: str) -> None:
    """Drop ``key``'s count (an account that has just logged in)."""
    session.execute(delete(LoginThrottleRow).where(_T.key == key))


def give_back(session: Session, key: str, now: int) -> None:
    """Return one attempt counted against ``key`` in its current window (an address whose login succeeded)."""
    session.execute(
        update(LoginThrottleRow)
        .where(_T.key == key, _T.window_end > now, _T.attempts > 0)
        .values(attempts=_T.attempts - 1)
    )


def _prune(session: Session, now: int) -> None:
    ended = select(_T.key).where(_T.window_end <= now)
    if session.get_bind().dialect.name == "postgresql":
        ended = ended.with_for_update(skip_locked=True)
    session.execute(delete(LoginThrottleRow).where(_T.key.in_(ended)))


def _upsert(session: Session) -> Executable:
    """One attempt against ``:key`` at ``:now``: a new window ending at ``:new_end`` if none is live, else one
    more in it; returns the attempts and the window's end. SQL reads the old row on the right of every SET."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    new = insert(LoginThrottleRow).values(key=bindparam("key"), window_end=bindparam("new_end"), attempts=1)
    live = _T.window_end > bindparam("now")
    return new.on_conflict_do_update(
        index_elements=[_T.key],
        set_={
            "attempts": case((live, _T.attempts + 1), else_=1),
            "window_end": case((live, _T.window_end), else_=new.excluded.window_end),
        },
    ).returning(_T.attempts, _T.window_end)
