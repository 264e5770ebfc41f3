"""The occupancy report over a generated quarter with planted patterns: the reports recover them, and every count
agrees with the truth the generator kept (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from booking.analytics.needs import nearest_rank
from booking.analytics.period import Period
from booking.analytics.report import OccupancyReport, occupancy_report, table_rows
from booking.errors import InvalidRequest
from tests.booking.analytics.quarter import SECTIONS, SINCE, UNTIL, Planted, open_days, planted_office
from tests.booking.factories import NOW


@pytest.fixture
def quarter(db: Session) -> tuple[Planted, OccupancyReport]:
    planted = planted_office(db)
    return planted, occupancy_report(db, since=SINCE, until=UNTIL, now=NOW)


def unit(report: OccupancyReport, section: str):  # type: ignore[no-untyped-def]
    return next(u for u in report.units if u.unit_id == f"ops.{section}")


def test_the_quarter_has_56_open_days(quarter: tuple[Planted, OccupancyReport]) -> None:
    _, report = quarter
    assert report.totals.days == len(open_days()) == 56  # 60 weekdays less four public holidays
    assert report.totals.desks == 120 - 4  # four desks of 1F are fixed desks


def test_peaks_and_p90_agree_with_the_truth(quarter: tuple[Planted, OccupancyReport]) -> None:
    planted, report = quarter
    for section in ("pair_a", "pair_b", "sixty", "monday", "steady"):
        daily = [planted.daily_peak(section, d) for d in open_days()]
        row = unit(report, section)
        assert row.peak == max(daily), section
        assert row.p90 == nearest_rank(daily, 90), section
        assert row.headcount == SECTIONS[section]


def test_a_unit_that_never_uses_more_than_60_percent_of_its_seats(quarter: tuple[Planted, OccupancyReport]) -> None:
    _, report = quarter
    sixty = unit(report, "sixty")
    assert sixty.home_desks == 10 and sixty.peak <= 6
    assert sixty.peak_share_of_home is not None and sixty.peak_share_of_home <= 0.6
    assert sixty.seats <= 6 and sixty.desk_ratio is not None and sixty.desk_ratio <= 0.6


def test_a_unit_that_peaks_on_mondays(quarter: tuple[Planted, OccupancyReport]) -> None:
    _, report = quarter
    monday = unit(report, "monday")
    assert monday.peak_weekday == 0 and monday.to_dict()["peak_weekday_code"] == "mon"
    assert monday.weekday_means[0] is not None and monday.weekday_means[0] >= 9
    assert all(m is not None and m <= 4 for m in monday.weekday_means[1:5])
    assert monday.weekday_means[5] is None and monday.weekday_means[6] is None  # no open Saturdays or Sundays


def test_two_units_always_in_together_are_the_one_related_pair(quarter: tuple[Planted, OccupancyReport]) -> None:
    _, report = quarter
    related = [p for p in report.pairs if p.related]
    assert [(p.a, p.b) for p in related] == [("ops.pair_a", "ops.pair_b")]
    pair = related[0]
    assert report.pairs[0] is pair  # the strongest first
    assert pair.r is not None and pair.r > 0.9 and pair.lift is not None and pair.lift > 1.5
    assert pair.p_value is not None and pair.p_value < 1e-10
    assert pair.trips_per_week == round(40 * pair.r, 1)
    assert pair.days_both > pair.expected_days_both


def test_units_without_change_in_attendance_have_no_correlation(quarter: tuple[Planted, OccupancyReport]) -> None:
    _, report = quarter
    fixed = [p for p in report.pairs if "ops.fixed" in (p.a, p.b)]
    assert fixed and all(p.r is None and not p.related for p in fixed)  # its people never book


def test_no_shows_and_cancellations(quarter: tuple[Planted, OccupancyReport]) -> None:
    planted, report = quarter
    truth = planted.outcomes["steady"]
    steady = unit(report, "steady")
    assert steady.no_shows == truth["no_show"] > 0  # marked no-shows and released bookings never marked
    assert steady.cancellations == truth["cancelled"] > 0
    assert steady.no_show_rate == pytest.approx(truth["no_show"] / (truth["in"] + truth["no_show"]))
    assert steady.bookings == sum(truth.values())
    came = sum(planted.outcomes[s]["in"] for s in SECTIONS)
    assert report.totals.came == came and report.totals.no_shows == truth["no_show"]
    assert unit(report, "sixty").no_show_rate == 0.0


def test_floor_occupancy_counts_desk_slots(quarter: tuple[Planted, OccupancyReport]) -> None:
    planted, report = quarter
    floors = {f.floor: f for f in report.floors}
    for name, desks in (("1F", 36), ("2F", 40), ("3F", 40)):
        f = floors[name]
        assert f.desks == desks and f.desk_slots == desks * 56 * 2
        assert f.used_slots == planted.used_desk_slots[name]  # one person per desk a day in the generator
        assert f.occupancy == pytest.approx(f.used_slots / f.desk_slots)
    assert floors["1F"].fixed_desks == 4
    assert floors["3F"].booked_slots > floors["3F"].used_slots  # the steady section's no-shows held desks there


def test_weekdays_and_slots_add_up_to_the_floors(quarter: tuple[Planted, OccupancyReport]) -> None:
    _, report = quarter
    assert {(w.weekday, w.slot) for w in report.weekdays} == {(d, s) for d in range(5) for s in ("am", "pm")}
    assert sum(w.used_slots for w in report.weekdays) == sum(f.used_slots for f in report.floors)
    assert sum(w.days for w in report.weekdays if w.slot == "am") == 56
    monday_am = next(w for w in report.weekdays if (w.weekday, w.slot) == (0, "am"))
    tuesday_am = next(w for w in report.weekdays if (w.weekday, w.slot) == (1, "am"))
    assert monday_am.occupancy is not None and tuesday_am.occupancy is not None
    assert monday_am.occupancy > tuesday_am.occupancy  # the Monday section fills its zone
    pm = sum(w.used_slots for w in report.weekdays if w.slot == "pm")
    am = sum(w.used_slots for w in report.weekdays if w.slot == "am")
    assert am > pm  # a fifth of the steady section's bookings are mornings only


def test_zones(quarter: tuple[Planted, OccupancyReport]) -> None:
    _, report = quarter
    zones = {z.unit_id: z for z in report.zones}
    assert zones["ops.sixty"].desks == 10 and zones["ops.sixty"].peak_desks <= 6
    assert zones["ops.monday"].peak_desks == 10
    assert all(z.own_share == 1.0 for z in report.zones)  # nobody else sits in them


def test_csv_rows_flatten_the_weekday_means(quarter: tuple[Planted, OccupancyReport]) -> None:
    _, report = quarter
    columns, rows = table_rows(report, "units")
    assert {"mean_mon", "mean_fri", "peak_weekday_code"} <= set(columns)
    assert len(rows) == len(report.units) == 7  # the department and its six sections


def test_a_unit_filter_keeps_its_rows_and_its_pairs(db: Session) -> None:
    planted_office(db)
    report = occupancy_report(db, since=SINCE, until=UNTIL, now=NOW, units={"ops.pair_b"})
    assert [u.unit_id for u in report.units] == ["ops.pair_b"]
    assert report.pairs and all("ops.pair_b" in (p.a, p.b) for p in report.pairs)
    assert report.pairs[0].related  # the correction still counts every pair of the building


def test_periods_are_checked() -> None:
    with pytest.raises(InvalidRequest):
        Period(date(2026, 3, 2), date(2026, 3, 1))
    with pytest.raises(InvalidRequest):
        Period(date(2024, 1, 1), date(2026, 3, 1))
    assert Period(date(2026, 3, 1), date(2026, 3, 1)).length == 1


def test_nearest_rank() -> None:
    assert nearest_rank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9
    assert nearest_rank([0, 0, 0, 7], 90) == 7
    assert nearest_rank([], 90) == 0


def test_open_days_without_any_booking_are_days_without_records(db: Session) -> None:
    planted_office(db)
    # a week more before the quarter: 29-31 December and 2 January are open, but nobody booked yet
    report = occupancy_report(db, since=date(2025, 12, 29), until=UNTIL, now=NOW)
    assert report.totals.days == 56


def test_a_period_without_bookings_has_no_figures(db: Session) -> None:
    planted_office(db)
    report = occupancy_report(db, since=date(2026, 6, 1), until=date(2026, 6, 30), now=NOW)
    assert report.totals.days == 0 and report.totals.bookings == 0 and report.totals.occupancy is None
    assert [f.occupancy for f in report.floors] == [None, None, None] and report.weekdays == []
    assert all(u.peak == 0 and u.p90 == 0 and u.peak_weekday is None for u in report.units)
    assert report.pairs and not any(p.related or p.r is not None for p in report.pairs)
    assert all(z.occupancy is None for z in report.zones)
