"""Optimiser jobs run by `run_job` against a real database whose steps commit (SQLite always, PostgreSQL when
configured): queued -> running -> done with a layout added, two jobs adding two layouts, cancelling, failing with a
sentence, and the recovery of jobs whose worker died.

The tiny scenario (tests/booking/planning_data.py): units a, b, c of 4 seats on three floors of 10 seats; a-b 10
trips a week, a-c 40 (A), b-c apart (X). a and c together save the most: 40 trips at 10 s (one floor) plus b next
door, 10 trips at 37.5 s, gives 400 + 375 = 775 s a week, 0.2153 h; every other arrangement costs more (a and c
a floor apart alone cost 40 * 37.5 = 1500 s). Of the optima, those moving 4 people from ``now`` (a 1F, b 2F, c 3F)
are c down to 1F or a up to 3F.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from booking.clock import FixedClock
from booking.database import Database
from booking.errors import InvalidInput, NotFound
from booking.models import AuditEntry, PlanningJob, ScenarioLayout
from booking.services.jobs import (
    JobFinished,
    cancel_job,
    job_or_404,
    jobs_of_scenario,
    queue_optimise,
    recover_jobs,
    run_job,
)
from booking.services.scenarios import import_scenario
from tests.booking.conftest import fresh_engine
from tests.booking.factories import NOW
from tests.booking.planning_data import tiny_yaml

OPTIMUM_S = 10 * 37.5 + 40 * 10.0  # 775 trip-seconds a week


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    engine: Engine = fresh_engine(request.param, tmp_path)
    made = Database(engine)
    yield made
    made.dispose()


def tiny(database: Database, **extra: object) -> int:
    with database.transaction() as session:
        return import_scenario(session, tiny_yaml(**extra), {}, actor="hana", now=NOW).id


def queue(database: Database, scenario_id: int, **params: object) -> int:
    with database.transaction() as session:
        return queue_optimise(session, scenario_id, params, actor="hana", now=NOW).id


def job(database: Database, job_id: int) -> PlanningJob:
    with database.session() as session:
        return job_or_404(session, job_id)


def layouts(database: Database, scenario_id: int) -> dict[str, ScenarioLayout]:
    with database.session() as session:
        rows = session.scalars(select(ScenarioLayout).where(ScenarioLayout.scenario_id == scenario_id))
        return {row.name: row for row in rows}


def test_a_job_runs_to_done_and_adds_its_layout(database: Database) -> None:
    scenario = tiny(database)
    job_id = queue(database, scenario, time_limit=1, seed=7)
    assert job(database, job_id).state == "queued"
    assert run_job(database, job_id, clock=FixedClock(NOW)) == "done"
    ran = job(database, job_id)
    assert ran.state == "done" and ran.error is None and ran.worker
    assert ran.best_travel_hours == pytest.approx(OPTIMUM_S / 3600)
    assert ran.iterations > 0 and 0.9 < ran.elapsed_s < 60
    added = layouts(database, scenario)[f"optimised-{job_id}"]
    assert ran.layout_id == added.id
    assert added.origin == "optimised" and added.author == "hana"
    assert added.settings is not None
    assert {k: added.settings[k] for k in ("job", "from", "seed", "time_limit", "max_moves")} == {
        "job": job_id, "from": "now", "seed": 7, "time_limit": 1.0, "max_moves": None,
    }  # fmt: skip
    assert added.layout in (
        {"a": {"1F": 4}, "b": {"2F": 4}, "c": {"1F": 4}},
        {"a": {"3F": 4}, "b": {"2F": 4}, "c": {"3F": 4}},
    )
    # A job is run once: a second delivery finds it taken.
    assert run_job(database, job_id) == "not_claimed"


def test_two_jobs_on_one_scenario_both_add_a_layout(database: Database) -> None:
    scenario = tiny(database)
    first, second = queue(database, scenario, time_limit=1), queue(database, scenario, time_limit=1, max_moves=0)
    outcomes: dict[int, str] = {}
    threads = [threading.Thread(target=lambda j=j: outcomes.update({j: run_job(database, j)})) for j in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == {first: "done", second: "done"}
    found = layouts(database, scenario)
    assert set(found) == {"now", "b-up", f"optimised-{first}", f"optimised-{second}"}
    # max_moves 0 keeps the starting layout: 10 * 37.5 + 40 * 55 = 2575 s.
    assert found[f"optimised-{second}"].layout == {"a": {"1F": 4}, "b": {"2F": 4}, "c": {"3F": 4}}
    assert job(database, second).best_travel_hours == pytest.approx(2575 / 3600)


def test_a_layout_name_taken_meanwhile_gets_a_suffix(database: Database) -> None:
    scenario = tiny(database)
    job_id = queue(database, scenario, time_limit=1)
    with database.transaction() as session:
        from booking.services.scenarios import save_layout

        save_layout(
            session, scenario, f"optimised-{job_id}", {"a": {"1F": 4}, "b": {"2F": 4}, "c": {"3F": 4}},
            origin="edited", actor="ken", now=NOW,
        )  # fmt: skip
    assert run_job(database, job_id) == "done"
    found = layouts(database, scenario)
    assert found[f"optimised-{job_id}"].origin == "edited"  # kept, not overwritten
    assert found[f"optimised-{job_id}-2"].origin == "optimised"
    assert job(database, job_id).layout_id == found[f"optimised-{job_id}-2"].id


def test_a_running_job_stops_when_cancelled_and_keeps_nothing(database: Database) -> None:
    scenario = tiny(database)
    job_id = queue(database, scenario, time_limit=120)
    outcome: list[str] = []
    runner = threading.Thread(target=lambda: outcome.append(run_job(database, job_id)))
    runner.start()
    deadline = time.monotonic() + 60
    while job(database, job_id).iterations == 0:  # running, its progress written
        assert time.monotonic() < deadline, "no progress written"
        time.sleep(0.1)
    with database.transaction() as session:
        assert cancel_job(session, job_id, actor="hana", now=NOW).state == "running"  # asked, not yet stopped
    runner.join(30)
    assert outcome == ["cancelled"]  # within a second or two, not after 120 s
    ended = job(database, job_id)
    assert ended.state == "cancelled" and ended.layout_id is None and ended.finished_at is not None
    assert set(layouts(database, scenario)) == {"now", "b-up"}
    with database.transaction() as session:  # again: nothing changes
        assert cancel_job(session, job_id, actor="hana", now=NOW).state == "cancelled"


def test_a_queued_job_cancelled_is_never_run(database: Database) -> None:
    scenario = tiny(database)
    job_id = queue(database, scenario, time_limit=1)
    with database.transaction() as session:
        assert cancel_job(session, job_id, actor="hana", now=NOW).state == "cancelled"
    assert run_job(database, job_id) == "not_claimed"
    with database.session() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("%_job%"))).all()
        assert "cancel_job" in actions


def test_a_finished_job_cannot_be_cancelled(database: Database) -> None:
    scenario = tiny(database)
    job_id = queue(database, scenario, time_limit=1)
    run_job(database, job_id)
    with database.transaction() as session, pytest.raises(JobFinished) as refused:
        cancel_job(session, job_id, actor="hana", now=NOW)
    assert refused.value.status == 409 and refused.value.members == {"job_state": "done"}


def test_a_job_that_cannot_be_done_fails_saying_why(database: Database) -> None:
    # 3F closed: c (4 people) must leave it wherever the units go, but at most 2 may move.
    scenario = tiny(database, constraints={"closed_floors": ["3F"]})
    job_id = queue(database, scenario, time_limit=1, max_moves=2)
    assert run_job(database, job_id) == "failed"
    failed = job(database, job_id)
    assert failed.state == "failed" and failed.finished_at is not None and failed.layout_id is None
    assert failed.error == (
        "at most 2 people may move, but 4 must move from the starting layout 'now' wherever the units go (units on "
        "floors they may no longer use, or parts of units that must split)"
    )


def test_a_worker_stopping_puts_its_job_back_in_the_queue(database: Database) -> None:
    scenario = tiny(database)
    job_id = queue(database, scenario, time_limit=120)
    stop = threading.Event()
    outcome: list[str] = []
    runner = threading.Thread(target=lambda: outcome.append(run_job(database, job_id, should_stop=stop.is_set)))
    runner.start()
    while job(database, job_id).state != "running":
        time.sleep(0.05)
    stop.set()
    runner.join(30)
    assert outcome == ["requeued"]
    back = job(database, job_id)
    assert (back.state, back.worker, back.started_at, back.iterations, back.error) == ("queued", None, None, 0, None)


def test_bad_parameters_are_refused_naming_each_field(database: Database) -> None:
    scenario = tiny(database)
    with database.transaction() as session, pytest.raises(InvalidInput) as refused:
        queue_optimise(
            session, scenario, {"from": "later", "time_limit": 601, "seed": -1, "max_moves": 1.5, "workers": 4},
            actor="hana", now=NOW,
        )  # fmt: skip
    assert {e["field"] for e in refused.value.members["errors"]} == {
        "from", "time_limit", "seed", "max_moves", "workers",
    }  # fmt: skip
    with database.session() as session:
        assert jobs_of_scenario(session, scenario) == []  # nothing written
        with pytest.raises(NotFound):
            queue_optimise(session, scenario + 1, {}, actor="hana", now=NOW)


def test_the_defaults_are_the_first_layout_ten_seconds_and_a_seed_kept(database: Database) -> None:
    scenario = tiny(database)
    with database.transaction() as session:
        params = queue_optimise(session, scenario, {}, actor="hana", now=NOW).params
    assert params["from"] == "now" and params["time_limit"] == 10.0 and params["max_moves"] is None
    assert 0 <= params["seed"] <= 2**31 - 1


def _running(database: Database, job_id: int, *, worker: str, started: timedelta, error: str | None = None) -> None:
    with database.transaction() as session:
        row = job_or_404(session, job_id)
        row.state, row.worker, row.started_at, row.error = "running", worker, NOW - started, error


def test_jobs_of_dead_workers_are_queued_again_once_then_failed(database: Database) -> None:
    scenario = tiny(database)
    dead, alive, stale, other = (queue(database, scenario, time_limit=60) for _ in range(4))
    _running(database, dead, worker="here:111", started=timedelta(seconds=5))
    _running(database, alive, worker="here:222", started=timedelta(seconds=5))
    _running(database, stale, worker="there:333", started=timedelta(seconds=60 + 301))
    _running(database, other, worker="there:444", started=timedelta(seconds=60 + 299))

    def recover() -> dict[int, str]:
        with database.transaction() as session:
            return recover_jobs(session, now=NOW, host="here", alive=lambda pid: pid == 222)

    assert recover() == {dead: "queued", stale: "queued"}
    again = job(database, dead)
    assert (again.state, again.worker, again.error) == ("queued", None, "queued again: its worker here:111 stopped")
    assert job(database, stale).error == "queued again: its worker there:333 gave no answer for 360 s past its start"
    assert job(database, alive).state == "running" and job(database, other).state == "running"
    assert recover() == {}  # nothing more to do: a second sweeper changes nothing
    # Taken up again and abandoned again: failed, saying so.
    _running(database, dead, worker="here:555", started=timedelta(seconds=1), error=job(database, dead).error)
    assert recover() == {dead: "failed"}
    failed = job(database, dead)
    assert failed.state == "failed" and failed.error == (
        "its worker here:555 stopped (the second time it was taken up); not tried again"
    )
