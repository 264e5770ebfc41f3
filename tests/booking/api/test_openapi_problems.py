"""The document and the answers agree on errors: every error response is declared as application/problem+json only,
every operation that takes input declares its 422 (and 400 for a body that cannot be read, 413 for one too large;
503 wherever the database may be busy), a 405 lists every method of the path, and the rules' times are declared as
the local wall-clock times they are."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from booking.app import create_app
from booking.settings import Settings


@pytest.fixture(scope="module")
def app_client() -> TestClient:
    return TestClient(create_app(Settings(database_url="sqlite://", secret_key="k")))  # nothing here reads the database


@pytest.fixture(scope="module")
def document(app_client: TestClient) -> dict[str, Any]:
    answer = app_client.get("/openapi.json")
    assert answer.status_code == 200
    return answer.json()  # type: ignore[no-any-return]


def test_error_responses_are_problem_documents_only(document: dict[str, Any]) -> None:
    seen = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status[0] in "45":
                    assert list(response.get("content", {})) == ["application/problem+json"], (method, path, status)
                    seen += 1
            takes_input = bool(operation.get("parameters")) or "requestBody" in operation
            assert ("422" in operation["responses"]) == takes_input, (method, path)
            assert ("400" in operation["responses"]) == ("requestBody" in operation), (method, path)
            assert ("413" in operation["responses"]) == ("requestBody" in operation), (method, path)
            # Anything that reads the database may find it busy; the health check reads nothing.
            assert ("503" in operation["responses"]) == (path != "/api/health"), (method, path)
    assert seen > 100
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_rules_times_are_local_wall_clock_times_and_only_two_rules_take_null(document: dict[str, Any]) -> None:
    rules = document["components"]["schemas"]["RulesUpdate"]["properties"]
    for name in ("opens_at", "closes_at", "noon", "zone_release_time"):
        assert "format" not in rules[name] and rules[name]["pattern"].startswith("^([01][0-9]|2[0-3]):"), name
    nullable = {name for name, schema in rules.items() if {"type": "null"} in schema.get("anyOf", [])}
    assert nullable == {"longest_booking_minutes", "holiday_country"}


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/api/calendar/token", "POST, DELETE"),
        ("PUT", "/api/bookings/7", "GET, DELETE"),
        ("GET", "/api/bookings/recurring", "POST"),
        ("DELETE", "/api/bookings/mine", "GET"),
        ("PATCH", "/api/units", "GET, POST"),
    ],
)
def test_a_405_lists_every_method_of_the_path(app_client: TestClient, method: str, path: str, allow: str) -> None:
    answer = app_client.request(method, path)
    assert answer.status_code == 405 and answer.headers["allow"] == allow
    assert answer.headers["content-type"] == "application/problem+json"


def test_a_body_that_is_not_text_is_the_declared_400(app_client: TestClient, document: dict[str, Any]) -> None:
    # The body is read before anything else, credentials included; not UTF-8, it cannot be read at all.
    answer = app_client.post("/api/blocks", content=b'{"reason": "\xff"}', headers={"content-type": "application/json"})
    assert answer.status_code == 400 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["title"] == "There was an error parsing the body"
    declared = document["paths"]["/api/blocks"]["post"]["responses"]["400"]["content"]["application/problem+json"]
    assert declared["schema"] == {"$ref": "#/components/schemas/Problem"}
