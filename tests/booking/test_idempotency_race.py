"""Concurrent requests with one Idempotency-Key against a running server: one booking, the others replay it (or are
told the key came with another body), never a 500 and never a conflict with the caller's own booking. On SQLite and
on PostgreSQL (where the key is locked for the transaction that first uses it)."""

from __future__ import annotations

import threading
from collections import Counter

import httpx
from sqlalchemy import Engine, func, select

from booking.database import Database
from booking.models import Booking, IdempotentResponse
from tests.booking.test_concurrency import live_engine, prepare, serve  # noqa: F401  (live_engine: a fixture)

SENDERS = 10


def send_at_once(base: str, token: str, key: str, bodies: list[dict[str, object]]) -> list[httpx.Response]:
    barrier = threading.Barrier(len(bodies))
    answers: list[httpx.Response | None] = [None] * len(bodies)
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
    with httpx.Client(base_url=base, timeout=60, limits=httpx.Limits(max_connections=len(bodies))) as client:

        def go(i: int) -> None:
            barrier.wait()
            answers[i] = client.post("/api/bookings", json=bodies[i], headers=headers)

        threads = [threading.Thread(target=go, args=(i,)) for i in range(len(bodies))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return [a for a in answers if a is not None]


def test_one_key_and_body_sent_ten_times_at_once_books_once_and_replays(live_engine: Engine) -> None:  # noqa: F811
    desks, tokens = prepare(live_engine, 1)
    body = {"desk_id": desks[0], "date": "2026-04-01", "slot": "full"}
    with serve(live_engine) as base:
        answers = send_at_once(base, tokens[0], "once", [body] * SENDERS)
    assert len(answers) == SENDERS
    assert Counter(a.status_code for a in answers) == {201: SENDERS}, [a.text for a in answers][:3]
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == SENDERS - 1
    with Database(live_engine).transaction(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Booking)) == 1
        assert session.scalar(select(func.count()).select_from(IdempotentResponse)) == 1


def test_one_key_with_two_bodies_at_once_books_one_and_refuses_the_other(live_engine: Engine) -> None:  # noqa: F811
    desks, tokens = prepare(live_engine, 1)
    bodies: list[dict[str, object]] = [
        {"desk_id": desks[0], "date": "2026-04-01", "slot": "am"},
        {"desk_id": desks[1], "date": "2026-04-02", "slot": "pm"},
    ]
    with serve(live_engine) as base:
        answers = send_at_once(base, tokens[0], "twice", bodies * 3)
    codes = Counter(a.status_code for a in answers)
    assert codes == {201: 3, 422: 3}, [a.text for a in answers]
    made = {a.json()["id"] for a in answers if a.status_code == 201}
    assert len(made) == 1
    for refused in (a.json() for a in answers if a.status_code == 422):
        assert refused["type"].endswith("/idempotency-key-reused")
    with Database(live_engine).transaction(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Booking)) == 1
