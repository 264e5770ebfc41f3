"""Availability of a floor of 1,000 desks for one day, with 1,000,000 bookings in the database.

Target: p95 under 50 ms on SQLite, and the same figure on PostgreSQL. Reports p50/p95 over 200 requests through
the app's HTTP layer (in-process ASGI client: routing, auth, the queries, JSON), and through the service alone.

Run with ``pytest tests/bench/bench_booking_availability.py -m bench -s`` or
``python -m tests.bench.bench_booking_availability``. The first run builds the data (a SQLite file in the temporary
folder; the PostgreSQL database floorwise_bench when FLOORWISE_TEST_POSTGRES_URL is set) and takes a few minutes.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from booking.app import create_app
from booking.clock import FixedClock
from booking.database import Database
from booking.models import Booking, BuildingRow, TokenKind, User
from booking.services.accounts import issue_token
from booking.services.availability import DeskLayoutCache, floor_availability
from booking.services.desks import office_hours, zone_info
from booking.services.intervals import Slot
from booking.settings import Settings
from tests.bench.bench_booking_data import QUERY_DAY, backend_of, bench_engine, first_floor

REQUESTS = 200
SECRET = "bench-secret"


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def measure(engine: Engine) -> dict[str, float]:
    database = Database(engine)
    floor_id = first_floor(engine)
    now = datetime.combine(QUERY_DAY, datetime.min.time(), tzinfo=UTC) - timedelta(hours=10)
    with database.transaction() as session:
        viewer = session.get(User, "p0007")
        assert viewer is not None
        token = issue_token(session, viewer, kind=TokenKind.API, key=SECRET, now=now, lifetime=timedelta(days=1))
        count = session.scalar(select(func.count()).select_from(Booking))
    app = create_app(Settings(database_url="sqlite://", secret_key=SECRET), clock=FixedClock(now), database=database)
    headers = {"Authorization": f"Bearer {token}"}
    http: list[float] = []
    with TestClient(app) as client:
        url = f"/api/floors/{floor_id}/availability?date={QUERY_DAY.isoformat()}&slot=full"
        body = client.get(url, headers=headers).json()
        assert len(body["desks"]) == 1000 and sum(d["state"] == "booked" for d in body["desks"]) >= 990
        for _ in range(REQUESTS):
            t = time.perf_counter()
            answer = client.get(url, headers=headers)
            http.append(time.perf_counter() - t)
            assert answer.status_code == 200
    service: list[float] = []
    with database.transaction(write=False) as session:
        viewer = session.get(User, "p0007")
        assert viewer is not None
        building = session.get(BuildingRow, "bench")
        assert building is not None
        interval = office_hours(building).interval(QUERY_DAY, Slot.FULL, zone_info(building.timezone))
        cache = DeskLayoutCache()
        for _ in range(REQUESTS):
            t = time.perf_counter()
            floor_availability(session, floor_id, interval=interval, viewer=viewer, now=now, cache=cache)
            service.append(time.perf_counter() - t)
    http_p50, http_p95 = percentiles(http)
    svc_p50, svc_p95 = percentiles(service)
    return {
        "bookings": float(count or 0),
        "http_p50_ms": http_p50 * 1000,
        "http_p95_ms": http_p95 * 1000,
        "service_p50_ms": svc_p50 * 1000,
        "service_p95_ms": svc_p95 * 1000,
    }


def report(engine: Engine) -> dict[str, float]:
    figures = measure(engine)
    print(
        f"\n{backend_of(engine)}: availability of 1,000 desks with {figures['bookings']:,.0f} bookings: "
        f"HTTP p50 {figures['http_p50_ms']:.1f} ms, p95 {figures['http_p95_ms']:.1f} ms; "
        f"service p50 {figures['service_p50_ms']:.1f} ms, p95 {figures['service_p95_ms']:.1f} ms"
    )
    return figures


@pytest.mark.bench
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_availability_of_a_busy_floor(backend: str) -> None:
    engine = bench_engine(backend)
    if engine is None:
        pytest.skip("PostgreSQL benchmark skipped: set FLOORWISE_TEST_POSTGRES_URL")
    try:
        figures = report(engine)
    finally:
        engine.dispose()
    assert figures["bookings"] >= 1_000_000
    assert figures["http_p95_ms"] < 50


if __name__ == "__main__":
    for name in ("sqlite", "postgresql"):
        made = bench_engine(name)
        if made is not None:
            report(made)
            made.dispose()
