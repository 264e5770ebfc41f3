"""A bounded, thread-safe least-recently-used map: cachetools' `LRUCache` behind a lock, typed.

The process-wide caches (floors' desks, travel matrices, scenarios, drawn plans) are each one of these with
keys that carry a version (a building's ``loaded_at``, a scenario's ``updated_at``), so an entry is never stale:
a newer version is another key, and the old one ages out. Values are made outside the lock (making one can take
a while); two threads that miss at once may both make it, and the second one kept wins, which is harmless for
values that depend on the key alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import LRUCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LockedLRU(Generic[K, V]):
    """At most ``size`` entries; the least recently used goes first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: LRUCache[K, V] = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._entries[key] = value

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The value of ``key``, made by ``make()`` (outside the lock) and kept when missing."""
        with self._lock:
            if key in self._entries:
                return self._entries[key]
        value = make()
        self.put(key, value)
        return value

    def replace(self, key: K, value: V, *, drop: Callable[[K], bool]) -> None:
        """Keep ``value`` under ``key`` after dropping every entry whose key ``drop`` accepts (older versions)."""
        with self._lock:
            for old in [k for k in self._entries if drop(k)]:
                del self._entries[old]
            self._entries[key] = value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
