"""The occupancy report for a year of bookings of 2,000 people. Target: under 2 s on SQLite.

The data: four floors of 400 desks, 2,000 people in 40 sections of 50 under five departments, each section with a
zone of 40 desks; every open day of 2025 (245 days) each person books a desk of their section with probability
0.6 (a tenth of them mornings only); of past bookings 90 % are checked in, 5 % no-shows, 5 % cancelled. About
295,000 bookings, kept in a SQLite file in the temporary folder's floorwise-bench/ (or FLOORWISE_BENCH_DIR) once
made; on PostgreSQL (FLOORWISE_TEST_POSTGRES_URL) in the database floorwise_bench_reports.

Measured: the whole report (every table: floors, zones, weekdays and slots, units with peaks and seats,
co-attendance) through the service, and through the API (``GET /api/reports``, in-process, with authentication
and JSON), each the median of five runs after a first one.

Run with ``pytest tests/bench/bench_reports.py -m bench -s`` or ``python -m tests.bench.bench_reports``.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.engine import make_url

from booking.analytics.report import occupancy_report
from booking.app import create_app
from booking.clock import FixedClock
from booking.database import Database
from booking.models import Booking, DeskRow, Role, TokenKind, Unit, User, Zone, zone_desks
from booking.services.accounts import issue_token
from booking.services.calendar_rules import holiday_name
from booking.services.loading import load_building
from booking.settings import Settings
from tests.bench import bench_booking_data as data
from tests.booking.factories import floorplan_building

SINCE, UNTIL = date(2025, 1, 1), date(2025, 12, 31)
NOW = datetime(2026, 1, 5, tzinfo=UTC)
PEOPLE, SECTIONS, FLOORS, DESKS_PER_FLOOR = 2000, 40, 4, 400
TOKYO = ZoneInfo("Asia/Tokyo")
RUNS = 5
SECRET = "bench-secret"


def bench_engine(backend: str) -> Engine | None:
    """The year's database (made the first time, then kept: see `bench_booking_data.bench_engine`)."""
    return data.bench_engine(
        backend, make=make_year, file="reports-year.db", database="floorwise_bench_reports", pool_size=5
    )


def open_days() -> list[date]:
    days, day = [], SINCE
    while day <= UNTIL:
        if day.weekday() < 5 and holiday_name("JP", day) is None:
            days.append(day)
        day += timedelta(days=1)
    return days


def make_year(engine: Engine) -> None:
    rng = random.Random(2025)
    with Database(engine).transaction() as session:
        building = floorplan_building(building_id="bench", floors=FLOORS, desks=DESKS_PER_FLOOR, hourly_desks=0)
        load_building(session, building, now=NOW, actor="bench")
        desks = list(session.scalars(select(DeskRow.id).where(DeskRow.building_id == "bench").order_by(DeskRow.id)))
        departments = [f"d{k}" for k in range(5)]
        session.execute(insert(Unit), [{"id": d, "name": f"Department {d}"} for d in departments])
        sections = [f"d{k % 5}.s{k:02d}" for k in range(SECTIONS)]
        session.execute(insert(Unit), [{"id": s, "name": f"Section {s}", "parent_id": s[:2]} for s in sections])
        people = [(f"p{i:04d}", sections[i % SECTIONS]) for i in range(PEOPLE)]
        session.execute(
            insert(User),
            [{"id": p, "name": p, "unit_id": u, "role": Role.STAFF.value, "search_key": p, "created_at": NOW}
             for p, u in people]
            + [{"id": "bench-admin", "name": "admin", "role": Role.ADMIN.value, "search_key": "admin",
                "created_at": NOW}],
        )  # fmt: skip
        pools: dict[str, list[int]] = {}
        for k, section in enumerate(sections):
            pools[section] = desks[k * 40 : (k + 1) * 40]
            zone = Zone(building_id="bench", name=f"{section} zone", unit_id=section, weekdays=[0, 1, 2, 3, 4])
            session.add(zone)
            session.flush()
            session.execute(insert(zone_desks), [{"zone_id": zone.id, "desk_id": d} for d in pools[section]])
    members: dict[str, list[str]] = {}
    for person, section in people:
        members.setdefault(section, []).append(person)
    rows = []
    for day in open_days():
        full = (_at(day, 8, 30), _at(day, 17, 15))
        morning = (full[0], _at(day, 12, 0))
        for section, names in members.items():
            free = list(pools[section])
            rng.shuffle(free)
            for person in names:
                if not free or rng.random() > 0.6:
                    continue
                start, end = morning if rng.random() < 0.1 else full
                roll = rng.random()
                state = "checked_in" if roll < 0.9 else "no_show" if roll < 0.95 else "cancelled"
                rows.append({"desk_id": free.pop(), "user_id": person, "start_utc": start, "end_utc": end,
                             "state": state, "exclusive": True, "created_at": start - timedelta(days=1)})  # fmt: skip
    with engine.begin() as conn:
        for chunk in range(0, len(rows), 50_000):
            conn.execute(insert(Booking), rows[chunk : chunk + 50_000])
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE bookings")
        else:
            conn.exec_driver_sql("ANALYZE")


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TOKYO).astimezone(UTC)


