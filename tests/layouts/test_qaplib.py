"""QAPLIB files: reading them, their cost, and solving the small ones to optimality."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from layouts.optimize import assignment_cost
from layouts.qaplib import (
    InvalidQAP,
    permutation_cost,
    qap_cost,
    qap_problem,
    read_best_known,
    read_qaplib,
    solve_qap,
)

# Published optimal permutations (QAPLIB .sln files, 1-based).
NUG12_OPTIMUM = [12, 7, 9, 3, 4, 8, 11, 1, 5, 6, 10, 2]
CHR12A_OPTIMUM = [7, 5, 12, 2, 1, 3, 9, 11, 10, 6, 8, 4]


def test_read_nug12(shared_data: Path) -> None:
    instance = read_qaplib(shared_data / "qaplib" / "nug12.dat")
    assert instance.n == 12 and instance.name == "nug12"
    assert instance.A.shape == (12, 12) and instance.B.shape == (12, 12)
    assert instance.A[0, :4].tolist() == [0, 1, 2, 3]  # the first row of the file's first matrix
    assert instance.B[0, :4].tolist() == [0, 5, 2, 4]


def test_cost_by_hand() -> None:
    A = [[0, 2], [3, 0]]
    B = [[0, 5], [7, 0]]
    assert qap_cost(A, B, [0, 1]) == 2 * 5 + 3 * 7
    assert qap_cost(A, B, [1, 0]) == 2 * 7 + 3 * 5


@pytest.mark.parametrize(
    ("name", "permutation", "cost"), [("nug12", NUG12_OPTIMUM, 578), ("chr12a", CHR12A_OPTIMUM, 9552)]
)
def test_published_optima_cost_what_bks_says(shared_data: Path, name: str, permutation: list[int], cost: int) -> None:
    instance = read_qaplib(shared_data / "qaplib" / f"{name}.dat")
    p = np.array(permutation) - 1
    assert qap_cost(instance.A, instance.B, p) == cost
    assert assignment_cost(qap_problem(instance), p) == cost
    assert read_best_known(shared_data / "qaplib" / "bks.csv")[name].best_known == cost


@pytest.mark.parametrize(("name", "optimum"), [("nug12", 578), ("chr12a", 9552)])
def test_small_instances_solved_to_optimality(shared_data: Path, name: str, optimum: int) -> None:
    instance = read_qaplib(shared_data / "qaplib" / f"{name}.dat")
    solution = solve_qap(instance, seed=0, time_limit=5, target=optimum)
    assert solution.stopped_by == "target", f"{name}: {solution.cost} after {solution.elapsed:.1f} s"
    assert solution.cost == optimum == qap_cost(instance.A, instance.B, solution.assignment)
    assert solution.elapsed < 5


def test_solution_is_a_permutation(shared_data: Path) -> None:
    instance = read_qaplib(shared_data / "qaplib" / "tai20a.dat")
    solution = solve_qap(instance, seed=1, max_iterations=200)
    assert sorted(solution.assignment.tolist()) == list(range(20))
    assert solution.cost == qap_cost(instance.A, instance.B, solution.assignment)


def test_read_best_known(shared_data: Path) -> None:
    known = read_best_known(shared_data / "qaplib" / "bks.csv")
    assert known["tai100a"].best_known == 21044752 and not known["tai100a"].proven_optimal
    assert known["nug30"].n == 30 and known["nug30"].proven_optimal


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty; it should start with n"),
        ("   \n", "the file is empty"),
        ("two\n0 1 1 0\n0 1 1 0\n", "n, the size of the instance, is 'two', not an integer"),
        ("0\n", "n, the size of the instance, is 0; it must be at least 1"),
        ("2\n0 1 1 0\n0 1 1\n", r"n = 2 calls for 2 x 2 x 2 = 8 matrix entries after n, but the file has 7"),
        ("2\n0 1 1 0\n0 1 1 0 5\n", "but the file has 9"),
        ("2\n0 1 1 0\n0 1.5 1 0\n", r"number 7 is '1.5', not an integer"),
    ],
)
def test_bad_files_say_which_file_and_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.dat"
    path.write_text(text)
    with pytest.raises(InvalidQAP, match=message) as caught:
        read_qaplib(path)
    assert str(caught.value).startswith(f"{path}: ")


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.dat"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InvalidQAP, match="not a text file"):
        read_qaplib(path)


def test_bad_best_known_file(tmp_path: Path) -> None:
    path = tmp_path / "bks.csv"
    path.write_text("instance,n,best_known,proven_optimal\nnug12,12,many,yes\n")
    with pytest.raises(InvalidQAP, match="line 2: expected columns"):
        read_best_known(path)


def test_permutation_cost_is_recomputed_from_the_matrices(shared_data: Path) -> None:
    instance = read_qaplib(shared_data / "qaplib" / "nug12.dat")
    optimum = np.array(NUG12_OPTIMUM) - 1
    assert permutation_cost(instance, optimum) == 578
    # Swapping the first two places: the cost a search would have to report for that permutation.
    other = optimum.copy()
    other[[0, 1]] = other[[1, 0]]
    assert permutation_cost(instance, other) == qap_cost(instance.A, instance.B, other) != 578
    with pytest.raises(ValueError, match=r"not a permutation of 0\.\.11"):
        permutation_cost(instance, np.zeros(12, np.int64))
    with pytest.raises(ValueError, match="a permutation of 12 whole numbers is needed"):
        permutation_cost(instance, optimum[:11])
