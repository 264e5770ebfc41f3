"""The stack-plan editor in Chromium: drag a unit to another floor, move one by keyboard, undo, redo and save, in
English and Japanese, at a desktop's width and a phone's (375 px), against a server of its own with the demo
scenario imported; the figures after each move come from the server (POST /api/scenarios/{id}/score)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from booking.app import create_app
from booking.clock import FixedClock
from booking.database import Database
from booking.migrate import upgrade_database
from booking.models import Role
from booking.models.planning import ScenarioLayout
from booking.services.jobs import run_job
from booking.services.scenarios import import_scenario
from booking.settings import Settings
from layouts.demo import demo_scenario_text
from tests.booking.factories import NOW, make_user
from tests.booking.live import running_server
from tests.pages.browser.conftest import PASSWORD, WIDTHS, Site, has_no_sideways_scroll, log_in, new_page, shoot

pytestmark = pytest.mark.browser


class PlanSite(Site):
    scenario: int
    database: Database


@pytest.fixture(scope="module")
def plan_site(tmp_path_factory: pytest.TempPathFactory, site: Site) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("planners")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'floorwise.db'}", secret_key="browser-test-key", data_dir=folder / "data"
    )
    database = Database.from_settings(settings)
    upgrade_database(database.engine)
    with database.transaction() as session:
        make_user(session, "planner", name="計画 担当", role=Role.PLANNER, password=PASSWORD)
        make_user(session, "iin", name="委員 一人", role=Role.COMMITTEE, password=PASSWORD)
        row = import_scenario(session, demo_scenario_text().encode("utf-8"), {}, actor="planner", now=NOW)
        scenario_id = row.id
    app = create_app(settings, clock=FixedClock(NOW), database=database)
    with running_server(app) as url:
        made = PlanSite(url, {}, site.screenshots)
        made.scenario = scenario_id
        made.database = database
        yield made
    database.dispose()


def block(page: Any, floor: str, label: str) -> Any:
    return page.locator(f'.stack-row[data-floor="{floor}"] .unit-block', has_text=label)


def figure(page: Any, key: str) -> str:
    return str(page.locator(f'[data-figure="{key}"] .value').inner_text())


def settled(page: Any) -> None:
    """Wait until the server's figures for the last change are shown."""
    page.wait_for_function("!document.querySelector('[data-stack-editor]').hasAttribute('aria-busy')")


def announced(page: Any, words: str) -> str:
    """The live region's text once it says ``words`` (it is cleared, then filled 30 ms later, so that the same
    words are said again); a timeout if it never does."""
    page.wait_for_function("w => document.querySelector('[data-live]').textContent.includes(w)", arg=words)
    return str(page.locator("[data-live]").inner_text())


def saved_layouts(site: Any) -> list[tuple[str, str, dict[str, dict[str, int]]]]:
    with site.database.transaction() as session:
        rows = session.scalars(
            select(ScenarioLayout).where(ScenarioLayout.scenario_id == site.scenario).order_by(ScenarioLayout.id)
        )
        return [(r.name, r.origin, r.layout) for r in rows]


