"""A real browser against a real server: uvicorn on a free port of 127.0.0.1 serving the app on a temporary SQLite
database (a two-floor building, people, rules), with the clock fixed at NOW; Debian's Chromium driven by
Playwright. Screenshots of each page go to FLOORWISE_SCREENSHOTS (default: a folder under pytest's tmp path).

Skipped, saying why, where Playwright or Chromium is missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from booking.app import create_app
from booking.clock import FixedClock
from booking.database import Database
from booking.migrate import upgrade_database
from booking.models import Role
from booking.services.bookings import book_desk
from booking.settings import Settings
from tests.booking.factories import NOW, desk, make_building, make_unit, make_user
from tests.booking.live import running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "correct horse battery"
WIDTHS = {"desktop": 1280, "phone": 375}
TODAY, APRIL_1, APRIL_2 = date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 2)

try:
    from playwright import sync_api
except ImportError:  # the dev extras bring it
    sync_api = None


@dataclass
class Site:
    url: str
    desks: dict[str, int]
    screenshots: Path


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("browser")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'floorwise.db'}", secret_key="browser-test-key", data_dir=folder / "data"
    )
    database = Database.from_settings(settings)
    upgrade_database(database.engine)
    shape = {"floors": 2, "desks": 8, "attributes": {"1F-D1": {"monitor": True}, "1F-D2": {"standing": True}}}
    with database.transaction() as session:
        make_building(session, **shape)
        make_unit(session, "koseki", name="戸籍住民課")
        make_unit(session, "zeimu", name="税務課")
        sato = make_user(session, "sato", name="佐藤 花子", unit="koseki", password=PASSWORD)
        tanaka = make_user(session, "tanaka", name="田中 一郎", unit="koseki", password=PASSWORD)
        make_user(session, "admin", name="施設 管理者", role=Role.ADMIN, password=PASSWORD)
        # 田中 has 1F-D2 on 1 April; 佐藤 has 1F-D5 today (31 March), to check in to, and 1F-D6 on 2 April
        for person, ref, day in ((tanaka, "1F-D2", APRIL_1), (sato, "1F-D5", TODAY), (sato, "1F-D6", APRIL_2)):
            book_desk(session, user=person, desk_id=desk(session, ref).id, now=NOW, day=day, slot="full")
        desks = {d: desk(session, d).id for d in ("1F-D1", "1F-D2", "1F-D3", "1F-D5", "1F-D6")}
    shots = Path(os.environ.get("FLOORWISE_SCREENSHOTS") or folder / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"browser screenshots: {shots}")
    app = create_app(settings, clock=FixedClock(NOW), database=database)
    with running_server(app) as url:
        yield Site(url, desks, shots)
    database.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if sync_api is None:
        pytest.skip("Playwright is not installed: pip install -e '.[dev]'")
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium fonts-noto-cjk")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def new_page(browser: Any, *, width: int = 1280, lang: str = "en-US") -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    return context.new_page()


def log_in(page: Any, site: Site, user: str, *, then: str = "/book") -> None:
    page.goto(f"{site.url}/login?next={then}")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()


def shoot(page: Any, site: Site, name: str) -> Path:
    path = site.screenshots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def has_no_sideways_scroll(page: Any) -> bool:
    width = page.evaluate("document.documentElement.scrollWidth")
    return bool(width <= page.viewport_size["width"])
