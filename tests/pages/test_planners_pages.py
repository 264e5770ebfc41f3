"""Planners' pages: the demo comparison (the report's figures and the report itself), uploads, the optimiser."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest

from booking.pages import planning
from booking.settings import Settings
from layouts.layout import Layout
from layouts.scenario import Scenario
from tests.pages.conftest import token_of


def test_the_demo_scenario_compares_its_layouts(client, office, log_in) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    response = client.get("/planners/demo")
    assert response.template.name == "planners/scenario.html"  # type: ignore[attr-defined]
    names = [s.name for s in response.context["layouts"]]  # type: ignore[attr-defined]
    assert names == ["current", "low-rise", "fukushi-high"]
    assert response.context["comparison"].baseline == "current"  # type: ignore[attr-defined]
    assert '<iframe class="report-frame" src="/planners/demo/report"' in response.text
    report = client.get("/planners/demo/report", headers={"Accept-Language": "ja"})
    assert report.status_code == 200 and '<html lang="ja">' in report.text and "fukushi-high" in report.text


def test_an_uploaded_scenario_with_a_mistake_lists_it(client, office, log_in, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    broken = b"name: x\nbuilding: demo\nunits:\n  - {id: a, headcount: 3}\nlayouts:\n  now: {b: {2F: 3}}\n"
    response = client.post(
        "/planners/open",
        data={"csrf_token": token_of(client, settings)},
        files={"scenario": ("mine.yaml", io.BytesIO(broken), "application/yaml")},
    )
    assert response.status_code == 422
    assert response.context["problems"]  # type: ignore[attr-defined]
    assert not any((settings.data_dir / "scenarios").glob("*/scenario.yaml"))


def test_an_uploaded_scenario_opens(client, office, log_in, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    text = (
        b"name: two floors\n"
        b"building: {floors: [{name: 1F, level: 0, seats: 40}, {name: 2F, level: 1, seats: 40}],"
        b" cores: [{id: s, kind: stair, levels: [0, 1]}]}\n"
        b"units:\n  - {id: a, headcount: 10}\n  - {id: b, headcount: 10}\n"
        b"relations:\n  - [a, b, 20]\n"
        b"layouts:\n  apart: {a: {1F: 8}, b: {2F: 8}}\n  together: {a: {1F: 8}, b: {1F: 8}}\n"
    )
    response = client.post(
        "/planners/open",
        data={"csrf_token": token_of(client, settings)},
        files={"scenario": ("two.yaml", io.BytesIO(text), "application/yaml")},
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert [s.name for s in page.context["layouts"]] == ["apart", "together"]  # type: ignore[attr-defined]


@dataclass
class FakeResult:
    scenario: Scenario
    layout: Layout
    score: float


def test_the_optimisers_layout_is_added_beside_the_others(
    client, office, log_in, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    asked: dict[str, Any] = {}

    def optimize_scenario(scenario: Scenario, **options: Any) -> FakeResult:
        asked.update(options)
        layout = Layout(options["name"], scenario.layouts["low-rise"].seats)
        return FakeResult(scenario, layout, 0.0)

    monkeypatch.setattr(planning, "optimiser", lambda: optimize_scenario)
    log_in(office["sato"])
    response = client.post(
        "/planners/demo/optimise", data={"time_limit": "5", "csrf_token": token_of(client, settings)}
    )
    assert response.status_code == 303 and response.headers["location"] == "/planners/demo?ran=optimised"
    assert asked == {"time_limit": 5.0, "seed": 0, "name": "optimised", "workers": 1}
    page = client.get(response.headers["location"])
    assert [s.name for s in page.context["layouts"]][-1] == "optimised"  # type: ignore[attr-defined]
    assert page.context["ran"] == "optimised"  # type: ignore[attr-defined]


def test_without_the_optimiser_the_page_says_so(client, office, log_in, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(planning, "optimiser", lambda: None)
    log_in(office["sato"])
    page = client.get("/planners/demo")
    assert page.context["has_optimiser"] is False  # type: ignore[attr-defined]
    assert "The optimiser is not available in this installation." in page.text


def test_the_real_optimiser_runs_from_the_page(client, office, log_in, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    if planning.optimiser() is None:
        pytest.skip("layouts.optimize.stacking is not in this installation")
    log_in(office["sato"])
    text = (
        b"name: two floors\n"
        b"building: {floors: [{name: 1F, level: 0, seats: 40}, {name: 2F, level: 1, seats: 40}],"
        b" cores: [{id: s, kind: stair, levels: [0, 1]}]}\n"
        b"units:\n  - {id: a, headcount: 10}\n  - {id: b, headcount: 10}\n"
        b"relations:\n  - [a, b, 20]\n"
        b"layouts:\n  apart: {a: {1F: 8}, b: {2F: 8}}\n"
    )
    opened = client.post(
        "/planners/open",
        data={"csrf_token": token_of(client, settings)},
        files={"scenario": ("two.yaml", io.BytesIO(text), "application/yaml")},
    )
    scenario_id = opened.headers["location"].rsplit("/", 1)[-1]
    ran = client.post(
        f"/planners/{scenario_id}/optimise", data={"time_limit": "1", "csrf_token": token_of(client, settings)}
    )
    assert ran.status_code == 303, ran.text
    page = client.get(ran.headers["location"])
    layouts = {s.name: s for s in page.context["layouts"]}  # type: ignore[attr-defined]
    assert set(layouts) == {"apart", "optimised"}
    travel = page.context["figure_rows"][0].cells  # type: ignore[attr-defined]
    assert float(travel[1].value) < float(travel[0].value)  # together on one floor: less travel than apart
