"""Score changes of moves and swaps, checked against rescoring from scratch."""

from __future__ import annotations

import numpy as np
import pytest

from layouts.delta import IncrementalScore
from layouts.scenario import scenario_from_dict
from layouts.scoring import score_layout, scoring_model, share_matrix


def full_score(w: np.ndarray, t: np.ndarray, s: np.ndarray) -> float:
    q = s @ t @ s.T
    return float(((w * q).sum() + np.trace(w * q)) / 2)


def random_case(seed: int, n: int = 7, m: int = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    w = rng.integers(0, 6, (n, n)).astype(float)
    w = np.triu(w) + np.triu(w, 1).T
    t = rng.uniform(5, 120, (m, m))
    t = (t + t.T) / 2
    s = rng.dirichlet(np.ones(m) * 0.5, size=n)  # units split over several locations
    return w, t, s


@pytest.mark.parametrize("seed", range(5))
def test_move_and_swap_deltas_match_rescoring(seed: int) -> None:
    w, t, s = random_case(seed)
    inc = IncrementalScore(w, t, s)
    assert inc.score == pytest.approx(full_score(w, t, s))
    for u in range(len(w)):
        for f in range(t.shape[0]):
            s2 = s.copy()
            s2[u] = 0
            s2[u, f] = 1
            assert inc.move_delta(u, f) == pytest.approx(full_score(w, t, s2) - inc.score)
        assert inc.move_deltas(u) == pytest.approx([inc.move_delta(u, f) for f in range(t.shape[0])])
        for v in range(len(w)):
            s2 = s.copy()
            s2[[u, v]] = s2[[v, u]]
            assert inc.swap_delta(u, v) == pytest.approx(full_score(w, t, s2) - inc.score, abs=1e-9)


def test_applied_moves_keep_the_score_exact() -> None:
    w, t, s = random_case(11, n=9, m=4)
    inc = IncrementalScore(w, t, s)
    rng = np.random.default_rng(3)
    current = s.copy()
    for step in range(40):
        if step % 2:
            u, v = rng.choice(len(w), 2, replace=False)
            expected = inc.score + inc.swap_delta(u, v)
            inc.apply_swap(u, v)
            current[[u, v]] = current[[v, u]]
        else:
            u, f = int(rng.integers(len(w))), int(rng.integers(t.shape[0]))
            expected = inc.score + inc.move_delta(u, f)
            inc.apply_move(u, f)
            current[u] = 0
            current[u, f] = 1
        assert inc.score == pytest.approx(expected)
        assert inc.score == pytest.approx(full_score(w, t, current))
    assert np.array_equal(s, random_case(11, n=9, m=4)[2])  # the caller's shares are untouched


def test_agrees_with_the_scorer_on_a_scenario() -> None:
    floors = [{"name": f"{i + 1}F", "level": i, "seats": 50} for i in range(5)]
    cores = [
        {"id": "L", "kind": "lift", "levels": list(range(5))},
        {"id": "S", "kind": "stair", "levels": list(range(5))},
    ]
    sc = scenario_from_dict(
        {
            "building": {"floors": floors, "cores": cores},
            "units": [{"id": f"u{i}", "headcount": 10} for i in range(4)],
            "relations": [["u0", "u1", 10], ["u1", "u2", 4], ["u0", "u3", 7]],
            "layouts": {"x": {"u0": {"1F": 8}, "u1": {"3F": 4, "4F": 4}, "u2": {"5F": 8}, "u3": {"2F": 8}}},
        }
    )
    model = scoring_model(sc)
    inc = IncrementalScore(model.weights, model.seconds, share_matrix(sc, model, sc.layout("x")))
    assert inc.score / 3600 == pytest.approx(score_layout(sc).travel_hours_per_week)
