"""Scenarios read from the database, kept per process so that scoring a change costs no rereading.

An entry is known by (database, scenario id, ``updated_at``, the largest layout id): every change of a scenario
moves its ``updated_at`` forward (strictly, even under a frozen clock) and every saved layout adds a larger id, so
an entry is never stale, whichever app server made the change. The scoring model (travel matrix, trip weights:
the expensive part) and the scores of named layouts are built once per entry, on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from booking.services.caches import LockedLRU
from layouts.scenario import Scenario
from layouts.scoring import LayoutScore, ScoringModel, score_layout, scoring_model

#: Scenarios kept per process: a planner's few open scenarios, each with its model (40 floors: about 1 MB).
CACHE_SIZE = 16

CacheKey = tuple[str, int, datetime, int]


@dataclass
class LoadedScenario:
    """A scenario with all its layouts, its scoring model and the scores of its layouts, built when first asked."""

    scenario: Scenario
    _model: ScoringModel | None = None
    _scores: dict[str, LayoutScore] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def model(self) -> ScoringModel:
        with self._lock:
            if self._model is None:
                self._model = scoring_model(self.scenario)
            return self._model

    def score_of(self, name: str) -> LayoutScore:
        """The score of the scenario's layout ``name`` (computed once)."""
        model = self.model
        with self._lock:
            found = self._scores.get(name)
        if found is None:
            found = score_layout(self.scenario, self.scenario.layout(name), model=model)
            with self._lock:
                self._scores[name] = found
        return found


class ScenarioCache:
    """A small LRU of `LoadedScenario`, shared by the threads of one process."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._kept: LockedLRU[CacheKey, LoadedScenario] = LockedLRU(size)

    def get(self, key: CacheKey, load: Callable[[], Scenario]) -> LoadedScenario:
        """The entry of ``key``, from ``load()`` when not kept (older entries of the same scenario are dropped)."""
        found = self._kept.get(key)
        if found is not None:
            return found
        made = LoadedScenario(load())
        self._kept.replace(key, made, drop=lambda kept: kept[:2] == key[:2])
        return made

    def clear(self) -> None:
        self._kept.clear()


#: The process's cache. Tests that roll back and reuse ids under a frozen clock clear it between tests.
SCENARIOS = ScenarioCache()
