"""Request bodies bounded before they are read (booking/web/body_limits.py).

In-process for the answers themselves; then a real `floorwise serve` process, fed 94 MB bodies with and without
Content-Length, for what matters: the server answers without reading them (the client gets to push only what the
sockets buffer) and its peak memory (VmHWM) does not grow."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from booking.database import Database
from booking.models import BuildingRow, Role, TokenKind, User
from booking.pages import csrf
from booking.services.accounts import issue_token
from booking.settings import Settings
from floorplan.geojson import building_to_geojson
from tests.booking.conftest import fresh_engine
from tests.booking.factories import floorplan_building, make_user
from tests.booking.live import serve_process

MIB = 1 << 20
LIMIT = MIB  # FLOORWISE_MAX_BODY_BYTES's default
HUGE = 94_000_000  # the attacker's bodies
SERVER_SECRET = "body-limits-secret"
SERVER_UPLOAD_LIMIT = 128 * MIB  # above the attacker's bodies, so that an anonymous one meets the login first


def padded_booking(size: int) -> bytes:
    """A booking request of exactly ``size`` bytes: valid JSON, padded with spaces, for a desk that does not exist."""
    body = json.dumps({"desk_id": 999_999, "date": "2026-04-01", "slot": "full"}).encode()
    return body + b" " * (size - len(body))


# ---------------------------------------------------------------- in-process: the answers


def test_a_json_body_past_the_limit_is_a_413_problem_naming_the_limit(client: TestClient) -> None:
    response = client.post(
        "/api/bookings", content=padded_booking(LIMIT + 1), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://floorwise.example/problems/too-large",
        "title": "Request body too large",
        "status": 413,
        "detail": "the request body is larger than the 1,048,576 bytes this server accepts here",
        "instance": "/api/bookings",
        "limit": 1_048_576,
    }


def test_a_body_of_exactly_the_limit_is_read(
    client: TestClient, db: object, auth: Callable[[User], dict[str, str]]
) -> None:
    user = make_user(db)  # type: ignore[arg-type]
    response = client.post(
        "/api/bookings",
        content=padded_booking(LIMIT),
        headers={"Content-Type": "application/json", **auth(user)},
    )
    assert response.status_code == 404  # read, parsed, and the desk looked for
    assert response.json()["detail"] == "no desk 999999"


def test_a_form_past_the_limit_is_a_413_page(client: TestClient) -> None:
    response = client.post(
        "/login",
        content=b"user=a&password=" + b"x" * LIMIT,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "That is more than this site takes at once" in response.text
    assert "larger than the 1,048,576 bytes" in response.text


def test_an_anonymous_upload_past_the_body_limit_goes_to_the_login_page(client: TestClient) -> None:
    body, content_type = multipart_body(b"x" * (2 * MIB))
    response = client.post(
        "/admin/building", content=body, headers={"Content-Type": content_type}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/admin/building"
    # A session cookie that is not valid is no better than none.
    response = client.post(
        "/admin/building",
        content=body,
        headers={"Content-Type": content_type},
        cookies={"floorwise_session": "forged"},
        follow_redirects=False,
    )
    assert response.status_code == 303


def multipart_body(
    content: bytes, *, fields: dict[str, str] | None = None, name: str = "b.geojson"
) -> tuple[bytes, str]:
    return b"".join(
        multipart_parts(iter([content]), fields=fields or {}, name=name)
    ), f"multipart/form-data; boundary={BOUNDARY}"


BOUNDARY = "floorwise-test-boundary"


def multipart_parts(chunks: Iterator[bytes], *, fields: dict[str, str], name: str) -> Iterator[bytes]:
    """A multipart/form-data body with ``fields`` and one file ``name`` whose content comes from ``chunks``."""
    for key, value in fields.items():
        yield f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    yield from chunks
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


# ---------------------------------------------------------------- a real server process


class Server:
    def __init__(self, base: str, pid: int, cookie: str, database: Database) -> None:
        self.base = base
        self.pid = pid
        self.cookie = cookie
        self.database = database

    def peak_rss(self) -> int:
        """The server process's peak resident memory so far (VmHWM), in bytes."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        raise AssertionError("no VmHWM")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`floorwise serve` (one worker) on a SQLite file with an admin whose session cookie the tests send."""
    if not Path("/proc/self/status").exists():
        pytest.skip("reads the server's peak memory from /proc")
    folder = tmp_path_factory.mktemp("body-limits")
    engine = fresh_engine("sqlite", folder)
    database = Database(engine)
    now = datetime.now(UTC)
    with database.transaction() as session:
        admin = make_user(session, "admin", role=Role.ADMIN)
        cookie = issue_token(
            session, admin, kind=TokenKind.SESSION, key=SERVER_SECRET, now=now, lifetime=timedelta(hours=2)
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOORWISE_")}
    env |= {
        "FLOORWISE_DATABASE_URL": str(engine.url),
        "FLOORWISE_SECRET_KEY": SERVER_SECRET,
        "FLOORWISE_MAX_UPLOAD_BYTES": str(SERVER_UPLOAD_LIMIT),
        "FLOORWISE_DATA_DIR": str(folder / "data"),
    }
    try:
        with serve_process(env, folder / "server.log") as served:
            yield Server(served.base, served.pid, cookie, database)
    finally:
        engine.dispose()


class Counted:
    """A body of ``size`` bytes, made a MiB at a time as the client sends it: ``sent`` is how far it got."""

    def __init__(self, size: int, byte: bytes = b" ") -> None:
        self.size = size
        self.byte = byte
        self.sent = 0

    def chunks(self) -> Iterator[bytes]:
        while self.sent < self.size:
            chunk = self.byte * min(MIB, self.size - self.sent)
            self.sent += len(chunk)
            yield chunk


def post(server: Server, path: str, body: Iterator[bytes], headers: dict[str, str]) -> httpx.Response:
    with httpx.Client(base_url=server.base, timeout=60, follow_redirects=False) as http:
        return http.post(path, content=body, headers=headers)


def test_huge_bodies_are_refused_unread_and_cost_the_server_no_memory(server: Server) -> None:
    post(server, "/api/bookings", iter([b"{}"]), {"Content-Type": "application/json"})  # warm up
    before = server.peak_rss()
    # Three anonymous 94 MB JSON bodies with Content-Length: 413 from the header alone.
    for _ in range(3):
        body = Counted(HUGE)
        response = post(
            server, "/api/bookings", body.chunks(), {"Content-Type": "application/json", "Content-Length": str(HUGE)}
        )
        assert response.status_code == 413
        assert (
            response.json()["detail"] == "the request body is larger than the 1,048,576 bytes this server accepts here"
        )
        assert body.sent < 32 * MIB  # what the sockets took before the server closed the connection
    # Three sent chunked, without Content-Length: 413 once the counted bytes pass the limit.
    for _ in range(3):
        body = Counted(HUGE)
        response = post(server, "/api/bookings", body.chunks(), {"Content-Type": "application/json"})
        assert response.status_code == 413
        assert response.json()["status"] == 413
        assert body.sent < 32 * MIB
    # Anonymous uploads to a page, with and without Content-Length: the login page, unread.
    for length in (True, False):
        body = Counted(HUGE)
        parts = multipart_parts(body.chunks(), fields={}, name="venue.zip")
        headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
        if length:
            headers["Content-Length"] = str(HUGE + 200)  # near enough: it is never read to the end
        response = post(server, "/admin/building", parts, headers)
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/admin/building"
        assert body.sent < 32 * MIB
    # The admin's upload past FLOORWISE_MAX_UPLOAD_BYTES (128 MiB here), chunked: read (to a spooled file) up to
    # the limit, then a 413 page.
    body = Counted(160 * MIB)
    parts = multipart_parts(body.chunks(), fields={"csrf_token": csrf_token(server)}, name="venue.zip")
    response = post(
        server,
        "/admin/building",
        parts,
        {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Cookie": f"floorwise_session={server.cookie}",
         "Accept-Language": "en"},
    )  # fmt: skip
    assert response.status_code == 413
    assert "larger than the 134,217,728 bytes" in response.text
    assert SERVER_UPLOAD_LIMIT < body.sent < SERVER_UPLOAD_LIMIT + 32 * MIB
    growth = server.peak_rss() - before
    assert growth < 100 * MIB, f"the server's peak memory grew by {growth / MIB:.0f} MiB"


def test_an_admin_may_upload_past_the_body_limit_chunked(server: Server) -> None:
    """A building file of 1.5 MiB (a small building padded with spaces), sent chunked with the admin's cookie:
    the credentials are looked up once the body passes 1 MiB, and the building loads."""
    text = json.dumps(building_to_geojson(floorplan_building(building_id="padded"))).encode()
    content = text + b" " * (3 * MIB // 2 - len(text))
    parts = multipart_parts(iter([content[i : i + MIB // 4] for i in range(0, len(content), MIB // 4)]),
                            fields={"csrf_token": csrf_token(server)}, name="padded.geojson")  # fmt: skip
    response = post(
        server,
        "/admin/building",
        parts,
        {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Cookie": f"floorwise_session={server.cookie}"},
    )
    assert response.status_code == 200, response.text[:500]
    with server.database.transaction() as session:
        assert session.scalar(select(BuildingRow.id).where(BuildingRow.id == "padded")) == "padded"


def csrf_token(server: Server) -> str:
    return csrf.token_for(server.cookie, Settings(secret_key=SERVER_SECRET))
