"""The OpenAPI document fuzzed by schemathesis against a running server: every operation, with requests valid and
invalid by the document, as a staff member and as a facilities admin, on SQLite and on PostgreSQL. Every check
schemathesis has must hold: no 5xx, only the statuses, content types, headers and bodies the document declares,
invalid requests refused, authentication enforced.

The database holds a small building, units and people, with bookings, a block, a closure and a zone, made through the
API; the generated ids, dates and names are drawn often from those that exist (``DICTIONARIES``), so that requests
reach real rows and not only 404s. The run is deterministic: a fixed seed, derandomized, no example database; the
app's clock is fixed (31 March 2026), so dates' bounds do not move.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis import Case
from sqlalchemy import Engine, select

from booking.app import create_app
from booking.clock import FixedClock
from booking.database import Database
from booking.models import DeskRow, FloorRow, Role, TokenKind, User
from booking.services.accounts import issue_token
from booking.settings import Settings
from tests.booking.conftest import BACKENDS, fresh_engine
from tests.booking.factories import NOW, make_building, make_unit, make_user
from tests.booking.live import running_server
from tests.booking.test_concurrency import empty_tables

SECRET = "fuzz-secret"
PASSWORD = "fuzz-password-1"
#: Examples per operation and phase: the whole run (two roles, two databases) stays within a few minutes.
MAX_EXAMPLES = 15
SEED = 20260331


#: The ids a fresh database gives the seeded rows (`seed` checks): 8 desks, 2 floors, 3 bookings, and one block,
#: closure and zone.
DESKS, FLOORS, BOOKINGS, ONE = list(range(1, 9)), [1, 2], [1, 2, 3], [1]


def seed(engine: Engine, base: str) -> None:
    """Two floors of desks, a unit tree with a manager and staff, an admin; bookings, a block, a closure and a zone
    made through the API as people would."""
    with Database(engine).transaction() as session:
        make_building(session, floors=2, desks=3, hourly_desks=1)
        make_unit(session, "ku", name="区民部")
        make_unit(session, "koseki", name="戸籍住民課", parent="ku")
        make_user(session, "sato", name="佐藤 花子", unit="koseki", password=PASSWORD, email="sato@example.jp")
        make_user(session, "tanaka", name="田中 一郎", unit="koseki", role=Role.MANAGER, password=PASSWORD)
        make_user(session, "fm", name="Facilities", role=Role.ADMIN, password=PASSWORD)
        desks = sorted(d.id for d in session.scalars(select(DeskRow)))
        floors = sorted(f.id for f in session.scalars(select(FloorRow)))
    assert (desks, floors) == (DESKS, FLOORS)
    with httpx.Client(base_url=base) as client:
        staff, manager, admin = (login(client, who) for who in ("sato", "tanaka", "fm"))
        made = [
            client.post("/api/bookings", json={"desk_id": 1, "date": "2026-04-01"}, headers=staff),
            client.post("/api/bookings", json={"desk_id": 2, "date": "2026-04-01", "slot": "am"}, headers=manager),
            client.post("/api/bookings", json={"desk_id": 4, "start": "2026-04-02T10:00", "end": "2026-04-02T11:00"},
                        headers=staff),
            client.post("/api/blocks", headers=admin,
                        json={"desk_ids": [3], "first_day": "2026-04-06", "last_day": "2026-04-10", "reason": "paint"}),
            client.post("/api/buildings/hq/closures", headers=admin, json={"day": "2026-04-03", "reason": "audit"}),
            client.post("/api/buildings/hq/zones", headers=admin,
                        json={"name": "koseki", "unit_id": "koseki", "weekdays": [0, 1, 2, 3, 4], "desk_ids": [5, 6]}),
        ]  # fmt: skip
    assert [a.status_code for a in made] == [201] * 6, [a.text for a in made]
    ids = [a.json()["id"] if isinstance(a.json(), dict) else a.json()[0]["id"] for a in made]
    assert ids == BOOKINGS + ONE * 3


def login(client: httpx.Client, user_id: str) -> dict[str, str]:
    answer = client.post("/api/auth/token", data={"username": user_id, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


#: Values that once gave 500s, mixed into the dictionaries: ids past 32 and 64 bits, the first and last dates
#: Python has (and the days just outside the ten years around the app's today), NUL characters, strings longer than
#: their columns.
HOSTILE_IDS = [0, 2**31, 2**63, 10**20]
HOSTILE_DAYS = ["0001-01-01", "9999-12-31", "2016-03-30", "2036-04-01"]
HOSTILE_TIMES = ["0001-01-01T00:00:00+09:00", "9999-12-31T23:59:59-12:00"]
HOSTILE_TEXT = ["\x00", "sa\x00to", "x" * 201]


def config() -> schemathesis.Config:
    """Schemathesis' configuration: every check, every phase but the stateful one, a fixed seed, few examples,
    and dictionaries of what exists (and of what once broke), drawn from for half of the values they are bound to."""
    dictionaries = {
        "ids": {"values": sorted(set(DESKS + FLOORS + BOOKINGS + ONE)) + HOSTILE_IDS},
        "desks": {"values": DESKS + HOSTILE_IDS},
        "floors": {"values": FLOORS + HOSTILE_IDS},
        "bookings": {"values": BOOKINGS + HOSTILE_IDS},
        "buildings": {"values": ["hq", *HOSTILE_TEXT]},
        "units": {"values": ["koseki", "ku", *HOSTILE_TEXT]},
        "people": {"values": ["sato", "tanaka", "fm", *HOSTILE_TEXT]},
        "text": {"values": ["sato", "佐藤", *HOSTILE_TEXT]},
        "keys": {"values": ["retry-1", "retry-2", "k" * 201]},
        "days": {"values": ["2026-03-31", "2026-04-01", "2026-04-02", "2026-04-03", "2026-04-06", *HOSTILE_DAYS]},
        "times": {"values": ["2026-04-01T09:00:00+09:00", "2026-04-01T10:00", *HOSTILE_TIMES]},
    }
    bind = {
        "path.booking_id": "bookings",
        "path.floor_id": "floors",
        "path.desk_id": "desks",
        "path.block_id": "ids",
        "path.closure_id": "ids",
        "path.zone_id": "ids",
        "path.building_id": "buildings",
        "path.unit_id": "units",
        "path.token": "text",
        "header.Idempotency-Key": "keys",
        "query.desk_id": "desks",
        "query.before_id": "ids",
        "query.building": "buildings",
        "query.person": "people",
        "query.q": "text",
        "query.entity": "text",
        "query.entity_id": "text",
        "query.date": "days",
        "query.on": "days",
        "query.since": "days",
        "query.until": "days",
        "query.start": "times",
        "query.end": "times",
        "body.desk_id": "desks",
        "body.desk_ids[*]": "desks",
        "body.date": "days",
        "body.day": "days",
        "body.first_day": "days",
        "body.last_day": "days",
        "body.start": "times",
        "body.end": "times",
        "body.user_id": "people",
        "body.owner_id": "people",
        "body.unit_id": "units",
        "body.unit": "units",
        "body.id": "people",
        "body.name": "text",
        "body.reason": "text",
        "body.timezone": "text",
        "body.holiday_country": "text",
    }
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "dictionaries": dictionaries,
            "parameters": {key: {"dictionary": name, "probability": 0.5} for key, name in bind.items()},
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none", "mode": "all"},
            "phases": {"stateful": {"enabled": False}},
            "checks": {
                # A request valid by the document may still be refused: the row is not there (404), a booking rule
                # or another booking stands in the way (409, 422), the asker lacks the right (403), the password is
                # wrong (401), or so many were that logins from this address are throttled (429).
                "positive_data_acceptance": {"expected-statuses": [200, 201, 204, 401, 403, 404, 409, 422, 429]},
            },
        }
    )


@dataclass
class Fuzzed:
    base: str
    engine: Engine
    tokens: dict[str, dict[str, str]]

    def headers(self, case: Case, role: str) -> dict[str, str]:
        """The role's bearer token; to be revoked, a fresh one, so that revoking does not log the rest of the run
        out (issued directly: by then the fuzzed logins have had the address throttled)."""
        if case.path != "/api/auth/revoke":
            return self.tokens[role]
        with Database(self.engine).transaction() as session:
            user = session.get(User, {"staff": "sato", "admin": "fm"}[role])
            assert user is not None
            token = issue_token(session, user, kind=TokenKind.API, key=SECRET, now=NOW, lifetime=timedelta(days=1))
        return {"Authorization": f"Bearer {token}"}


def make_app(database: Database) -> FastAPI:
    return create_app(
        # A throttled login answers at once: the delay slows password guessers, here only the run.
        Settings(database_url="sqlite://", secret_key=SECRET, token_lifetime_hours=24 * 365, login_refusal_delay_ms=0),
        clock=FixedClock(NOW + timedelta(minutes=1)),
        database=database,
    )


@pytest.fixture(scope="module", params=BACKENDS)
def fuzzed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    engine = fresh_engine(request.param, tmp_path_factory.mktemp("fuzz"))
    empty_tables(engine)
    try:
        with running_server(make_app(Database(engine))) as base:
            seed(engine, base)
            with httpx.Client(base_url=base) as client:
                tokens = {"staff": login(client, "sato"), "admin": login(client, "fm")}
            yield Fuzzed(base, engine, tokens)
    finally:
        empty_tables(engine)
        engine.dispose()


#: The document as the server serves it (making it touches no database).
schema = schemathesis.openapi.from_dict(
    make_app(Database.from_settings(Settings(database_url="sqlite://"))).openapi(), config=config()
)


@schema.parametrize()
def test_fuzz_as_staff(case: Case, fuzzed: Fuzzed) -> None:
    case.call_and_validate(base_url=fuzzed.base, headers=fuzzed.headers(case, "staff"))


@schema.parametrize()
def test_fuzz_as_admin(case: Case, fuzzed: Fuzzed) -> None:
    case.call_and_validate(base_url=fuzzed.base, headers=fuzzed.headers(case, "admin"))