def drag(page: Any, source: Any, target: Any) -> None:
    """Press on ``source``, move to ``target`` in steps and let go, the page first scrolled to show both."""
    start, end = source.bounding_box(), target.bounding_box()
    middle = (start["y"] + end["y"] + end["height"]) / 2
    page.evaluate("y => window.scrollBy(0, y)", middle - page.viewport_size["height"] / 2)
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 10, start["y"] + start["height"] / 2 + 10, steps=3)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=8)
    page.mouse.up()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_drag_a_unit_undo_redo_and_save_in_english(browser: Any, plan_site: Any, screen: str) -> None:
    page = new_page(browser, width=WIDTHS[screen])
    log_in(page, plan_site, "planner", then=f"/planners/{plan_site.scenario}/edit")
    page.goto(f"{plan_site.url}/planners/{plan_site.scenario}/edit?layout=current")
    assert page.locator("h1").inner_text() == "Stack plan: current"
    assert figure(page, "people_moved") == "0"
    travel_before = figure(page, "travel_hours_per_week")
    # 経済課 (25 people, 20 seats on 16F) dragged to 4F, which is empty: all 25 people move
    drag(page, block(page, "16F", "経済課"), page.locator('.stack-row[data-floor="4F"] .track'))
    settled(page)
    assert block(page, "4F", "経済課").count() == 1 and block(page, "16F", "経済課").count() == 0
    assert page.locator('.stack-row[data-floor="4F"] .seats').inner_text().startswith("20 / 100")
    assert figure(page, "people_moved") == "25"
    assert figure(page, "travel_hours_per_week") != travel_before
    assert "経済課: 20 seats moved from 16F to 4F." in announced(page, "経済課: 20 seats moved from 16F to 4F.")
    assert has_no_sideways_scroll(page)
    shoot(page, plan_site, f"editor-dragged-{screen}")
    page.get_by_role("button", name="Undo").click()
    settled(page)
    assert block(page, "16F", "経済課").count() == 1
    assert figure(page, "people_moved") == "0" and figure(page, "travel_hours_per_week") == travel_before
    page.get_by_role("button", name="Redo").click()
    settled(page)
    assert block(page, "4F", "経済課").count() == 1 and figure(page, "people_moved") == "25"
    name = f"keizai-low-{screen}"
    page.fill("#save-name", name)
    page.get_by_role("button", name="Save as a new layout").click()
    page.wait_for_url(re.compile(rf"layout={name}&saved=1$"))
    assert f"Saved as {name}." in page.locator(".notice").inner_text()
    saved = {n: (origin, layout) for n, origin, layout in saved_layouts(plan_site)}
    assert saved[name][0] == "edited" and saved[name][1]["kumin.keizai"] == {"4F": 20}
    page.context.close()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_move_by_keyboard_in_japanese_and_save_a_proposal(browser: Any, plan_site: Any, screen: str) -> None:
    page = new_page(browser, width=WIDTHS[screen], lang="ja-JP")
    log_in(page, plan_site, "iin", then=f"/planners/{plan_site.scenario}/edit")
    page.goto(f"{plan_site.url}/planners/{plan_site.scenario}/edit?layout=current")
    assert page.locator("h1").inner_text() == "スタッキング：current"
    # 子ども施策推進課 (20 people, 16 seats on 14F): Tab to it, Enter, down the floors to 10F (14F 13F 12F 11F 10F)
    target = block(page, "14F", "子ども施策推進課")
    target.focus()
    page.keyboard.press("Enter")
    assert target.get_attribute("aria-pressed") == "true"
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    assert page.locator(".stack-row.target").get_attribute("data-floor") == "10F"
    page.keyboard.press("Enter")
    settled(page)
    moved = block(page, "10F", "子ども施策推進課")
    assert moved.count() == 1
    assert moved.evaluate("b => b === document.activeElement")
    assert figure(page, "people_moved") == "20"
    live = announced(page, "子ども施策推進課：16 席を 14F から 10F へ移動しました。")
    assert "移動時間" in live
    assert page.locator('.stack-row[data-floor="10F"] .seats').inner_text().startswith("88 / 120")
    assert has_no_sideways_scroll(page)
    box = moved.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    shoot(page, plan_site, f"editor-keyboard-ja-{screen}")
    page.keyboard.press("Control+z")
    settled(page)
    assert block(page, "14F", "子ども施策推進課").count() == 1 and figure(page, "people_moved") == "0"
    page.keyboard.press("Control+y")
    settled(page)
    assert block(page, "10F", "子ども施策推進課").count() == 1
    name = f"suishin-10f-{screen}"
    page.fill("#save-name", name)
    page.get_by_role("button", name="提案として保存").click()
    page.wait_for_url(re.compile(rf"layout={name}&saved=1$"))
    assert f"{name} として保存しました。" in page.locator(".notice").inner_text()
    saved = {n: (origin, layout) for n, origin, layout in saved_layouts(plan_site)}
    assert saved[name][0] == "proposal" and saved[name][1]["kodomo.suishin"] == {"10F": 16}
    page.context.close()


