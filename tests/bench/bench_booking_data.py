"""Large booking databases for the booking benchmarks: made once per backend and kept (a marker row says so).

Two floors of 1,000 desks, 2,000 people (person i always at desk i, so no one holds two desks at once), and a
booking for every desk on every day of 500 days: full day, morning or afternoon by turns (1,000,000 bookings).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, insert, select, text
from sqlalchemy.engine import make_url

from booking.database import Database, make_engine, normalise_url
from booking.migrate import upgrade_database
from booking.models import Booking, BuildingRow, DeskRow, FloorRow, User
from booking.services.loading import load_building
from tests.booking.factories import NOW, floorplan_building

DESKS_PER_FLOOR = 1000
FLOORS = 2
DAYS = 500
FIRST_DAY = date(2025, 1, 1)
#: The day availability is asked for: in the middle of the bookings.
QUERY_DAY = FIRST_DAY + timedelta(days=DAYS // 2)
TOKYO = ZoneInfo("Asia/Tokyo")
BOOKINGS = DESKS_PER_FLOOR * FLOORS * DAYS


def bench_url(backend: str, *, file: str = "bookings-1m.db", database: str = "floorwise_bench") -> str | None:
    """SQLite: ``file`` in the temporary folder's floorwise-bench/ (or FLOORWISE_BENCH_DIR). PostgreSQL: ``database``
    on the server of FLOORWISE_TEST_POSTGRES_URL, created if missing; None when that is unset."""
    if backend == "sqlite":
        folder = Path(os.environ.get("FLOORWISE_BENCH_DIR", Path(tempfile.gettempdir()) / "floorwise-bench"))
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder.resolve() / file}"
    base = os.environ.get("FLOORWISE_TEST_POSTGRES_URL")
    if not base:
        return None
    url = normalise_url(base)
    admin = make_engine(url, pool_size=1).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}) is None:
            conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def bench_engine(
    backend: str,
    *,
    make: Callable[[Engine], None] | None = None,
    file: str = "bookings-1m.db",
    database: str = "floorwise_bench",
    pool_size: int = 25,
) -> Engine | None:
    """The benchmark's database, filled by ``make`` (default: `make_bookings`) the first time; kept between runs
    (building "bench" marks it made)."""
    url = bench_url(backend, file=file, database=database)
    if url is None:
        return None
    engine = make_engine(url, pool_size=pool_size)
    upgrade_database(engine)
    with Database(engine).transaction(write=False) as session:
        if session.get(BuildingRow, "bench") is not None:
            return engine
    (make or make_bookings)(engine)
    return engine


def _slot(i: int, day: date) -> tuple[datetime, datetime]:
    opens, noon, closes = time(8, 30), time(12, 0), time(17, 15)
    start, end = [(opens, closes), (opens, noon), (noon, closes)][i % 3]
    return (
        datetime.combine(day, start, tzinfo=TOKYO).astimezone(UTC),
        datetime.combine(day, end, tzinfo=TOKYO).astimezone(UTC),
    )


def make_bookings(engine: Engine) -> None:
    database = Database(engine)
    with database.transaction() as session:
        building = floorplan_building(building_id="bench", floors=FLOORS, desks=DESKS_PER_FLOOR, hourly_desks=0)
        load_building(session, building, now=NOW, actor="bench")
        row = session.get(BuildingRow, "bench")
        assert row is not None
        row.closed_weekdays, row.holiday_country, row.days_ahead = [], None, 1000
        desks = list(session.scalars(select(DeskRow.id).order_by(DeskRow.id)))
        session.execute(
            insert(User),
            [
                {"id": f"p{i:04d}", "name": f"Person {i}", "search_key": f"person {i}", "created_at": NOW}
                for i in range(len(desks))
            ],
        )
    rows = (
        (desk_id, f"p{i:04d}", *_slot(i + d, FIRST_DAY + timedelta(days=d)), "booked", True, NOW)
        for d in range(DAYS)
        for i, desk_id in enumerate(desks)
    )
    columns = ("desk_id", "user_id", "start_utc", "end_utc", "state", "exclusive", "created_at")
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            with cursor.copy(f"COPY bookings ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for values in rows:
                    copy.write_row(values)
            raw.commit()
            cursor.execute("ANALYZE bookings")
            raw.commit()
        finally:
            raw.close()
        return
    chunk: list[dict[str, object]] = []
    with engine.begin() as conn:
        for values in rows:
            chunk.append(dict(zip(columns, values, strict=True)))
            if len(chunk) == 50_000:
                conn.execute(insert(Booking), chunk)
                chunk = []
        if chunk:
            conn.execute(insert(Booking), chunk)
        conn.exec_driver_sql("ANALYZE")


def first_floor(engine: Engine) -> int:
    with Database(engine).transaction(write=False) as session:
        floor_id = session.scalar(select(FloorRow.id).where(FloorRow.building_id == "bench", FloorRow.ref == "1F"))
        assert floor_id is not None
        return floor_id


def backend_of(engine: Engine) -> str:
    return make_url(str(engine.url)).get_backend_name()
