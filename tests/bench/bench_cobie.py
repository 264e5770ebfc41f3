"""How long reading the clinic's COBie workbook takes (target: under 2 s).

Run with ``pytest tests/bench/bench_cobie.py -m bench -s``, or as a script: ``python tests/bench/bench_cobie.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import pytest

from floorplan.cobie import read_cobie

TARGET_S = 2.0
RUNS = 5


def time_read_cobie(path: Path, runs: int = RUNS) -> list[float]:
    """Wall-clock seconds of ``runs`` reads of ``path``."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        read_cobie(path)
        seconds.append(time.perf_counter() - start)
    return seconds


def report(seconds: list[float]) -> str:
    return (
        f"read_cobie(clinic-design.xlsx): best {min(seconds):.3f} s, median {statistics.median(seconds):.3f} s "
        f"over {len(seconds)} runs (target {TARGET_S} s)"
    )


@pytest.mark.bench
def test_read_cobie_clinic_is_fast_enough(shared_data: Path) -> None:
    seconds = time_read_cobie(shared_data / "cobie" / "clinic-design.xlsx")
    print(report(seconds))
    assert statistics.median(seconds) < TARGET_S


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.conftest import shared_data_dir

    print(report(time_read_cobie(shared_data_dir() / "cobie" / "clinic-design.xlsx")))
