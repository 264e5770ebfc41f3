"""Planners' pages on the database: who may open them (staff 403, the committee reads, planners edit), importing
the demo and an uploaded scenario, the stack-plan editor without its script (a move, the seat check, saving), and
the pages that edit units, relations and constraints."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.models import Role, User
from booking.models.planning import PlanningJob, ScenarioLayout, ScenarioRow
from booking.services.scenario_cache import SCENARIOS
from booking.settings import Settings
from tests.booking.factories import make_user
from tests.pages.conftest import token_of

TWO_FLOORS = (
    b"name: two floors\n"
    b"building: {floors: [{name: 1F, level: 0, seats: 40}, {name: 2F, level: 1, seats: 40}],"
    b" cores: [{id: s, kind: stair, levels: [0, 1]}]}\n"
    b"units:\n  - {id: a, name: Alpha, headcount: 10}\n  - {id: b, name: Beta, headcount: 10}\n"
    b"relations:\n  - [a, b, 20]\n"
    b"layouts:\n  apart: {a: {1F: 8}, b: {2F: 8}}\n  together: {a: {1F: 8}, b: {1F: 8}}\n"
)


@pytest.fixture(autouse=True)
def forget_scenarios() -> Iterator[None]:
    """Rolled-back tests reuse scenario ids under a frozen clock: start each with the cache empty."""
    SCENARIOS.clear()
    yield
    SCENARIOS.clear()


@pytest.fixture
def people(db: Session, office: dict[str, User]) -> dict[str, User]:
    made = {
        "planner": make_user(db, "planner", name="計画 担当", role=Role.PLANNER),
        "committee": make_user(db, "iin", name="委員 一人", role=Role.COMMITTEE),
        "kacho": make_user(db, "kacho", name="課長", role=Role.MANAGER, unit="koseki"),
    }
    db.commit()
    return {**office, **made}


def _post(client: TestClient, settings: Settings, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    return client.post(url, data={"csrf_token": token_of(client, settings), **(data or {})}, **kw)


def _demo(client: TestClient, settings: Settings) -> int:
    response = _post(client, settings, "/planners/demo")
    assert response.status_code == 303, response.text
    found = re.fullmatch(r"/planners/(\d+)\?imported=1", response.headers["location"])
    assert found is not None
    return int(found.group(1))


def _move(layout: dict[str, dict[str, int]], unit: str, place: str, to: str) -> dict[str, str]:
    """The move form's fields (the page without its script) for ``unit``'s seats on ``place`` to ``to``."""
    return {"layout": json.dumps(layout), "base": "current", "block": json.dumps([unit, place]), "to_floor": to}


def _hidden_layout(page: str) -> dict[str, dict[str, int]]:
    found = re.search(r'<form method="post" action="/planners/\d+/edit".*?name="layout" value="([^"]*)"', page, re.S)
    assert found is not None
    layout: dict[str, dict[str, int]] = json.loads(html.unescape(found.group(1)))
    return layout


@pytest.mark.parametrize("who", ["sato", "kacho"])
def test_staff_and_managers_get_403_and_no_menu_item(client, people, log_in, settings, who: str) -> None:  # type: ignore[no-untyped-def]
    log_in(people[who])
    assert client.get("/planners").status_code == 403
    assert 'href="/planners"' not in client.get("/mine").text
    assert _post(client, settings, "/planners/demo").status_code == 403
    assert client.get("/planners/1/edit").status_code == 403


def test_the_committee_reads_and_compares_but_does_not_change_the_scenario(  # type: ignore[no-untyped-def]
    client, people, log_in, settings, db: Session
) -> None:
    log_in(people["planner"])
    scenario_id = _demo(client, settings)
    log_in(people["committee"])
    index = client.get("/planners")
    assert index.status_code == 200 and 'href="/planners"' in index.text
    assert "区民部・子ども家庭部・福祉部 (demo)" in index.text
    assert 'action="/planners/demo"' not in index.text and 'action="/planners/import"' not in index.text
    page = client.get(f"/planners/{scenario_id}")
    assert page.status_code == 200
    assert [c.name for c in page.context["columns"]] == ["current", "low-rise", "fukushi-high"]  # type: ignore[attr-defined]
    assert f'href="/planners/{scenario_id}/units"' not in page.text
    assert f'action="/planners/{scenario_id}/optimise"' not in page.text
    assert client.get(f"/planners/{scenario_id}/units").status_code == 403
    before = db.get(ScenarioRow, scenario_id)
    assert before is not None
    units_before = json.dumps(before.document["units"])
    refused = _post(client, settings, f"/planners/{scenario_id}/units", {"headcount.kumin.zeimu": "99"})
    assert refused.status_code == 403
    db.expire_all()
    after = db.get(ScenarioRow, scenario_id)
    assert after is not None and json.dumps(after.document["units"]) == units_before
    assert client.get(f"/planners/{scenario_id}/edit").status_code == 200


def test_a_planner_imports_the_demo_with_its_layouts(client, people, log_in, settings) -> None:  # type: ignore[no-untyped-def]
    log_in(people["planner"])
    scenario_id = _demo(client, settings)
    page = client.get(f"/planners/{scenario_id}?imported=1")
    assert page.status_code == 200
    layouts = page.context["layouts"]  # type: ignore[attr-defined]
    assert [(lay["name"], lay["origin"], lay["author"]) for lay in layouts] == [
        ("current", "imported", "planner"),
        ("low-rise", "imported", "planner"),
        ("fukushi-high", "imported", "planner"),
    ]
    assert "2026" in layouts[0]["time"]  # NOW, 31 March 2026, in Japan's time
    exported = client.get(f"/planners/{scenario_id}/export")
    assert exported.status_code == 200 and "fukushi-high:" in exported.text
    report = client.get(f"/planners/{scenario_id}/report", headers={"Accept-Language": "ja"})
    assert report.status_code == 200 and '<html lang="ja">' in report.text


def test_an_uploaded_scenario_is_imported_and_a_mistake_is_listed(  # type: ignore[no-untyped-def]
    client, people, log_in, settings, db: Session
) -> None:
    log_in(people["planner"])
    files = {"scenario": ("two.yaml", io.BytesIO(TWO_FLOORS), "application/yaml")}
    response = _post(client, settings, "/planners/import", files=files)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert [lay["name"] for lay in page.context["layouts"]] == ["apart", "together"]  # type: ignore[attr-defined]
    count = len(db.scalars(select(ScenarioRow)).all())
    naming = TWO_FLOORS.replace(b"building: {floors", b"building: ../secret.geojson\nx: {floors")
    refused = _post(client, settings, "/planners/import", files={"scenario": ("bad.yaml", io.BytesIO(naming))})
    assert refused.status_code == 422
    assert refused.context["problems"]  # type: ignore[attr-defined]
    assert len(db.scalars(select(ScenarioRow)).all()) == count


def test_the_editor_moves_a_unit_without_the_script_and_checks_the_seats(  # type: ignore[no-untyped-def]
    client, people, log_in, settings
) -> None:
    log_in(people["planner"])
    scenario_id = _demo(client, settings)
    page = client.get(f"/planners/{scenario_id}/edit?layout=current")
    assert page.status_code == 200
    layout = _hidden_layout(page.text)
    assert layout["kumin.zeimu"] == {"3F": 24, "8F": 20}
    # 税務課's 20 seats on 8F to 3F: 3F then holds 区民課 26 + 税務課 44 = 70 of its 60 seats
    moved = _post(
        client,
        settings,
        f"/planners/{scenario_id}/edit",
        {"layout": json.dumps(layout), "base": "current", "block": '["kumin.zeimu", "8F"]', "to_floor": "3F"},
    )
    assert moved.status_code == 200
    after = _hidden_layout(moved.text)
    assert after["kumin.zeimu"] == {"3F": 44}
    rows = {r.name: r for r in moved.context["rows"]}  # type: ignore[attr-defined]
    assert (rows["3F"].used, rows["3F"].capacity, rows["3F"].over) == (70, 60, 10)
    assert rows["8F"].used == 36
    assert "70 / 60 (+10 over)" in moved.text
    # a floor past its seats cannot be scored: the plan shows it, the figures wait for the next move
    assert moved.context["problems"] == [  # type: ignore[attr-defined]
        "The figures could not be scored: puts 70 seats on 3F, which has 60"
    ]
    assert all(value is None for _k, value, _c in moved.context["figures"])  # type: ignore[attr-defined]
    # 税務課's 20 seats on 8F to the empty 4F instead: 20 of its 44 seats change floor, 55 x 20/44 = 25 people
    fits = _post(
        client,
        settings,
        f"/planners/{scenario_id}/edit",
        {"layout": json.dumps(layout), "base": "current", "block": '["kumin.zeimu", "8F"]', "to_floor": "4F"},
    )
    assert fits.status_code == 200 and fits.context["problems"] == []  # type: ignore[attr-defined]
    figures = {k: v for k, v, _c in fits.context["figures"]}  # type: ignore[attr-defined]
    assert figures["people_moved"] == pytest.approx(25.0)
    # part of a split unit: 5 of 3F's 44 to 4F
    part = _post(
        client,
        settings,
        f"/planners/{scenario_id}/edit",
        {
            "layout": json.dumps(after),
            "base": "current",
            "block": '["kumin.zeimu", "3F"]',
            "to_floor": "4F",
            "seats": "5",
        },
    )
    assert _hidden_layout(part.text)["kumin.zeimu"] == {"3F": 39, "4F": 5}
    too_many = _post(
        client,
        settings,
        f"/planners/{scenario_id}/edit",
        {
            "layout": json.dumps(after),
            "base": "current",
            "block": '["kumin.zeimu", "3F"]',
            "to_floor": "4F",
            "seats": "45",
        },
    )
    assert too_many.status_code == 422 and "seats" in " ".join(too_many.context["problems"])  # type: ignore[attr-defined]
    assert _hidden_layout(too_many.text) == after


def test_saving_keeps_every_layout_and_marks_the_committees_as_proposals(  # type: ignore[no-untyped-def]
    client, people, log_in, settings, db: Session
) -> None:
    log_in(people["planner"])
    scenario_id = _demo(client, settings)
    layout = _hidden_layout(client.get(f"/planners/{scenario_id}/edit").text)
    layout["kumin.keizai"] = {"4F": 20}
    form = {"layout": json.dumps(layout), "base": "current", "name": "idea"}
    saved = _post(client, settings, f"/planners/{scenario_id}/layouts", form)
    assert saved.status_code == 303 and saved.headers["location"].endswith("layout=idea&saved=1")
    log_in(people["committee"])
    again = _post(client, settings, f"/planners/{scenario_id}/layouts", form)
    assert again.headers["location"].endswith("layout=idea-2&saved=1")
    rows = db.scalars(
        select(ScenarioLayout).where(ScenarioLayout.scenario_id == scenario_id).order_by(ScenarioLayout.id)
    ).all()
    assert [(r.name, r.origin, r.author) for r in rows[3:]] == [
        ("idea", "edited", "planner"),
        ("idea-2", "proposal", "iin"),
    ]
    assert rows[3].layout["kumin.keizai"] == {"4F": 20}
    shown = client.get(saved.headers["location"].replace("layout=idea&", "layout=idea-2&"))
    assert "Saved as idea-2." in shown.text


def test_a_planner_edits_units_and_a_mistake_changes_nothing(client, people, log_in, settings) -> None:  # type: ignore[no-untyped-def]
    log_in(people["planner"])
    scenario_id = _demo(client, settings)
    page = client.get(f"/planners/{scenario_id}/units")
    zeimu = next(u for u in page.context["units"] if u["id"] == "kumin.zeimu")  # type: ignore[attr-defined]
    assert (zeimu["headcount"], zeimu["needed"]) == (55, 44)  # 55 x 0.8
    saved = _post(client, settings, f"/planners/{scenario_id}/units", {"headcount.kumin.zeimu": "60"})
    assert saved.status_code == 303
    page = client.get(f"/planners/{scenario_id}/units")
    zeimu = next(u for u in page.context["units"] if u["id"] == "kumin.zeimu")  # type: ignore[attr-defined]
    assert (zeimu["headcount"], zeimu["needed"]) == (60, 48)  # 60 x 0.8
    wrong = _post(client, settings, f"/planners/{scenario_id}/units", {"desk_ratio.kumin.zeimu": "1.5"})
    assert wrong.status_code == 422
    assert any("desk_ratio" in p and "kumin.zeimu" in p for p in wrong.context["problems"])  # type: ignore[attr-defined]


def test_relations_and_constraints_are_edited_and_rescored(client, people, log_in, settings, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(people["planner"])
    files = {"scenario": ("two.yaml", io.BytesIO(TWO_FLOORS), "application/yaml")}
    location = _post(client, settings, "/planners/import", files=files).headers["location"]
    scenario_id = int(location.split("/")[2].split("?")[0])
    matrix = client.get(f"/planners/{scenario_id}/relations")
    assert '<option value="trips:20" selected>20 trips</option>' in matrix.text
    assert _post(client, settings, f"/planners/{scenario_id}/relations", {"a|b": "X"}).status_code == 303
    row = db.get(ScenarioRow, scenario_id)
    assert row is not None
    db.refresh(row)
    assert row.document["relations"] == [{"a": "a", "b": "b", "rating": "X"}]
    # X keeps them apart: the layout "together" now breaks it
    editor = client.get(f"/planners/{scenario_id}/edit?layout=together")
    assert "Alpha and Beta are to be kept apart but share 1F." in editor.text
    closed = _post(client, settings, f"/planners/{scenario_id}/constraints", {"closed_floors": "2F"})
    assert closed.status_code == 303
    editor = client.get(f"/planners/{scenario_id}/edit?layout=apart")
    assert "Beta is on the closed floor 2F." in editor.text
    bad = _post(client, settings, f"/planners/{scenario_id}/constraints", {"max_floors": "a: many"})
    assert bad.status_code == 422 and "max_floors, line 1" in bad.text


def test_a_planner_queues_a_run_and_sees_its_progress_and_end(  # type: ignore[no-untyped-def]
    client, people, log_in, settings, db: Session
) -> None:
    log_in(people["planner"])
    scenario_id = _demo(client, settings)
    queued = _post(client, settings, f"/planners/{scenario_id}/optimise", {"from": "low-rise", "time_limit": "5"})
    assert queued.status_code == 303
    job = db.scalars(select(PlanningJob).where(PlanningJob.scenario_id == scenario_id)).one()
    assert (job.state, job.params["from"], job.params["time_limit"]) == ("queued", "low-rise", 5.0)
    page = client.get(queued.headers["location"])
    assert "The optimiser is queued." in page.text
    assert f'hx-get="/planners/{scenario_id}/jobs/{job.id}" hx-trigger="every 1s"' in page.text
    fragment = f"/planners/{scenario_id}/jobs/{job.id}"
    assert "Waiting for a worker." in client.get(fragment).text
    # as a worker would write it: running, then done with its layout
    job.state, job.iterations, job.best_travel_hours, job.elapsed_s = "running", 1200, 26.94, 3.21
    db.commit()
    running = client.get(fragment, headers={"HX-Request": "true"})
    assert "Running: 1,200 iterations, best 26.9 person-hours a week, 3.2 s of 5 s." in running.text
    assert 'hx-trigger="every 1s"' in running.text and "HX-Refresh" not in running.headers
    layout = ScenarioLayout(
        scenario_id=scenario_id, name=f"optimised-{job.id}", layout={}, origin="optimised", created_at=job.created_at
    )
    db.add(layout)
    db.flush()
    job.state, job.layout_id = "done", layout.id
    db.commit()
    done = client.get(fragment, headers={"HX-Request": "true"})
    assert f"Done: the layout optimised-{job.id} is added." in done.text
    assert "hx-trigger" not in done.text and done.headers["HX-Refresh"] == "true"
    wrong = _post(client, settings, f"/planners/{scenario_id}/optimise", {"from": "nowhere"})
    assert wrong.status_code == 422 and "from" in wrong.text


def test_a_queued_run_is_cancelled_and_the_committee_may_not_run_one(  # type: ignore[no-untyped-def]
    client, people, log_in, settings, db: Session
) -> None:
    log_in(people["planner"])
    scenario_id = _demo(client, settings)
    _post(client, settings, f"/planners/{scenario_id}/optimise", {"from": "current"})
    job = db.scalars(select(PlanningJob).where(PlanningJob.scenario_id == scenario_id)).one()
    log_in(people["committee"])
    assert "Waiting for a worker." in client.get(f"/planners/{scenario_id}").text
    assert _post(client, settings, f"/planners/{scenario_id}/optimise", {"from": "current"}).status_code == 403
    assert _post(client, settings, f"/planners/{scenario_id}/jobs/{job.id}/cancel").status_code == 403
    log_in(people["planner"])
    cancelled = _post(client, settings, f"/planners/{scenario_id}/jobs/{job.id}/cancel", headers={"HX-Request": "true"})
    assert cancelled.status_code == 200 and "Cancelled." in cancelled.text
    db.refresh(job)
    assert (job.state, job.cancel_requested) == ("cancelled", True)
