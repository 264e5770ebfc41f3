"""The OpenAPI document describes every endpoint, with examples and the problem responses."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_every_endpoint_is_described_with_its_problems(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/auth/token",
        "/api/floors",
        "/api/floors/{floor_id}/availability",
        "/api/bookings",
        "/api/bookings/mine",
        "/api/bookings/{booking_id}",
        "/api/bookings/{booking_id}/check-in",
        "/api/bookings/recurring",
        "/api/team",
        "/api/people",
        "/api/calendar/{token}.ics",
        "/api/audit",
    ):
        assert path in paths, path
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation.get("summary") and operation.get("description"), (method, path)
    create = paths["/api/bookings"]["post"]
    for status in ("401", "403", "404", "409", "422"):
        content = create["responses"][status]["content"]
        assert "application/problem+json" in content
    assert create["responses"]["409"]["content"]["application/problem+json"]["example"]["rule"] == "desk_taken"
    schemas = spec["components"]["schemas"]
    assert schemas["BookingCreate"]["examples"][0] == {"desk_id": 1041, "date": "2026-04-01", "slot": "full"}
    assert schemas["BookingRead"]["examples"][0]["start"] == "2026-04-01T08:30:00+09:00"
    assert "examples" in schemas["AvailabilityRead"] and "examples" in schemas["RulesRead"]
    assert {"type", "title", "status", "detail", "instance", "rule", "conflict"} <= set(
        schemas["Problem"]["properties"]
    )
