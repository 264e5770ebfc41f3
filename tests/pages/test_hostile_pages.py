"""Hostile input on every page gets a page, never a 500: each path, query and form parameter of every page route
of the app (walked from ``app.routes``, outside /api and /static) is sent ids of 0, -1, 2**31 and 10**20, dates of
year 1, year 9999 and 'x', a NUL and 10,000 characters, as a facilities admin and as staff, on SQLite and on
PostgreSQL. Every answer must be below 500 and an HTML page (or a redirect). A few answers are checked word for
word: the 422 page names the parameter, in English and in Japanese; an id no row can have in a path is a 404.

The clock is NOW (31 March 2026), so the dates a page takes are 31 March 2016 to 31 March 2036."""

from __future__ import annotations

import datetime as dt
import http.client
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from booking.models import User
from booking.models.planning import PlanningJob
from booking.pages import API_PREFIXES
from booking.pages.core import PageRoute
from booking.services import admin
from booking.services import scenarios as scenario_service
from booking.services.bookings import book_desk
from booking.settings import Settings
from tests.booking.conftest import BACKENDS, fresh_engine
from tests.booking.factories import NOW, desk, floor
from tests.booking.live import running_server
from tests.pages.conftest import token_of

#: Every hostile value, sent to every parameter whatever its type (a text field gets the ids and dates too).
HOSTILE = ("0", "-1", str(2**31), str(10**20), "0001-01-01", "9999-12-31", "x", "a\x00b", "x" * 10_000)

