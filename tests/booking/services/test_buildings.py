"""A person's home building on a site of two: the main building "main" (8 desks, Asia/Tokyo) and an annex "annex"
(2 desks, given Asia/Seoul so that its time zone can be told apart), whose id sorts first. Loading the annex must
not move anyone's default to it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from booking.errors import NotFound
from booking.models import Booking, Zone
from booking.services.buildings import home_building, home_timezone
from tests.booking.factories import NOW, desk, make_building, make_unit, make_user


@pytest.fixture
def site(db: Session) -> Session:
    make_building(db, building_id="main", floors=2, desks=4, hourly_desks=0)
    make_building(db, building_id="annex", timezone="Asia/Seoul", desks=2, hourly_desks=0)
    make_unit(db, "fukushi")
    make_unit(db, "fukushi.kosodate", parent="fukushi")
    return db


def test_nothing_loaded(db: Session) -> None:
    with pytest.raises(NotFound):
        home_building(db, make_user(db))
    assert home_timezone(db, make_user(db, "b")) == "Asia/Tokyo"


def test_without_any_tie_the_largest_building(site: Session) -> None:
    assert home_building(site).id == "main"  # 8 desks against 2, though "annex" sorts first
    assert home_building(site, make_user(site, "nobody")).id == "main"


def test_asked_for_explicitly(site: Session) -> None:
    assert home_building(site, make_user(site), "annex").id == "annex"
    with pytest.raises(NotFound, match="no building 'elsewhere'"):
        home_building(site, None, "elsewhere")


def test_a_zone_of_the_unit_or_the_nearest_unit_above(site: Session) -> None:
    user = make_user(site, "ito", unit="fukushi.kosodate")
    site.add(Zone(building_id="annex", name="welfare", unit_id="fukushi", weekdays=[0, 1]))
    site.flush()
    assert home_building(site, user).id == "annex"  # the department's zone, one unit up
    assert home_timezone(site, user) == "Asia/Seoul"
    site.add(Zone(building_id="main", name="childcare", unit_id="fukushi.kosodate", weekdays=[2]))
    site.flush()
    assert home_building(site, user).id == "main"  # the section's own zone is nearer


def test_a_fixed_desk_then_the_latest_booking(site: Session) -> None:
    user = make_user(site, "kato")
    annex_desk = desk(site, "1F-D1", "annex")
    start = NOW + timedelta(days=1)
    site.add(
        Booking(desk_id=annex_desk.id, user_id="kato", start_utc=start, end_utc=start + timedelta(hours=3),
                created_at=NOW)
    )  # fmt: skip
    site.flush()
    assert home_building(site, user).id == "annex"
    main_desk = desk(site, "2F-D3", "main")
    main_desk.owner_id = "kato"
    site.flush()
    assert home_building(site, user).id == "main"  # an owned desk comes before bookings
