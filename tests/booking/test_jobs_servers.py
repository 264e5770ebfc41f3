"""Optimiser jobs through real servers and workers.

- SQLite: a served application runs two jobs queued on one scenario in its own pool of worker processes; both end
  done, each with its own layout.
- PostgreSQL: a job queued through one `floorwise serve` outlives it: the server stops before any worker runs,
  `floorwise worker` started afterwards finishes the job; a worker whose job process is killed leaves the job
  running, and the next worker puts it back in the queue (saying why) and finishes it.

These start real processes; the PostgreSQL ones need FLOORWISE_TEST_POSTGRES_URL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select, text

from booking.app import create_app
from booking.database import Database
from booking.models import PlanningJob, Role, ScenarioLayout, TokenKind
from booking.services.accounts import issue_token
from booking.services.scenarios import import_scenario
from booking.settings import Settings
from tests.booking.conftest import fresh_engine, postgres_url
from tests.booking.factories import make_user
from tests.booking.live import running_server, serve_process
from tests.booking.planning_data import tiny_yaml

SECRET = "jobs-secret"


def prepare(engine: Engine) -> tuple[int, str]:
    """The tiny scenario and a planner's API token, committed."""
    now = datetime.now(UTC)
    with Database(engine).transaction() as session:
        scenario = import_scenario(session, tiny_yaml(), {}, actor="hana", now=now).id
        planner = make_user(session, "hana", role=Role.PLANNER)
        token = issue_token(session, planner, kind=TokenKind.API, key=SECRET, now=now, lifetime=timedelta(hours=1))
    return scenario, token


def queue(base: str, token: str, scenario: int, **body: object) -> int:
    answer = httpx.post(
        f"{base}/api/scenarios/{scenario}/optimise", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 202, answer.text
    return int(answer.json()["job"])


def wait_for(engine: Engine, job_id: int, states: set[str], *, timeout: float, log: Path | None = None) -> PlanningJob:
    deadline = time.monotonic() + timeout
    while True:
        with Database(engine).session() as session:
            job = session.get(PlanningJob, job_id)
            assert job is not None
            if job.state in states:
                return job
        if time.monotonic() > deadline:
            shown = log.read_text() if log is not None and log.exists() else ""
            raise AssertionError(f"job {job_id} is still {job.state} after {timeout} s\n{shown}")
        time.sleep(0.2)


def test_the_server_runs_two_jobs_of_one_scenario_in_its_pool_on_sqlite(tmp_path: Path) -> None:
    engine = fresh_engine("sqlite", tmp_path)
    scenario, token = prepare(engine)
    settings = Settings(database_url=str(engine.url), secret_key=SECRET, job_workers=2)
    with running_server(create_app(settings)) as base:
        first, second = queue(base, token, scenario, time_limit=2), queue(base, token, scenario, time_limit=2, seed=3)
        done = [wait_for(engine, j, {"done", "failed", "cancelled"}, timeout=180) for j in (first, second)]
        shown = httpx.get(f"{base}/api/jobs/{second}", headers={"Authorization": f"Bearer {token}"}).json()
    assert [j.state for j in done] == ["done", "done"], [j.error for j in done]
    assert done[0].worker != done[1].worker  # two processes of the pool
    assert all(j.worker and int(j.worker.rpartition(":")[2]) != os.getpid() for j in done)  # not this process
    assert shown["layout"] == f"optimised-{second}"
    with Database(engine).session() as session:
        names = set(session.scalars(select(ScenarioLayout.name).where(ScenarioLayout.scenario_id == scenario)))
    assert names == {"now", "b-up", f"optimised-{first}", f"optimised-{second}"}
    engine.dispose()


@pytest.fixture
def pg_engine(tmp_path: Path) -> Iterator[Engine]:
    if postgres_url() is None:
        pytest.skip("needs PostgreSQL: set FLOORWISE_TEST_POSTGRES_URL")
    engine = fresh_engine("postgresql", tmp_path)  # `floorwise db upgrade`: the tables and the queue's schema
    yield engine
    engine.dispose()


def environment() -> dict[str, str]:
    url = postgres_url()
    assert url is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOORWISE_")}
    return env | {"FLOORWISE_DATABASE_URL": url, "FLOORWISE_SECRET_KEY": SECRET}


@contextmanager
def worker_process(log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`floorwise worker --concurrency 1` until the block ends (stopped by SIGTERM, as a service manager does)."""
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "booking.cli", "worker", "--concurrency", "1"],
            env=environment(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def queue_messages(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT task_name, status FROM procrastinate_jobs ORDER BY id"))
        return [(str(r[0]), str(r[1])) for r in rows]


def test_a_job_outlives_the_server_that_queued_it_on_postgresql(pg_engine: Engine, tmp_path: Path) -> None:
    scenario, token = prepare(pg_engine)
    with serve_process(environment(), tmp_path / "serve.log", workers=2) as served:
        base = served.base
        job_id = queue(base, token, scenario, time_limit=2, seed=5)
    # The server is gone; nobody has run the job; its message waits in procrastinate's queue.
    assert wait_for(pg_engine, job_id, {"queued"}, timeout=1).state == "queued"
    assert queue_messages(pg_engine) == [("floorwise.run_planning_job", "todo")]
    log = tmp_path / "worker.log"
    with worker_process(log) as worker:
        done = wait_for(pg_engine, job_id, {"done", "failed", "cancelled"}, timeout=240, log=log)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(60) == 0, log.read_text()
    assert done.state == "done", done.error
    assert done.best_travel_hours == pytest.approx(775 / 3600)
    assert queue_messages(pg_engine) == [("floorwise.run_planning_job", "succeeded")]
    with Database(pg_engine).session() as session:
        layout = session.scalars(select(ScenarioLayout).where(ScenarioLayout.id == done.layout_id)).one()
    assert layout.name == f"optimised-{job_id}" and layout.settings is not None and layout.settings["seed"] == 5


def test_a_job_whose_process_died_is_taken_up_by_the_next_worker(pg_engine: Engine, tmp_path: Path) -> None:
    scenario, token = prepare(pg_engine)
    with serve_process(environment(), tmp_path / "serve.log", workers=2) as served:
        base = served.base
        job_id = queue(base, token, scenario, time_limit=600)
    log = tmp_path / "worker1.log"
    with worker_process(log):
        running = wait_for(pg_engine, job_id, {"running"}, timeout=240, log=log)
        assert running.worker is not None
        os.kill(int(running.worker.rpartition(":")[2]), signal.SIGKILL)  # the job's process dies mid-search
        time.sleep(1)
    assert wait_for(pg_engine, job_id, {"running"}, timeout=1).worker == running.worker  # left running
    with Database(pg_engine).transaction() as session:  # a shorter run, so that the test ends soon
        job = session.get(PlanningJob, job_id)
        assert job is not None
        job.params = {**job.params, "time_limit": 2.0}
    log = tmp_path / "worker2.log"
    with worker_process(log):
        done = wait_for(pg_engine, job_id, {"done", "failed", "cancelled"}, timeout=240, log=log)
    assert done.state == "done"
    assert done.error == f"queued again: its worker {running.worker} stopped"
    assert done.worker != running.worker