TWO_FLOORS = (
    b"name: two floors\n"
    b"building: {floors: [{name: 1F, level: 0, seats: 40}, {name: 2F, level: 1, seats: 40}],"
    b" cores: [{id: s, kind: stair, levels: [0, 1]}]}\n"
    b"units:\n  - {id: a, name: Alpha, headcount: 10}\n  - {id: b, name: Beta, headcount: 10}\n"
    b"relations:\n  - [a, b, 20]\n"
    b"layouts:\n  apart: {a: {1F: 8}, b: {2F: 8}}\n  together: {a: {1F: 8}, b: {1F: 8}}\n"
)


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Both databases (the other pages' tests run on SQLite only): PostgreSQL refuses a NUL in text and ids past a
    32-bit column, where SQLite takes anything."""
    made = fresh_engine(request.param, tmp_path_factory.mktemp(f"hostile-{request.param}"))
    yield made
    made.dispose()


@dataclass(frozen=True)
class World:
    """The rows whose ids the routes' paths take, so that each parameter is tried with the others real."""

    path_values: dict[str, str]
    forms: dict[str, dict[str, str]]


@pytest.fixture
def world(db: Session, office: dict[str, User]) -> World:
    """A booking, a block, a closure, a zone, a scenario with an optimiser run done, and the forms' real values."""
    fm, sato = office["admin"], office["sato"]
    d1, d2, d3 = (desk(db, ref).id for ref in ("1F-D1", "1F-D2", "1F-D3"))
    booking = book_desk(db, user=sato, desk_id=d1, now=NOW, day=dt.date(2026, 4, 1), slot="full")
    april = dt.date(2026, 4, 6), dt.date(2026, 4, 7)
    block = admin.block_desks(db, [d2], first_day=april[0], last_day=april[1], reason="carpet", actor=fm, now=NOW)[0]
    closure, _ = admin.add_closure(db, "hq", dt.date(2026, 4, 10), "maintenance", actor=fm, now=NOW)
    zone = admin.create_zone(
        db, "hq", name="north", unit_id="koseki", weekdays=[0], desk_ids=[d3], space_refs=[], actor=fm, now=NOW
    )
    scenario = scenario_service.import_scenario(db, TWO_FLOORS, {}, actor=fm, now=NOW)
    job = PlanningJob(scenario_id=scenario.id, state="done", params={"from": "apart"}, created_at=NOW)
    db.add(job)
    db.commit()
    f = str(floor(db).id)
    layout = '{"a": {"1F": 8}, "b": {"2F": 8}}'
    return World(
        path_values={
            "desk_id": str(d1),
            "floor_id": f,
            "booking_id": str(booking.id),
            "block_id": str(block.id),
            "closure_id": str(closure.id),
            "zone_id": str(zone.id),
            "building_id": "hq",
            "scenario_id": str(scenario.id),
            "job_id": str(job.id),
            "code": "en",
        },
        forms={
            "/login": {"username": "nobody", "password": "wrong-password", "next": "/book"},
            "/desks/{desk_id}/book": {"date": "2026-04-02", "slot": "full", "start": "09:00", "end": "10:00"},
            "/mine/series": {
                "desk": "1F-D4",
                "weekdays": "2",
                "until": "2026-04-20",
                "slot": "am",
                "start": "",
                "end": "",
            },
            "/admin/building": {"format": "geojson"},
            "/admin/blocks": {
                "floor": f,
                "desks": "1F-D4",
                "first_day": "2026-04-08",
                "last_day": "2026-04-09",
                "reason": "paint",
            },
            "/admin/blocks/{block_id}/delete": {"floor": f},
            "/admin/owner": {"floor": f, "desk": "1F-D4", "owner": "tanaka"},
            "/admin/rules/{building_id}": {
                "opens_at": "08:30",
                "noon": "12:00",
                "closes_at": "17:15",
                "zone_release_time": "15:00",
                "days_ahead": "28",
                "longest_booking_minutes": "",
                "hourly_step_minutes": "30",
                "cancel_cutoff_minutes": "0",
                "check_in_opens_minutes": "30",
                "check_in_closes_minutes": "60",
                "closed_weekdays": "6",
                "holiday_country": "JP",
                "timezone": "Asia/Tokyo",
                "check_in_required": "on",
            },
            "/admin/closures/{building_id}": {"day": "2026-04-11", "reason": "inspection"},
            "/admin/zones/{building_id}": {
                "name": "south",
                "unit": "zeimu",
                "weekdays": "1",
                "desks": "1F-D4",
                "spaces": "1F-office",
            },
            "/planners/{scenario_id}/edit": {
                "layout": layout,
                "base": "apart",
                "block": '["a", "1F"]',
                "to_floor": "2F",
                "seats": "4",
            },
            "/planners/{scenario_id}/layouts": {"layout": layout, "base": "apart", "name": "mine"},
            "/planners/{scenario_id}/optimise": {"from": "apart", "time_limit": "5", "seed": "7"},
            "/planners/{scenario_id}/units": {"headcount.a": "12", "fixed_share.a": "0.5", "desk_ratio.b": "0.8"},
            "/planners/{scenario_id}/relations": {"a|b": "A"},
            "/planners/{scenario_id}/constraints": {"fixed": "a: 1F", "apart": "a, b", "max_floors": "b: 1"},
        },
    )


#: Posts with nothing to fill in but their path (tried with hostile path values only).
NO_FIELDS = {
    "/logout",
    "/mine/calendar",
    "/mine/calendar/stop",
    "/planners/demo",
    "/desks/{desk_id}/check-in",
    "/bookings/{booking_id}/cancel",
    "/bookings/{booking_id}/check-in",
    "/admin/closures/{building_id}/{closure_id}/delete",
    "/admin/zones/{building_id}/{zone_id}/delete",
    "/planners/{scenario_id}/jobs/{job_id}/cancel",
}
#: Uploads: each file field gets a file that reads, then in turn each hostile file and a hostile value instead.
FILES: dict[str, dict[str, tuple[str, bytes, tuple[bytes, ...]]]] = {
    "/admin/building": {
        "file": (
            "hq.geojson",
            b'{"type": "FeatureCollection", "features": []}',
            (b'{"type": "FeatureCollection", "features": [], "name": "a\\u0000b"}', b"\x00" * 100),
        )
    },
    "/admin/people/import": {
        "file": (
            "people.csv",
            b"id,name,email,unit\nkato,Kato,,koseki\n",
            (b"id,name,email,unit\nka\x00to,Kato,,koseki\n", b"id,name,email,unit\n" + b"k" * 10_000 + b",K,,koseki\n"),
        )
    },
    "/admin/units/import": {
        "file": (
            "units.csv",
            b"id,name,parent\nsoumu,Soumu,\n",
            (b"id,name,parent\nso\x00mu,Soumu,\n", b"id,name,parent\n" + b"s" * 10_000 + b",Soumu,\n"),
        )
    },
    "/planners/import": {
        "scenario": (
            "two.yaml",
            TWO_FLOORS,
            (
                TWO_FLOORS.replace(b"name: two floors", b'name: "two\\0floors"'),
                TWO_FLOORS.replace(b"id: a,", b'id: "a\\0",'),
            ),
        ),
        "files": ("notes.txt", b"not named by the scenario", (b"\x00" * 100, b"PK\x03\x04" + b"\x00" * 100)),
    },
}
Files = dict[str, tuple[str, bytes]]


@dataclass(frozen=True)
class Probe:
    method: str
    url: str
    form: dict[str, str] | None
    files: Files
    where: str  # the route and the parameter tried, for the report

    def send(self, client: TestClient, settings: Settings) -> Any:
        if self.method == "GET":
            return client.get(self.url)
        uploads = {k: (name, io.BytesIO(body)) for k, (name, body) in self.files.items()} or None
        form = {**(self.form or {}), "csrf_token": token_of(client, settings)}
        return client.post(self.url, data=form, files=uploads)


@dataclass(frozen=True)
class PageRouteSeen:
    path: str  # as served (an included router's prefix applied)
    methods: frozenset[str]
    dependant: Dependant


def page_routes(client: TestClient) -> list[PageRouteSeen]:
    """The application's routes outside /api and /static (FastAPI keeps included routers nested in ``app.routes``:
    `iter_route_contexts` gives each route as served)."""
    app: Any = client.app
    return [
        PageRouteSeen(str(seen.path), frozenset(seen.methods or ()), seen.original_route.dependant)
        for seen in iter_route_contexts(app.routes)
        if isinstance(seen.original_route, APIRoute) and not str(seen.path).startswith(API_PREFIXES)
    ]


def parameters(dependant: Dependant) -> tuple[set[str], set[str], set[str]]:
    """The names of a route's path, query and form parameters, its dependencies' included."""
    found: tuple[set[str], set[str], set[str]] = (set(), set(), set())
    stack = [dependant]
    while stack:
        current = stack.pop()
        for names, params in zip(found, (current.path_params, current.query_params, current.body_params), strict=True):
            names |= {p.alias for p in params}
        stack += current.dependencies
    return found


def probes(route: PageRouteSeen, world: World) -> Iterator[Probe]:
    """Each parameter of ``route`` given each hostile value, the others their real values."""
    in_path, in_query, in_form = parameters(route.dependant)
    paths = {name: world.path_values[name] for name in sorted(in_path)}
    uploads = FILES.get(route.path, {})
    files = {field: (name, body) for field, (name, body, _) in uploads.items()}
    for method in sorted(route.methods):
        form = world.forms.get(route.path, {} if uploads else None) if method == "POST" else None
        if method == "POST":
            declared = in_form - set(uploads)
            assert form is not None or (route.path in NO_FIELDS and not declared), f"no form for {route.path}"
            assert declared <= set(form or {}), f"{route.path}: fields {declared - set(form or {})} not tried"
        varied = [("path", p) for p in paths]
        varied += [("query", name) for name in sorted(in_query)] if method == "GET" else []
        varied += [("form", name) for name in [*(form or {}), *(uploads if method == "POST" else ())]]
        for kind, name in varied:
            for value in HOSTILE:
                path = {**paths, name: value} if kind == "path" else paths
                url = route.path.format(**{k: quote(v, safe="") for k, v in path.items()})
                if kind == "query":
                    url += f"?{name}={quote(value, safe='')}"
                sent = {**(form or {}), name: value} if kind == "form" else form
                sent_files = {k: v for k, v in files.items() if k != name} if method == "POST" else {}
                yield Probe(method, url, sent, sent_files, f"{method} {route.path} {kind} {name}={value[:24]!r}")
        if method == "POST":
            url = route.path.format(**paths)
            for field, (filename, _, hostile) in uploads.items():
                for body in hostile:
                    where = f"POST {route.path} file {field}={body[:40]!r}"
                    yield Probe(method, url, form, {**files, field: (filename, body)}, where)


def walk(client: TestClient, settings: Settings, world: World) -> list[str]:
    """Every probe of every page route; the answers that are not a page below 500, described."""
    faults = []
    for route in page_routes(client):
        for probe in probes(route, world):
            answer = probe.send(client, settings)
            is_page = answer.headers.get("content-type", "").startswith("text/html")
            if answer.status_code >= 500 or not (is_page or answer.is_redirect):
                faults.append(f"{probe.where}: {answer.status_code} {answer.headers.get('content-type')}")
    return faults


@pytest.mark.parametrize("who", ["admin", "sato"])
def test_every_page_answers_hostile_input_with_a_page_below_500(
    client: TestClient, settings: Settings, world: World, office: dict[str, User], log_in: Any, who: str
) -> None:
    log_in(office[who])
    assert len(page_routes(client)) >= 50  # the walk sees the pages (about 60 routes)
    faults = walk(client, settings, world)
    assert faults == [], "\n".join(faults)


def _problem(answer: Any) -> str:
    """The sentence of an error page (its ``role="alert"`` paragraph)."""
    text: str = answer.text
    start = text.index('role="alert">') + len('role="alert">')
    return text[start : text.index("</p>", start)]


@pytest.mark.parametrize(
    ("url", "english", "japanese"),
    [
        (
            "/book?date=0001-01-01",
            "“date”: the date must be from Thu, Mar 31, 2016 to Mon, Mar 31, 2036.",
            "「date」：日付は2016年3月31日(木)から2036年3月31日(月)までにしてください。",
        ),
        ("/team?date=x", "“date”: not a date (YYYY-MM-DD).", "「date」：日付（YYYY-MM-DD）として読み取れません。"),
        (
            "/team?q=a%00b",
            "“q” contains a character that cannot be used (NUL).",
            "「q」に使用できない文字（NUL）が含まれています。",
        ),
        (
            "/reports?building=" + "x" * 10_000,
            "“building” is too long: at most 100 characters.",
            "「building」が長すぎます（100文字以内）。",
        ),
        (
            "/admin/audit?before_id=100000000000000000000",
            "“before_id”: must be at most 2,147,483,647.",
            "「before_id」：2,147,483,647以下にしてください。",
        ),
        ("/admin/desks?floor=0", "“floor”: must be at least 1.", "「floor」：1以上にしてください。"),
    ],
)
def test_the_page_names_the_parameter_in_the_page_language(
    client: TestClient, office: dict[str, User], log_in: Any, url: str, english: str, japanese: str
) -> None:
    log_in(office["admin"])
    for lang, expected in (("en", english), ("ja", japanese)):
        answer = client.get(url, headers={"Accept-Language": lang})
        assert answer.status_code == 422, answer.text[:300]
        assert answer.headers["content-type"].startswith("text/html")
        assert _problem(answer) == expected


@pytest.mark.parametrize("url", ["/desks/2147483648", "/desks/0/qr.svg", "/admin/floors/-1/qr", "/planners/x"])
def test_an_id_no_row_can_have_in_a_path_is_a_404_page(
    client: TestClient, office: dict[str, User], log_in: Any, url: str
) -> None:
    log_in(office["admin"])
    answer = client.get(url)
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in answer.text


def test_a_form_with_a_year_one_or_a_nul_gets_the_page_naming_the_field(
    client: TestClient, settings: Settings, world: World, office: dict[str, User], log_in: Any, db: Session
) -> None:
    log_in(office["admin"])
    form = {**world.forms["/admin/closures/{building_id}"], "csrf_token": token_of(client, settings)}
    year_one = client.post("/admin/closures/hq", data={**form, "day": "0001-01-01"})
    assert year_one.status_code == 422
    assert _problem(year_one) == "“day”: the date must be from Thu, Mar 31, 2016 to Mon, Mar 31, 2036."
    nul = client.post("/admin/closures/hq", data={**form, "reason": "a\x00b"}, headers={"Accept-Language": "ja"})
    assert nul.status_code == 422 and _problem(nul) == "「reason」に使用できない文字（NUL）が含まれています。"
    rules = {**world.forms["/admin/rules/{building_id}"], "csrf_token": token_of(client, settings)}
    huge = client.post("/admin/rules/hq", data={**rules, "cancel_cutoff_minutes": str(10**20)})
    assert huge.status_code == 422 and "“cancel_cutoff_minutes”: must be at most 527,040." in huge.text
    offset = client.post("/admin/rules/hq", data={**rules, "opens_at": "08:30+09:00"})
    assert offset.status_code == 422 and "“opens_at”: not a local time (HH:MM, without a UTC offset)." in offset.text
    long = {**world.forms["/mine/series"], "until": "2036-03-31", "csrf_token": token_of(client, settings)}
    series = client.post("/mine/series", data=long)
    # 31 March 2026 to 31 March 2036, both included: 10 years of 365 days, 3 leap days (2028, 2032, 2036), and 1
    assert series.status_code == 422 and "“until”: a span covers at most 731 days, not 3,654." in series.text


def test_an_unexpected_error_on_a_page_is_a_logged_500_page_and_the_connection_stays_open(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug (here a route that raises) is answered with the 500 page and logged once with its traceback; over a
    real server, the keep-alive connection then serves the next request. (Starlette's handler for Exception raised
    the exception again after answering, and uvicorn closed the connection: the next request got no answer.)"""
    app: Any = client.app

    def broken() -> None:
        raise RuntimeError("a bug")

    app.router.routes.insert(0, PageRoute("/broken", broken, methods=["GET"]))
    answer = client.get("/broken", headers={"Accept-Language": "ja"})
    assert answer.status_code == 500 and answer.headers["content-type"].startswith("text/html")
    assert "サーバー側で問題が発生しました。" in answer.text
    logged = [r for r in caplog.records if r.exc_info and "a bug" in str(r.exc_info[1])]
    assert [r.getMessage() for r in logged] == ["unexpected error on GET /broken"]
    with running_server(app) as base:
        connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=10)
        statuses = []
        for path in ("/broken", "/login", "/broken", "/login"):  # one connection: never reopened
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        connection.close()
    assert statuses == [500, 200, 500, 200]


def test_an_upload_with_a_nul_or_a_cell_past_its_column_is_refused_naming_the_row(
    client: TestClient, settings: Settings, world: World, office: dict[str, User], log_in: Any
) -> None:
    log_in(office["admin"])
    token = {"csrf_token": token_of(client, settings)}
    people = io.BytesIO(b"id,name,email,unit\nka\x00to,Kato,,koseki\n")
    refused = client.post("/admin/people/import", data=token, files={"file": ("people.csv", people)})
    assert (
        refused.status_code == 422 and "people.csv: row 2, field &#39;id&#39;: contains a NUL character" in refused.text
    )
    units = io.BytesIO(b"id,name,parent\n" + b"s" * 101 + b",Soumu,\n")
    refused = client.post("/admin/units/import", data=token, files={"file": ("units.csv", units)})
    assert refused.status_code == 422
    assert "units.csv: unit 1 (&#39;" + "s" * 101 + "&#39;), field &#39;id&#39;: at most 100 characters, not 101" in (
        refused.text
    )
    scenario = io.BytesIO(TWO_FLOORS.replace(b"name: two floors", b'name: "two\\0floors"'))
    refused = client.post("/planners/import", data=token, files={"scenario": ("two.yaml", scenario)})
    assert refused.status_code == 422 and "a scenario must not contain a NUL character (\\0)" in refused.text
