"""One "list of problems" error, defined in floorplan and derived by layouts and booking (floorplan/errors.py)."""

from __future__ import annotations

import pytest

from booking.errors import BookingError, InvalidInput
from floorplan.errors import ArchiveTooLarge, FloorplanError, InvalidBuilding, Problem, ProblemsError
from layouts.errors import InvalidScenario, LayoutsError

FAULTS = (Problem("not a number", "row 3", "seats"), Problem("no such floor", "unit sales"))


@pytest.mark.parametrize(("error", "family"), [(InvalidBuilding, FloorplanError), (InvalidScenario, LayoutsError)])
def test_each_package_lists_its_problems_through_the_one_base(error: type[ProblemsError], family: type) -> None:
    raised = error(iter(FAULTS), source="plan.yaml")
    assert isinstance(raised, ProblemsError) and isinstance(raised, family)
    assert raised.problems == FAULTS and raised.source == "plan.yaml"
    assert str(raised) == (
        "plan.yaml: 2 problems:\n  - row 3, field 'seats': not a number\n  - unit sales: no such floor"
    )
    assert str(error(FAULTS[:1])) == "row 3, field 'seats': not a number"


def test_bookings_invalid_input_is_a_problems_error_and_a_booking_error_with_its_status() -> None:
    raised = InvalidInput(FAULTS, source="people.csv")
    assert isinstance(raised, ProblemsError) and isinstance(raised, BookingError)
    assert raised.problems == FAULTS and raised.status == 422
    assert raised.detail == str(raised) == str(InvalidScenario(FAULTS, source="people.csv"))
    assert raised.problem("/admin/people")["errors"] == [
        {"where": "row 3", "field": "seats", "message": "not a number"},
        {"where": "unit sales", "field": "", "message": "no such floor"},
    ]


def test_an_archive_too_large_names_its_member_as_its_one_problem() -> None:
    raised = ArchiveTooLarge("big.json", limit=100, declared=500, unpacked=None, source="site.zip")
    assert isinstance(raised, ProblemsError) and raised.source == "site.zip"
    assert [p.where for p in raised.problems] == ["member 'big.json'"]
    assert str(raised).startswith("site.zip: member 'big.json': declares 500 bytes unpacked")
