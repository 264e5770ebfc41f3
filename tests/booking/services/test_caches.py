"""The process-wide caches: one bounded, thread-safe LRU (booking/services/caches.py) behind each."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from booking.services.availability import DeskLayoutCache
from booking.services.caches import LockedLRU

T0 = datetime(2026, 4, 1, tzinfo=UTC)


def test_the_least_recently_used_entry_goes_first() -> None:
    kept: LockedLRU[str, int] = LockedLRU(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # "b" is now the least recently used
    kept.put("c", 3)
    assert (kept.get("a"), kept.get("b"), kept.get("c"), len(kept)) == (1, None, 3, 2)


def test_a_value_is_made_once_when_missing_and_replacing_drops_older_versions() -> None:
    kept: LockedLRU[tuple[str, int], str] = LockedLRU(8)
    made: list[int] = []

    def make() -> str:
        made.append(1)
        return "plan v1"

    assert kept.get_or_make(("hq", 1), make) == kept.get_or_make(("hq", 1), make) == "plan v1"
    assert made == [1]
    kept.put(("annex", 1), "annex v1")
    kept.replace(("hq", 2), "plan v2", drop=lambda key: key[0] == "hq")
    assert (kept.get(("hq", 1)), kept.get(("hq", 2)), kept.get(("annex", 1))) == (None, "plan v2", "annex v1")
    kept.clear()
    assert len(kept) == 0


def test_threads_share_a_bounded_cache() -> None:
    cache = DeskLayoutCache(size=16)

    def fill(offset: int) -> None:
        for i in range(200):
            cache.put((offset + i, T0 + timedelta(minutes=i)), [])
            cache.get((offset + i // 2, T0))

    threads = [threading.Thread(target=fill, args=(n * 1000,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) == 16
