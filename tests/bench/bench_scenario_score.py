"""The score endpoint under an editor's use: POST /api/scenarios/{id}/score with a move, on the generated scenario of
tests/bench/bench_scoring.py (300 units on 40 floors, 3,000 relations) stored in the database. Target: p95 under
100 ms per move, once the scenario is in the server's cache (the first request, which reads it and builds its
travel matrix, is shown apart).

The server is the app under uvicorn (a real HTTP server on the loopback interface, SQLite in a file); one client
sends one move after another from the layout ``now`` (each a unit wholly to a floor with room for it), as the
stack-plan editor does.

Run with ``pytest tests/bench/bench_scenario_score.py -m bench -s`` or ``python -m tests.bench.bench_scenario_score``.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import yaml

from booking.app import create_app
from booking.database import Database, make_engine
from booking.migrate import upgrade_database
from booking.models import Role, TokenKind
from booking.runtime import single_threaded_blas
from booking.services.accounts import issue_token
from booking.services.scenarios import import_scenario
from booking.settings import Settings
from tests.bench.bench_scoring import FLOORS, UNITS, big_scenario
from tests.booking.factories import NOW, make_user
from tests.booking.live import running_server

SECRET = "bench-secret"
MOVES = 300
TARGET_MS = 100.0


def moves_from(layout: dict[str, dict[str, int]], capacity: int, count: int, seed: int = 3) -> list[dict[str, Any]]:
    """Moves of a whole unit from its floor to another floor with room for it (each from ``layout`` itself)."""
    used: dict[str, int] = {}
    for seats in layout.values():
        for floor, n in seats.items():
            used[floor] = used.get(floor, 0) + n
    floors = sorted(used) + [f"{lv + 1}F" for lv in range(FLOORS) if f"{lv + 1}F" not in used]
    rng = np.random.default_rng(seed)
    units = sorted(layout)
    out: list[dict[str, Any]] = []
    while len(out) < count:
        unit = units[int(rng.integers(len(units)))]
        (floor, n), *_ = layout[unit].items()
        target = floors[int(rng.integers(len(floors)))]
        if target != floor and capacity - used.get(target, 0) >= n:
            out.append({"unit": unit, "from_floor": floor, "to_floor": target, "seats": n})
    return out


def report() -> list[str]:
    single_threaded_blas()  # as the command line and the app do
    mapping = json.loads(json.dumps(dict(big_scenario().raw)))  # numpy strings as plain text
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = make_engine(url)
        upgrade_database(engine)
        database = Database(engine)
        with database.transaction() as session:
            user = make_user(session, "tanaka", role=Role.PLANNER)
            token = issue_token(session, user, kind=TokenKind.API, key=SECRET, now=NOW, lifetime=timedelta(days=3650))
            row = import_scenario(session, yaml.safe_dump(mapping).encode(), {}, actor="tanaka", now=NOW)
            scenario_id = row.id
        moves = moves_from(mapping["layouts"]["now"], capacity=120, count=MOVES)
        app = create_app(Settings(database_url=url, secret_key=SECRET), database=database)
        timings: list[float] = []
        with running_server(app) as base, httpx.Client(base_url=base, timeout=60) as client:
            headers = {"Authorization": f"Bearer {token}"}
            path = f"/api/scenarios/{scenario_id}/score"

            def score(move: dict[str, Any]) -> float:
                start = time.perf_counter()
                answer = client.post(path, headers=headers, json={"from": "now", "move": move})
                elapsed = time.perf_counter() - start
                assert answer.status_code == 200, answer.text
                return elapsed

            cold = score(moves[0])
            for move in moves[1:]:
                timings.append(score(move))
        engine.dispose()
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    return [
        f"scenario: {UNITS} units on {FLOORS} floors, 3,000 relations; {len(ms)} moves scored over HTTP (SQLite)",
        f"first request (reads the scenario, builds its travel matrix): {cold * 1000:.0f} ms",
        f"then: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms "
        f"(target p95 < {TARGET_MS:.0f} ms: {'met' if p95 < TARGET_MS else 'NOT met'})",
    ]


@pytest.mark.bench
def test_scenario_score_speed() -> None:
    print("\n" + "\n".join(report()))


if __name__ == "__main__":
    print("\n".join(report()))
