"""The demo loaded by `floorwise serve --demo`: once, deterministic, with something on every page."""

from __future__ import annotations

import itertools

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.demo import ADMIN_LOGIN, DEMO_PASSWORD, load_demo
from booking.models import Booking, BuildingRow, DeskRow, Role, Unit, User, Zone
from booking.services.accounts import authenticate
from tests.booking.factories import NOW


def _bookings(db: Session) -> list[tuple[int, str, str]]:
    rows = db.execute(select(Booking.desk_id, Booking.user_id, Booking.start_utc).order_by(Booking.id)).all()
    return [(d, u, s.isoformat()) for d, u, s in rows]


def test_the_demo_loads_once_and_the_same_way_each_time(db: Session) -> None:
    report = load_demo(db, now=NOW, seed=7)
    assert report.created
    assert db.get(BuildingRow, "bunkyo-civic-centre") is not None
    assert db.scalar(select(func.count()).select_from(DeskRow)) == 2220
    assert db.scalar(select(func.count()).select_from(Unit)) == 17
    assert report.people == db.scalar(select(func.count()).select_from(User)) == 553  # 552 staff and the admin
    managers = db.scalar(select(func.count()).select_from(User).where(User.role == Role.MANAGER.value))
    assert managers == 14  # one per section
    assert db.scalar(select(func.count()).select_from(Zone)) == 2
    assert report.bookings == db.scalar(select(func.count()).select_from(Booking)) > 3000
    # nobody holds two desks at once, and no desk is booked twice at once
    rows = db.execute(select(Booking.desk_id, Booking.user_id, Booking.start_utc, Booking.end_utc)).all()
    for key in (0, 1):
        spans: dict[object, list[tuple[object, object]]] = {}
        for row in rows:
            spans.setdefault(row[key], []).append((row[2], row[3]))
        for held in spans.values():
            held.sort()
            assert all(a[1] <= b[0] for a, b in itertools.pairwise(held))
    first = _bookings(db)
    again = load_demo(db, now=NOW, seed=7)
    assert not again.created and _bookings(db) == first
    assert next(login.user_id for login in again.logins) == ADMIN_LOGIN
    assert authenticate(db, report.logins[1].user_id, DEMO_PASSWORD) is not None


def test_the_same_seed_gives_the_same_bookings(engine) -> None:  # type: ignore[no-untyped-def]
    made = []
    for _ in range(2):
        connection = engine.connect()
        outer = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        load_demo(session, now=NOW, seed=3)
        made.append(_bookings(session))
        session.close()
        outer.rollback()
        connection.close()
    assert made[0] == made[1]


def test_serve_demo_sets_up_the_database_once_and_prints_the_logins(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from booking.cli.server import prepare_demo
    from booking.settings import Settings

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}", data_dir=tmp_path / "data")
    prepare_demo(settings)
    first = capsys.readouterr().out
    assert "demo loaded in" in first and "553 people" in first and "floorwise-demo" in first and "admin" in first
    assert not (tmp_path / "data").exists()  # the plan is stored with the desks
    prepare_demo(settings)
    second = capsys.readouterr().out
    assert "the demo is loaded already; nothing changed" in second and "admin" in second
