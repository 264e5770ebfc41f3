"""The report pages and the suggestions on the booking map in Chromium, at a desktop's width and a phone's, on the
generated quarter (`tests.booking.analytics.quarter`); a screenshot of each is kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import update

from booking.app import create_app
from booking.clock import FixedClock
from booking.database import Database
from booking.migrate import upgrade_database
from booking.models import Role, User
from booking.services.accounts import hash_password
from booking.services.bookings import book_desk
from booking.settings import Settings
from tests.booking.analytics.quarter import planted_office
from tests.booking.factories import NOW, desk, make_user
from tests.booking.live import running_server
from tests.pages.browser.conftest import PASSWORD, WIDTHS, Site, has_no_sideways_scroll, log_in, new_page, shoot

pytestmark = pytest.mark.browser
PERIOD = "since=2026-01-05&until=2026-03-27"
APRIL_1 = date(2026, 4, 1)


@pytest.fixture(scope="module")
def quarter_site(tmp_path_factory: pytest.TempPathFactory, site: Site) -> Iterator[Site]:
    """A server of its own with the quarter, an admin, three of pair A booked on 1 April (1F-E01..E03, in pair A's
    zone E01..E06) and one of pair B beside them (E07)."""
    folder = tmp_path_factory.mktemp("reports")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'floorwise.db'}", secret_key="browser-test-key", data_dir=folder / "data"
    )
    database = Database.from_settings(settings)
    upgrade_database(database.engine)
    with database.transaction() as session:
        planted_office(session)
        make_user(session, "admin", name="施設 管理者", role=Role.ADMIN, password=PASSWORD)
        session.execute(
            update(User).where(User.id.in_(["pair_a0", "pair_a5"])).values(password_hash=hash_password(PASSWORD))
        )
        for person, ref in (("pair_a1", "1F-E01"), ("pair_a2", "1F-E02"), ("pair_a3", "1F-E03"), ("pair_b1", "1F-E07")):
            user = session.get(User, person)
            assert user is not None
            book_desk(session, user=user, desk_id=desk(session, ref, "office").id, now=NOW, day=APRIL_1, slot="full")
    app = create_app(settings, clock=FixedClock(NOW), database=database)
    with running_server(app) as url:
        yield Site(url, {}, site.screenshots)
    database.dispose()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_report_page(browser: Any, quarter_site: Site, screen: str) -> None:
    page = new_page(browser, width=WIDTHS[screen])
    log_in(page, quarter_site, "admin", then="/reports")
    page.goto(f"{quarter_site.url}/reports?{PERIOD}")
    assert page.locator("h1").inner_text() == "Occupancy and attendance"
    charts = page.locator("figure.chart svg")
    assert charts.count() == 3
    for i in range(3):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] <= WIDTHS[screen]
    assert page.get_by_text(re.compile("★ Pair A and Pair B")).count() == 1
    assert has_no_sideways_scroll(page)
    shoot(page, quarter_site, f"reports-{screen}")
    page.context.close()


def test_the_report_page_in_japanese_for_a_manager(browser: Any, quarter_site: Site) -> None:
    page = new_page(browser, width=WIDTHS["phone"], lang="ja-JP")
    log_in(page, quarter_site, "pair_a0", then="/reports")
    page.goto(f"{quarter_site.url}/reports?{PERIOD}")
    assert page.locator("h1").inner_text() == "座席の利用状況"
    assert page.locator("figure.chart svg").count() == 1  # the units chart: no building-wide sections
    assert page.locator("table.heat thead th").count() == 1 + 6  # pair A and the five sections it is compared with
    assert has_no_sideways_scroll(page)
    shoot(page, quarter_site, "reports-manager-ja-phone")
    page.context.close()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_suggestions_on_the_map(browser: Any, quarter_site: Site, screen: str) -> None:
    page = new_page(browser, width=WIDTHS[screen])
    log_in(page, quarter_site, "pair_a5", then="/book?date=2026-04-01&slot=full")
    items = page.locator("section.suggestions li")
    assert items.count() == 5
    # one space: the walk decides. Weights from co-attendance: the team 5 x 6 = 30 trips, pair B about 38. E06 (x 31)
    # is 10, 8, 6 m from the team (x 21, 23, 25) and 2 m from pair B (x 33): (30 * 8 + 38 * 2) / 68 = 4.6 m; E05
    # 4.9 m, E04 5.1 m
    assert items.first.inner_text().startswith("1F-E06 (1F)")
    assert page.locator("#desk-1F-E06").get_attribute("data-suggested") == "1"
    assert page.locator("#desk-1F-E05").get_attribute("data-suggested") == "2"
    assert page.locator(".floor-map .suggestions circle").count() == 5
    assert has_no_sideways_scroll(page)
    shoot(page, quarter_site, f"book-suggested-{screen}")
    items.first.locator("a").click()
    page.wait_for_url(re.compile(r"/desks/\d+"))
    assert "1F-E06" in page.locator("main").inner_text()
    page.context.close()
