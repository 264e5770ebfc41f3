"""Request logs (booking/web/request_logs.py): an X-Request-ID on every answer, one structured line per request,
and the id in the log of an unexpected error."""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from booking.pages.core import PageRoute
from booking.web.request_logs import MAX_REQUEST_ID, JsonFormatter, RequestIdText, access_log, log_config
from tests.booking.live import serve_process

NEW_ID = re.compile(r"[0-9a-f]{32}")


def request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "floorwise.requests"]


def add_broken_route(client: TestClient, path: str) -> None:
    app: Any = client.app

    def broken() -> None:
        raise RuntimeError("a bug")

    app.router.routes.insert(0, PageRoute(path, broken, methods=["GET"]))


def test_an_answer_carries_a_new_request_id_or_the_clients_sane_one(client: TestClient) -> None:
    made = client.get("/api/health")
    assert made.status_code == 200 and NEW_ID.fullmatch(made.headers["x-request-id"])
    assert client.get("/api/health").headers["x-request-id"] != made.headers["x-request-id"]
    sent = "edge-7f3a.b:42_x"
    assert client.get("/api/health", headers={"X-Request-ID": sent}).headers["x-request-id"] == sent
    for insane in ("a" * (MAX_REQUEST_ID + 1), "two words", "<script>", "\u00fc".encode()):
        answer = client.get("/api/health", headers={"X-Request-ID": insane})
        assert NEW_ID.fullmatch(answer.headers["x-request-id"]), insane
    longest = "a" * MAX_REQUEST_ID
    assert client.get("/api/health", headers={"X-Request-ID": longest}).headers["x-request-id"] == longest


def test_errors_413s_and_500s_carry_the_request_id(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    missing = client.get("/api/no-such-thing", headers={"X-Request-ID": "r-404"})
    assert missing.status_code == 404 and missing.headers["x-request-id"] == "r-404"
    page = client.get("/no-such-page", headers={"X-Request-ID": "r-404-page"})
    assert page.status_code == 404 and page.headers["x-request-id"] == "r-404-page"
    large = client.post(
        "/api/bookings",
        content=b"{}",
        headers={"Content-Type": "application/json", "Content-Length": str(10**9), "X-Request-ID": "r-413"},
    )
    assert large.status_code == 413 and large.headers["x-request-id"] == "r-413"

    add_broken_route(client, "/broken")
    with caplog.at_level(logging.INFO, logger="floorwise"):
        broken = client.get("/broken", headers={"X-Request-ID": "r-500"})
    assert broken.status_code == 500 and broken.headers["x-request-id"] == "r-500"
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info]
    assert error.getMessage() == "unexpected error on GET /broken" and error.__dict__["request_id"] == "r-500"
    logged = json.loads(JsonFormatter().format(error))
    assert logged["request_id"] == "r-500" and "RuntimeError: a bug" in logged["exception"]
    [line] = request_lines(caplog)
    assert (line.status, line.request_id) == (500, "r-500")  # type: ignore[attr-defined]


def test_each_request_is_one_json_line_with_its_fields(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="floorwise.requests"):
        client.get("/api/health", headers={"X-Request-ID": "r-1"})
        client.get("/api/no-such-thing?x=1", headers={"X-Request-ID": "r-2"})
    first, second = (json.loads(JsonFormatter().format(r)) for r in request_lines(caplog))
    assert {k: first[k] for k in ("method", "path", "status", "request_id")} == {
        "method": "GET",
        "path": "/api/health",
        "status": 200,
        "request_id": "r-1",
    }
    assert isinstance(first["duration_ms"], float) and 0 <= first["duration_ms"] < 10_000
    assert first["level"] == "info" and first["logger"] == "floorwise.requests"
    assert first["message"].startswith("GET /api/health 200 ")
    assert (second["path"], second["status"], second["request_id"]) == ("/api/no-such-thing", 404, "r-2")


def test_the_text_format_names_the_request_too() -> None:
    config = log_config("text")
    assert config["formatters"]["default"]["()"].endswith("RequestIdText")
    assert access_log("text") and not access_log("json")  # in JSON the request lines say all it says, and more


def test_floorwise_serve_writes_a_json_line_per_request_to_standard_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOORWISE_")}
    env |= {
        "FLOORWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "FLOORWISE_SECRET_KEY": "serve-secret",
        "FLOORWISE_DATA_DIR": str(tmp_path / "data"),
        "FLOORWISE_JOB_WORKERS": "0",
    }
    log = tmp_path / "server.log"
    with serve_process(env, log) as served:
        answer = httpx.get(f"{served.base}/api/health", headers={"X-Request-ID": "from-the-proxy"}, timeout=10)
        assert answer.headers["x-request-id"] == "from-the-proxy"
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == "from-the-proxy"]
    assert [(m["logger"], m["method"], m["path"], m["status"]) for m in mine] == [
        ("floorwise.requests", "GET", "/api/health", 200)
    ]
    assert any(line["logger"] == "uvicorn.error" for line in lines)  # uvicorn's own lines, as JSON too
    assert not any(line["logger"] == "uvicorn.access" for line in lines)


def test_a_text_line_ends_with_its_request_id() -> None:
    record = logging.LogRecord("floorwise", logging.ERROR, __file__, 1, "unexpected error on %s", ("GET /x",), None)
    record.request_id = "r-9"
    text = log_config("text")["formatters"]["default"]
    assert text["()"].rsplit(".", 1)[1] == "RequestIdText"
    assert RequestIdText(text["fmt"]).format(record) == "ERROR:     floorwise: unexpected error on GET /x [r-9]"
