"""Response bodies of the reports and suggestions endpoints (`booking.api.routes.reports`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

# The examples are of one report: building bcc in March 2026 (21 open days), 6F and 7F with 220 bookable desks.
FLOOR_OCCUPANCY_EXAMPLES: list[Any] = [
    {"floor_id": 9, "floor": "6F", "level": 6, "desks": 120, "fixed_desks": 0, "desk_slots": 5040,
     "used_slots": 2772, "booked_slots": 2923, "occupancy": 0.55, "booked_rate": 0.58, "peak_desks": 96,
     "peak_rate": 0.8},
    {"floor_id": 10, "floor": "7F", "level": 7, "desks": 100, "fixed_desks": 20, "desk_slots": 4200,
     "used_slots": 1890, "booked_slots": 2016, "occupancy": 0.45, "booked_rate": 0.48, "peak_desks": 71,
     "peak_rate": 0.71},
]  # fmt: skip

UNIT_NEEDS_EXAMPLE: dict[str, Any] = {
    "unit_id": "kumin.zeimu", "unit": "税務課", "parent_id": "kumin", "is_leaf": True,
    "headcount": 55, "fixed_desks": 0, "free_address": 55, "person_slots": 1210, "attendance": 0.55,
    "bookings": 640, "no_shows": 31, "cancellations": 12, "no_show_rate": 0.05,
    "cancellation_rate": 0.019, "peak": 38, "p90": 35, "mean": 30.1,
    "weekday_means": {"mon": 34.0, "tue": 30.2, "wed": 29.0, "thu": 30.5, "fri": 26.8, "sat": None,
                      "sun": None},
    "peak_weekday": 0, "peak_weekday_code": "mon", "home_desks": 44, "seats": 35,
    "desk_ratio": 0.636, "peak_share_of_home": 0.86,
}  # fmt: skip


class FloorOccupancyRead(BaseModel):
    floor_id: int
    floor: str
    level: int
    desks: int
    fixed_desks: int
    desk_slots: int
    used_slots: int
    booked_slots: int
    occupancy: float | None
    booked_rate: float | None
    peak_desks: int
    peak_rate: float | None


class WeekdayOccupancyRead(BaseModel):
    weekday: int
    weekday_code: str
    slot: str
    days: int
    desk_slots: int
    used_slots: int
    booked_slots: int
    occupancy: float | None
    booked_rate: float | None


class ZoneOccupancyRead(BaseModel):
    zone_id: int
    zone: str
    unit_id: str
    unit: str
    weekdays: list[int]
    desks: int
    desk_slots: int
    used_slots: int
    occupancy: float | None
    own_share: float | None
    peak_desks: int


class UnitNeedsRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [UNIT_NEEDS_EXAMPLE]})

    unit_id: str
    unit: str
    parent_id: str | None
    is_leaf: bool
    headcount: int
    fixed_desks: int
    free_address: int
    person_slots: int
    attendance: float | None
    bookings: int
    no_shows: int
    cancellations: int
    no_show_rate: float | None
    cancellation_rate: float | None
    peak: int
    p90: int
    mean: float
    weekday_means: dict[str, float | None]
    peak_weekday: int | None
    peak_weekday_code: str | None
    home_desks: int
    seats: int
    desk_ratio: float | None
    peak_share_of_home: float | None


class PairAttendanceRead(BaseModel):
    a: str
    b: str
    a_name: str
    b_name: str
    days: int
    days_both: int
    expected_days_both: float
    lift: float | None
    r: float | None
    p_value: float | None
    related: bool
    trips_per_week: float


class TotalsRead(BaseModel):
    days: int
    desks: int
    bookings: int
    came: int
    no_shows: int
    cancellations: int
    no_show_rate: float | None
    cancellation_rate: float | None
    occupancy: float | None
    booked_rate: float | None


class ReportRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "building_id": "bcc", "building": "文京シビックセンター", "since": "2026-03-01",
                    "until": "2026-03-31",
                    "totals": {"days": 21, "desks": 220, "bookings": 2504, "came": 2290, "no_shows": 96,
                               "cancellations": 118, "no_show_rate": 0.0402, "cancellation_rate": 0.0471,
                               "occupancy": 0.5045, "booked_rate": 0.5345},
                    "floors": FLOOR_OCCUPANCY_EXAMPLES,
                    "weekdays": [
                        {"weekday": 0, "weekday_code": "mon", "slot": "am", "days": 5, "desk_slots": 1100,
                         "used_slots": 748, "booked_slots": 781, "occupancy": 0.68, "booked_rate": 0.71},
                        {"weekday": 0, "weekday_code": "mon", "slot": "pm", "days": 5, "desk_slots": 1100,
                         "used_slots": 702, "booked_slots": 740, "occupancy": 0.6382, "booked_rate": 0.6727},
                    ],
                    "zones": [
                        {"zone_id": 2, "zone": "戸籍 north", "unit_id": "kumin.koseki", "unit": "戸籍住民課",
                         "weekdays": [0, 1, 2, 3, 4], "desks": 24, "desk_slots": 1008, "used_slots": 655,
                         "occupancy": 0.6498, "own_share": 0.92, "peak_desks": 22}
                    ],
                    "units": [UNIT_NEEDS_EXAMPLE],
                    "co_attendance": [
                        {"a": "kumin.keizai", "b": "fukushi.seisaku", "a_name": "経済課", "b_name": "福祉政策課",
                         "days": 21, "days_both": 9, "expected_days_both": 4.2, "lift": 2.14, "r": 0.58,
                         "p_value": 0.0031, "related": True, "trips_per_week": 23.2}
                    ],
                }
            ]
        }
    )  # fmt: skip

    building_id: str
    building: str
    since: str
    until: str
    totals: TotalsRead
    floors: list[FloorOccupancyRead]
    weekdays: list[WeekdayOccupancyRead]
    zones: list[ZoneOccupancyRead]
    units: list[UnitNeedsRead]
    co_attendance: list[PairAttendanceRead]


class NearbyRead(BaseModel):
    unit_id: str
    unit: str
    own: bool
    floor: str
    people: int


class SuggestionRead(BaseModel):
    rank: int
    desk_id: int
    desk: str
    desk_ref: str
    floor_id: int
    floor: str
    space: str
    seconds: float
    walk_m: float
    why: str
    reasons: list[NearbyRead]


class SuggestionsRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "person_id": "sato", "unit_id": "kumin.zeimu", "weights": "co-attendance", "people_counted": 31,
                    "suggestions": [
                        {"rank": 1, "desk_id": 1041, "desk": "8F-N1-07", "desk_ref": "8F-N1-07", "floor_id": 9,
                         "floor": "8F", "space": "8F-N1", "seconds": 21.4, "walk_m": 6.5,
                         "why": "3 of your team on 8F; 2 of 国保年金課 on 8F",
                         "reasons": [{"unit_id": "kumin.zeimu", "unit": "税務課", "own": True, "floor": "8F",
                                      "people": 3}]}
                    ],
                }
            ]
        }
    )  # fmt: skip

    person_id: str
    unit_id: str | None
    weights: str
    people_counted: int
    suggestions: list[SuggestionRead]
