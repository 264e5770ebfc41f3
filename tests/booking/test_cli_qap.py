"""`floorwise qap`, run as a user runs it: a real process, its output and its exit status."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from booking.cli.qap import result_fields
from layouts.optimize import Solution
from layouts.optimize.verify import ResultMismatch
from layouts.qaplib import read_qaplib
from tests.booking.cli import Result

# The command registers itself on import; run the console entry point with it loaded.
ENTRY = "import booking.cli.qap; from booking.cli import main; main()"
#: As a terminal starts a command: Ctrl-C raises KeyboardInterrupt. (A test runner started as a background job
#: inherits SIGINT ignored, and so would the command, which would then never see the Ctrl-C.)
AT_A_TERMINAL = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "


def floorwise_qap(*args: str | Path) -> Result:
    environ = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run(
        [sys.executable, "-c", ENTRY, "qap", *map(str, args)],
        capture_output=True,
        text=True,
        env=environ,
        timeout=300,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def test_json_with_best_known_from_the_bks_beside_the_file(shared_data: Path) -> None:
    r = floorwise_qap(shared_data / "qaplib" / "nug12.dat", "--iterations", "3000", "--seed", "1", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["instance"] == "nug12" and data["n"] == 12
    assert data["cost"] == 578 and data["best_known"] == 578 and data["gap_pct"] == 0.0
    assert sorted(data["permutation"]) == list(range(12))
    assert data["iterations"] == 3000 and data["stopped_by"] == "iterations" and data["seed"] == 1
    assert data["elapsed"] > 0


def test_plain_summary_and_a_bks_given_by_option(shared_data: Path, tmp_path: Path) -> None:
    shutil.copy(shared_data / "qaplib" / "chr12a.dat", tmp_path / "chr12a.dat")
    (tmp_path / "known.csv").write_text("instance,n,best_known,proven_optimal\nchr12a,12,9552,yes\n")
    r = floorwise_qap(tmp_path / "chr12a.dat", "--time-limit", "1", "--seed", "3", "--bks", tmp_path / "known.csv")
    assert r.code == 0, r.err
    assert "chr12a (n = 12): cost 9,552, optimum 9,552, gap 0.00 %" in r.out
    assert "stopped by the time limit; seed 3" in r.out
    assert "permutation (0-based): " in r.out


def test_without_a_bks_there_is_no_gap(tmp_path: Path, shared_data: Path) -> None:
    shutil.copy(shared_data / "qaplib" / "nug12.dat", tmp_path / "nug12.dat")
    r = floorwise_qap(tmp_path / "nug12.dat", "--iterations", "100", "--json", "--workers", "2", "--seed", "0")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert "best_known" not in data and "gap_pct" not in data
    assert data["workers"] == 2 and data["iterations"] == 200


def test_ctrl_c_prints_the_best_found_so_far(shared_data: Path) -> None:
    """A terminal's Ctrl-C reaches the whole process group: the command and its two worker processes."""
    environ = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    args = [shared_data / "qaplib" / "tai40a.dat", "--time-limit", "120", "--workers", "2", "--json"]
    proc = subprocess.Popen(
        [sys.executable, "-c", AT_A_TERMINAL + ENTRY, "qap", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
        start_new_session=True,
    )
    time.sleep(4)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    data = json.loads(out)
    assert data["stopped_by"] == "interrupt" and data["elapsed"] < 60
    assert sorted(data["permutation"]) == list(range(40))
    assert data["cost"] >= data["best_known"] == 3139370


def test_a_bad_file_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.dat"
    path.write_text("3\n1 2 3\n")
    r = floorwise_qap(path)
    assert r.code == 1
    assert f"{path}: n = 3 calls for 2 x 3 x 3 = 18 matrix entries" in r.err
    assert "Traceback" not in r.err


def test_a_missing_file(tmp_path: Path) -> None:
    r = floorwise_qap(tmp_path / "none.dat")
    assert r.code == 1 and "none.dat" in r.err and "Traceback" not in r.err


#: nug12's published optimum (QAPLIB nug12.sln, 1-based), cost 578.
NUG12_OPTIMUM = [12, 7, 9, 3, 4, 8, 11, 1, 5, 6, 10, 2]


def found(assignment: list[int], cost: float) -> Solution:
    return Solution(
        assignment=np.array(assignment, np.int64),
        cost=cost,
        iterations=1,
        elapsed=0.1,
        stopped_by="iterations",
        seed=0,
        workers=1,
        worker=0,
        best_iteration=1,
        restarts=0,
    )


def test_the_printed_cost_is_recomputed_from_the_permutation(shared_data: Path) -> None:
    path = shared_data / "qaplib" / "nug12.dat"
    optimum = [x - 1 for x in NUG12_OPTIMUM]
    fields = result_fields(path, read_qaplib(path), found(optimum, 578.0), None)
    assert fields["cost"] == 578 and fields["permutation"] == optimum


def test_a_search_cost_that_the_permutation_does_not_give_is_refused(shared_data: Path) -> None:
    path = shared_data / "qaplib" / "nug12.dat"
    optimum = [x - 1 for x in NUG12_OPTIMUM]
    with pytest.raises(
        ResultMismatch, match=r"the cost of the permutation: the search says 570\.0, recomputing it gives 578"
    ):
        result_fields(path, read_qaplib(path), found(optimum, 570.0), None)
