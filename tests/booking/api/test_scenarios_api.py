"""The scenarios API on SQLite and PostgreSQL: the roles matrix over every endpoint, import with files, export,
scores of a move worked out by hand (tests/booking/planning_data.py), saving, editing; every refusal a problem."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from booking.models import Role, User
from booking.services import scenarios as svc
from tests.booking.factories import NOW, make_user
from tests.booking.planning_data import NOW_LAYOUT, tiny_building_file, tiny_yaml

Auth = Callable[[User], dict[str, str]]
H = 3600.0
PROBLEM = "application/problem+json"


@pytest.fixture
def people(db: Session) -> dict[str, User]:
    return {role.value: make_user(db, f"{role.value}1", role=role) for role in Role}


@pytest.fixture
def scenario_id(db: Session) -> int:
    return svc.import_scenario(db, tiny_yaml(), {}, actor="planner1", now=NOW).id


def upload(client: TestClient, headers: dict[str, str], scenario: bytes, **files: bytes) -> Response:
    return client.post(
        "/api/scenarios",
        headers=headers,
        files=[("scenario", ("tiny.scenario.yaml", scenario)), *(("files", (n, c)) for n, c in files.items())],
    )


def calls(sid: int) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Every scenario endpoint, with a body each accepts."""
    return {
        "list": ("GET", "/api/scenarios", {}),
        "read": ("GET", f"/api/scenarios/{sid}", {}),
        "export": ("GET", f"/api/scenarios/{sid}/export", {}),
        "compare": ("GET", f"/api/scenarios/{sid}/compare?baseline=now", {}),
        "score": ("POST", f"/api/scenarios/{sid}/score", {"json": {"layout": NOW_LAYOUT}}),
        "save": ("POST", f"/api/scenarios/{sid}/layouts", {"json": {"name": "idea", "layout": NOW_LAYOUT}}),
        "edit": ("PATCH", f"/api/scenarios/{sid}", {"json": {"constraints": {"closed_floors": ["3F"]}}}),
        "import": ("POST", "/api/scenarios", {"files": [("scenario", ("s.yaml", tiny_yaml()))]}),
    }


READS = {"list", "read", "export", "compare", "score", "save"}
SUCCESS = {"save": 201, "import": 201}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_roles_matrix(client: TestClient, auth: Auth, people: dict[str, User], scenario_id: int, role: str) -> None:
    headers = auth(people[role])
    allowed = {"planner": set(calls(0)), "admin": set(calls(0)), "committee": READS}.get(role, set())
    for what, (method, url, kwargs) in calls(scenario_id).items():
        answer = client.request(method, url, headers=headers, **kwargs)
        if what in allowed:
            assert answer.status_code == SUCCESS.get(what, 200), (role, what, answer.text)
        else:
            assert answer.status_code == 403, (role, what, answer.text)
            assert answer.headers["content-type"] == PROBLEM
            assert answer.json()["right"] == ("read_plans" if what in READS else "plan")
    for method, url, kwargs in calls(scenario_id).values():
        assert client.request(method, url, **kwargs).status_code == 401  # no credentials


def test_a_committee_members_layout_is_a_proposal(
    client: TestClient, auth: Auth, people: dict[str, User], scenario_id: int
) -> None:
    url = f"/api/scenarios/{scenario_id}/layouts"
    body = {"name": "idea", "layout": NOW_LAYOUT}
    saved = client.post(url, headers=auth(people["committee"]), json=body).json()
    again = client.post(url, headers=auth(people["planner"]), json=body).json()
    assert (saved["name"], saved["origin"], saved["author"]) == ("idea", "proposal", "committee1")
    assert (again["name"], again["origin"], again["author"]) == ("idea-2", "edited", "planner1")
    assert again["layout"] == NOW_LAYOUT
    listed = client.get("/api/scenarios", headers=auth(people["committee"])).json()
    assert [lay["name"] for lay in listed[0]["layouts"]] == ["now", "b-up", "idea", "idea-2"]


