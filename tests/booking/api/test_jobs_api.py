"""The jobs API in-process (the request's transaction is the test's, rolled back): who may queue, follow and cancel
optimiser runs, the bounds of a run's parameters, and the documents answered. Running jobs is tested in
tests/booking/services/test_jobs.py and, through real servers, in tests/booking/test_jobs_servers.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from booking.models import Role, User
from booking.services.jobs import job_or_404
from booking.services.scenarios import import_scenario, save_layout
from tests.booking.factories import NOW, make_user
from tests.booking.planning_data import NOW_LAYOUT, tiny_yaml

Auth = Callable[[User], dict[str, str]]
ROLES = [Role.STAFF, Role.MANAGER, Role.PLANNER, Role.COMMITTEE, Role.ADMIN]
#: Who may do what: queue and cancel (plan), follow (read plans).
MAY_PLAN = {Role.PLANNER, Role.ADMIN}
MAY_READ = {Role.PLANNER, Role.COMMITTEE, Role.ADMIN}


@pytest.fixture
def scenario(db: Session) -> int:
    row = import_scenario(db, tiny_yaml(), {}, actor="hana", now=NOW)
    db.commit()
    return row.id


@pytest.fixture
def users(db: Session) -> dict[Role, User]:
    return {role: make_user(db, f"u-{role.value}", role=role) for role in ROLES}


def queue(client: TestClient, headers: dict[str, str], scenario: int, **body: object) -> int:
    answer = client.post(f"/api/scenarios/{scenario}/optimise", json=body, headers=headers)
    assert answer.status_code == 202, answer.text
    return int(answer.json()["job"])


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_who_may_queue_follow_and_cancel(
    client: TestClient, auth: Auth, users: dict[Role, User], scenario: int, role: Role
) -> None:
    planner = auth(users[Role.PLANNER])
    headers = auth(users[role])
    queued = client.post(f"/api/scenarios/{scenario}/optimise", json={"time_limit": 5}, headers=headers)
    assert queued.status_code == (202 if role in MAY_PLAN else 403), queued.text
    if role not in MAY_PLAN:
        assert queued.headers["content-type"] == "application/problem+json"
        assert queued.json()["right"] == "plan"
    job = queue(client, planner, scenario)
    shown = client.get(f"/api/jobs/{job}", headers=headers)
    listed = client.get(f"/api/scenarios/{scenario}/jobs", headers=headers)
    assert shown.status_code == listed.status_code == (200 if role in MAY_READ else 403)
    if role not in MAY_READ:
        assert shown.json()["right"] == listed.json()["right"] == "read_plans"
    cancelled = client.delete(f"/api/jobs/{job}", headers=headers)
    assert cancelled.status_code == (200 if role in MAY_PLAN else 403), cancelled.text
    if role in MAY_PLAN:
        assert cancelled.json()["state"] == "cancelled"


def test_a_queued_job_as_the_api_shows_it(
    client: TestClient, auth: Auth, users: dict[Role, User], scenario: int
) -> None:
    planner = auth(users[Role.PLANNER])
    answer = client.post(
        f"/api/scenarios/{scenario}/optimise",
        json={"from": "b-up", "time_limit": 2.5, "seed": 42, "max_moves": 4},
        headers=planner,
    )
    assert answer.status_code == 202
    job = answer.json()["job"]
    assert answer.headers["location"] == f"/api/jobs/{job}"
    shown = client.get(f"/api/jobs/{job}", headers=planner).json()
    assert {k: shown[k] for k in ("id", "scenario", "state", "iterations", "best_travel_hours", "elapsed")} == {
        "id": job, "scenario": scenario, "state": "queued", "iterations": 0, "best_travel_hours": None, "elapsed": 0.0,
    }  # fmt: skip
    assert shown["params"] == {"from": "b-up", "time_limit": 2.5, "seed": 42, "max_moves": 4}
    assert (shown["layout"], shown["error"], shown["cancel_requested"], shown["created_by"]) == (
        None, None, False, "u-planner",
    )  # fmt: skip
    second = queue(client, planner, scenario)
    listed = client.get(f"/api/scenarios/{scenario}/jobs", headers=planner).json()
    assert [j["id"] for j in listed] == [second, job]  # newest first


def test_a_job_done_names_its_layout_and_cannot_be_cancelled(
    client: TestClient, auth: Auth, users: dict[Role, User], scenario: int, db: Session
) -> None:
    planner = auth(users[Role.PLANNER])
    job = queue(client, planner, scenario, time_limit=1)
    # As run_job leaves it (tests/booking/services/test_jobs.py runs it for real).
    layout = save_layout(db, scenario, f"optimised-{job}", NOW_LAYOUT, origin="optimised", actor="u-planner", now=NOW)
    row = job_or_404(db, job)
    row.state, row.layout_id, row.iterations, row.best_travel_hours, row.elapsed_s = "done", layout.id, 900, 0.2, 1.0
    db.commit()
    shown = client.get(f"/api/jobs/{job}", headers=auth(users[Role.COMMITTEE])).json()
    assert (shown["state"], shown["layout"], shown["iterations"], shown["best_travel_hours"], shown["elapsed"]) == (
        "done", f"optimised-{job}", 900, 0.2, 1.0,
    )  # fmt: skip
    refused = client.delete(f"/api/jobs/{job}", headers=planner)
    assert refused.status_code == 409
    assert refused.json()["job_state"] == "done"
    assert refused.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_limit": 0.5}, "time_limit"),
        ({"time_limit": 601}, "time_limit"),
        ({"seed": -1}, "seed"),
        ({"seed": 2**31}, "seed"),
        ({"max_moves": -1}, "max_moves"),
        ({"from": ""}, "from"),
        ({"from": "x" * 101}, "from"),
        ({"workers": 4}, "workers"),
    ],
)
def test_parameters_out_of_bounds_are_422_naming_the_field(
    client: TestClient, auth: Auth, users: dict[Role, User], scenario: int, body: dict[str, object], field: str
) -> None:
    answer = client.post(f"/api/scenarios/{scenario}/optimise", json=body, headers=auth(users[Role.PLANNER]))
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["loc"] == ["body", field]


def test_a_layout_the_scenario_lacks_is_422_naming_from(
    client: TestClient, auth: Auth, users: dict[Role, User], scenario: int
) -> None:
    answer = client.post(f"/api/scenarios/{scenario}/optimise", json={"from": "later"}, headers=auth(users[Role.ADMIN]))
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"where": "body", "field": "from", "message": "is not a layout of the scenario (it has now, b-up)"}
    ]
    listed = client.get(f"/api/scenarios/{scenario}/jobs", headers=auth(users[Role.ADMIN])).json()
    assert listed == []  # nothing queued


def test_unknown_scenarios_and_jobs_are_404(client: TestClient, auth: Auth, users: dict[Role, User]) -> None:
    planner = auth(users[Role.PLANNER])
    for method, url in [
        ("POST", "/api/scenarios/999/optimise"),
        ("GET", "/api/scenarios/999/jobs"),
        ("GET", "/api/jobs/999"),
        ("DELETE", "/api/jobs/999"),
    ]:
        answer = client.request(method, url, json={} if method == "POST" else None, headers=planner)
        assert answer.status_code == 404, (method, url, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
    assert client.get("/api/jobs/1").status_code == 401