def measure(engine: Engine) -> dict[str, float]:
    database = Database(engine)
    service: list[float] = []
    with database.transaction(write=False) as session:
        count = session.scalar(select(func.count()).select_from(Booking)) or 0
        first = time.perf_counter()
        report = occupancy_report(session, since=SINCE, until=UNTIL, now=NOW, building_id="bench")
        cold = time.perf_counter() - first
        assert report.totals.days == len(open_days()) and len(report.units) == SECTIONS + 5
        for _ in range(RUNS):
            started = time.perf_counter()
            occupancy_report(session, since=SINCE, until=UNTIL, now=NOW, building_id="bench")
            service.append(time.perf_counter() - started)
    with database.transaction() as session:
        admin = session.get(User, "bench-admin")
        assert admin is not None
        token = issue_token(session, admin, kind=TokenKind.API, key=SECRET, now=NOW, lifetime=timedelta(days=1))
    app = create_app(Settings(database_url="sqlite://", secret_key=SECRET), clock=FixedClock(NOW), database=database)
    http: list[float] = []
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {token}"}
        url = f"/api/reports?since={SINCE}&until={UNTIL}&building=bench"
        assert client.get(url, headers=headers).status_code == 200
        for _ in range(RUNS):
            started = time.perf_counter()
            answer = client.get(url, headers=headers)
            http.append(time.perf_counter() - started)
            assert answer.status_code == 200
    return {
        "bookings": float(count),
        "cold_s": cold,
        "service_s": statistics.median(service),
        "http_s": statistics.median(http),
    }


def report(engine: Engine) -> dict[str, float]:
    figures = measure(engine)
    load = os.getloadavg()[0]
    print(
        f"\n{make_url(str(engine.url)).get_backend_name()}: the report of a year, {figures['bookings']:,.0f} bookings "
        f"of {PEOPLE:,} people: first {figures['cold_s']:.2f} s, then median {figures['service_s']:.2f} s (service), "
        f"{figures['http_s']:.2f} s (HTTP, JSON); load average {load:.1f} on {os.cpu_count()} cores"
    )
    return figures


@pytest.mark.bench
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_report_of_a_year(backend: str) -> None:
    engine = bench_engine(backend)
    if engine is None:
        pytest.skip("PostgreSQL benchmark skipped: set FLOORWISE_TEST_POSTGRES_URL")
    try:
        figures = report(engine)
    finally:
        engine.dispose()
    assert figures["bookings"] > 250_000
    if backend == "sqlite":
        assert figures["service_s"] < 2.0 and figures["http_s"] < 2.0


if __name__ == "__main__":
    for name in ("sqlite", "postgresql"):
        made = bench_engine(name)
        if made is not None:
            report(made)
            made.dispose()