def test_import_with_files_export_and_import_again(client: TestClient, auth: Auth, people: dict[str, User]) -> None:
    headers = auth(people["planner"])
    made = upload(client, headers, tiny_yaml(building="tiny.floors.yaml"), **{"tiny.floors.yaml": tiny_building_file()})
    assert made.status_code == 201, made.text
    first = made.json()
    assert first["name"] == "tiny" and [lay["origin"] for lay in first["layouts"]] == ["imported", "imported"]
    exported = client.get(f"/api/scenarios/{first['id']}/export", headers=headers)
    assert exported.headers["content-type"] == "application/yaml; charset=utf-8"
    assert yaml.safe_load(exported.text)["layouts"]["now"] == NOW_LAYOUT
    second = upload(client, headers, exported.content, **{"tiny.floors.yaml": tiny_building_file()}).json()
    read1 = client.get(f"/api/scenarios/{first['id']}", headers=headers).json()
    read2 = client.get(f"/api/scenarios/{second['id']}", headers=headers).json()
    assert read1["document"] == read2["document"] and read1["files"] == read2["files"] == ["tiny.floors.yaml"]
    assert [lay["layout"] for lay in read1["layouts"]] == [lay["layout"] for lay in read2["layouts"]]


@pytest.mark.parametrize("name", ["/etc/passwd", "../../floorwise.db", "nope.yaml"])
def test_an_upload_naming_a_file_it_lacks_is_refused_alike(
    client: TestClient, auth: Auth, people: dict[str, User], name: str
) -> None:
    answer = upload(client, auth(people["planner"]), tiny_yaml(building=name), other=b"x")
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
    assert [e["message"] for e in answer.json()["errors"]] == [
        f"{name!r} is not among the files uploaded with the scenario"
    ]
    assert client.get("/api/scenarios", headers=auth(people["planner"])).json() == []


def test_bad_uploads_are_problems(client: TestClient, auth: Auth, people: dict[str, User]) -> None:
    headers = auth(people["planner"])
    assert upload(client, headers, b"  ").status_code == 422
    broken = upload(client, headers, b"units: [unclosed")
    assert broken.status_code == 422 and "not valid YAML" in broken.json()["detail"]
    assert client.post("/api/scenarios", headers=headers).status_code == 422  # no scenario at all


def test_a_move_scored_by_hand(client: TestClient, auth: Auth, people: dict[str, User], scenario_id: int) -> None:
    url = f"/api/scenarios/{scenario_id}/score"
    body = {"from": "now", "move": {"unit": "c", "from_floor": "3F", "to_floor": "1F", "seats": 2}}
    answer = client.post(url, headers=auth(people["committee"]), json=body)
    assert answer.status_code == 200, answer.text
    score = answer.json()
    # Half of c beside a: a-c costs 40 * (10 + 55) / 2 = 1300 s, a-b 375 s: 1675 s; against now's 2575 s.
    assert score["travel_hours_per_week"] == pytest.approx(1675 / H)
    assert score["change"]["travel_hours_per_week"] == pytest.approx(-900 / H)
    assert score["people_moved"] == 2 and score["baseline"] == "now"
    assert score["layout_seats"] == {"a": {"1F": 4}, "b": {"2F": 4}, "c": {"3F": 2, "1F": 2}}
    assert score["check"] == {"ok": True, "violations": [], "units_short_of_seats": []}
    whole = client.post(url, headers=auth(people["planner"]), json={"layout": NOW_LAYOUT, "baseline": "b-up"}).json()
    assert whole["change"]["travel_hours_per_week"] == pytest.approx(525 / H)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"from": "now", "layout": NOW_LAYOUT}, None),
        ({"move": {"unit": "c", "from_floor": "3F", "to_floor": "1F"}}, None),
        ({"from": "nope"}, "from"),
        ({"from": "now", "move": {"unit": "c", "from_floor": "2F", "to_floor": "1F"}}, "from_floor"),
        ({"layout": {**NOW_LAYOUT, "a": {"1F": -1}}}, None),
        ({"layout": {**NOW_LAYOUT, "a": {"1F": 11}}}, None),
        ({"layout": NOW_LAYOUT, "baseline": "x" * 101}, None),
        ({"from": "now", "move": {"unit": "c", "from_floor": "3F", "to_floor": "1F", "seats": 2**40}}, None),
    ],
)
def test_a_score_request_out_of_bounds_is_a_422_problem(
    client: TestClient, auth: Auth, people: dict[str, User], scenario_id: int, body: Any, field: str | None
) -> None:
    answer = client.post(f"/api/scenarios/{scenario_id}/score", headers=auth(people["planner"]), json=body)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM
    if field is not None:
        assert answer.json()["errors"][0]["field"] == field or answer.json()["errors"][0]["where"] == field