def test_a_floor_past_its_seats_shows_red_and_waits_for_the_next_move(browser: Any, plan_site: Any) -> None:
    page = new_page(browser, width=WIDTHS["desktop"])
    log_in(page, plan_site, "planner", then=f"/planners/{plan_site.scenario}/edit")
    page.goto(f"{plan_site.url}/planners/{plan_site.scenario}/edit?layout=current")
    # 戸籍住民課's 60 seats onto 3F (60 seats, 50 used): 110 of 60
    drag(page, block(page, "2F", "戸籍住民課"), page.locator('.stack-row[data-floor="3F"] .track'))
    settled(page)
    row = page.locator('.stack-row[data-floor="3F"]')
    assert "over" in (row.get_attribute("class") or "")
    assert row.locator(".seats").inner_text().startswith("110 / 60 (+50 over)")
    assert "puts 110 seats on 3F, which has 60" in page.locator("[data-problem]").inner_text()
    assert figure(page, "travel_hours_per_week") == "–"
    shoot(page, plan_site, "editor-over-capacity")
    page.get_by_role("button", name="Undo").click()
    settled(page)
    assert page.locator("[data-problem]").is_hidden()
    assert figure(page, "people_moved") == "0"
    page.context.close()


@pytest.mark.parametrize("path", ["", "/units", "/relations", "/constraints"])
def test_the_scenario_pages_fit_a_phone(browser: Any, plan_site: Any, path: str) -> None:
    page = new_page(browser, width=WIDTHS["phone"])
    log_in(page, plan_site, "planner", then="/planners")
    page.goto(f"{plan_site.url}/planners/{plan_site.scenario}{path}")
    assert page.locator("h1").count() == 1
    assert has_no_sideways_scroll(page)
    shoot(page, plan_site, f"planners-phone{path.replace('/', '-')}")
    page.context.close()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_run_shows_its_progress_live_and_its_layout_when_done(browser: Any, plan_site: Any, screen: str) -> None:
    """The page queues a run; a worker (here a thread of the test, as `floorwise serve`'s pool would) runs it for
    the 5 s it was given; the page, polling, shows it running, then reloads with its layout listed."""
    page = new_page(browser, width=WIDTHS[screen])
    log_in(page, plan_site, "planner", then=f"/planners/{plan_site.scenario}")
    page.select_option("#opt-from", "current")
    page.select_option("#time-limit", "5")
    page.get_by_role("button", name="Run the optimiser").click()
    page.wait_for_url(re.compile(r"queued=\d+"))
    job_id = int(re.search(r"queued=(\d+)", page.url).group(1))  # type: ignore[union-attr]
    assert "Waiting for a worker." in page.locator(f"#job-{job_id}").inner_text()
    worker = threading.Thread(target=run_job, args=(plan_site.database, job_id), kwargs={"clock": FixedClock(NOW)})
    worker.start()
    page.wait_for_function(
        f"(document.querySelector('#job-{job_id}') || {{}}).textContent.includes('Running')", timeout=60_000
    )
    shoot(page, plan_site, f"planners-job-running-{screen}")
    worker.join(120)
    page.wait_for_function(f"document.querySelector('#job-{job_id}.done') !== null", timeout=10_000)
    assert f"optimised-{job_id}" in page.locator("table.layout-list").inner_text()
    assert page.locator(".notice").count() == 0  # "queued" no longer
    assert has_no_sideways_scroll(page)
    shoot(page, plan_site, f"planners-job-done-{screen}")
    page.context.close()