def test_an_unknown_scenario_is_404_for_those_who_may_read(
    client: TestClient, auth: Auth, people: dict[str, User]
) -> None:
    for what, (method, url, kwargs) in calls(424242).items():
        if what in ("list", "import"):
            continue
        answer = client.request(method, url, headers=auth(people["admin"]), **kwargs)
        assert answer.status_code == 404, (what, answer.text)
        assert answer.headers["content-type"] == PROBLEM
    staff = client.get("/api/scenarios/424242", headers=auth(people["staff"]))
    assert staff.status_code == 403  # staff learn nothing, not even whether it exists


def test_edits_through_the_api(client: TestClient, auth: Auth, people: dict[str, User], scenario_id: int) -> None:
    headers = auth(people["planner"])
    url = f"/api/scenarios/{scenario_id}"
    body = {
        "relations": [{"a": "a", "b": "b", "trips": 10}, {"a": "a", "b": "c", "rating": "E"}],
        "constraints": {"fixed": {"a": ["1F"]}, "closed_floors": ["3F"], "apart": [["b", "c"]], "max_floors": {"c": 1}},
    }
    answer = client.patch(url, headers=headers, json=body)
    assert answer.status_code == 200, answer.text
    document = answer.json()["document"]
    assert document["relations"][1] == {"a": "a", "b": "c", "rating": "E"}
    assert document["constraints"]["apart"] == [["b", "c"]]
    score = client.post(f"{url}/score", headers=headers, json={"layout": NOW_LAYOUT}).json()
    assert score["travel_hours_per_week"] == pytest.approx(1475 / H)  # 10 * 37.5 + 20 * 55
    assert [v["kind"] for v in score["check"]["violations"]] == ["closed"]
    refused = client.patch(url, headers=headers, json={"constraints": {"closed_floors": ["12F"]}})
    assert refused.status_code == 422 and "names floor '12F'" in refused.json()["detail"]
    assert client.get(url, headers=headers).json()["document"] == document  # nothing changed
    bad = client.patch(url, headers=headers, json={"relations": [{"a": "a", "b": "c", "rating": "Q"}]})
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM
    removed = client.patch(url, headers=headers, json={"constraints": None})
    assert "constraints" not in removed.json()["document"]


def test_compare_gives_every_layout_against_the_baseline(
    client: TestClient, auth: Auth, people: dict[str, User], scenario_id: int
) -> None:
    answer = client.get(f"/api/scenarios/{scenario_id}/compare?baseline=b-up", headers=auth(people["committee"]))
    assert answer.status_code == 200, answer.text
    figures = {lay["layout"]: lay for lay in answer.json()["layouts"]}
    assert answer.json()["baseline"] == "b-up"
    assert figures["now"]["change"]["travel_hours_per_week"] == pytest.approx(525 / H)
    assert figures["now"]["people_moved"] == 8
    unknown = client.get(f"/api/scenarios/{scenario_id}/compare?baseline=nope", headers=auth(people["committee"]))
    assert unknown.status_code == 422 and "no layout 'nope'" in unknown.json()["detail"]
