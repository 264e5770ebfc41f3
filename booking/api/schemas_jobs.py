"""Request and response bodies of the optimiser jobs API, with the examples the OpenAPI document shows."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from annotated_types import Interval
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from booking.services.jobs import MAX_MOVES_BOUND, MAX_SEED, MAX_TIME_LIMIT_S, MIN_TIME_LIMIT_S
from booking.web.bounds import NoNul

JobStateName = Literal["queued", "running", "done", "failed", "cancelled"]
LayoutName = Annotated[str, StringConstraints(min_length=1, max_length=100), NoNul()]

PARAMS_EXAMPLE: dict[str, Any] = {"from": "now", "time_limit": 30, "seed": 7, "max_moves": 150}
RUNNING_EXAMPLE: dict[str, Any] = {
    "id": 12,
    "scenario": 3,
    "state": "running",
    "params": {"from": "now", "time_limit": 30.0, "seed": 7, "max_moves": 150},
    "iterations": 48_210,
    "best_travel_hours": 21.4,
    "elapsed": 12.1,
    "layout": None,
    "error": None,
    "cancel_requested": False,
    "created_by": "tanaka",
    "created_at": "2026-04-01T09:00:00Z",
    "started_at": "2026-04-01T09:00:01Z",
    "finished_at": None,
}
DONE_EXAMPLE: dict[str, Any] = {
    **RUNNING_EXAMPLE,
    "state": "done",
    "iterations": 121_877,
    "best_travel_hours": 19.9,
    "elapsed": 30.0,
    "layout": "optimised-12",
    "finished_at": "2026-04-01T09:00:32Z",
}
FAILED_EXAMPLE: dict[str, Any] = {
    **RUNNING_EXAMPLE,
    "id": 13,
    "state": "failed",
    "iterations": 0,
    "best_travel_hours": None,
    "elapsed": 0.0,
    "error": "at most 10 people may move from the layout 'now', but every layout that keeps the scenario's "
    "constraints moves at least 60",
    "finished_at": "2026-04-01T09:00:02Z",
}


class OptimiseRequest(BaseModel):
    """An optimiser run: the layout it starts from (default the scenario's first), its time limit in seconds, the
    seed of its random numbers (default: drawn, and kept with the job and the layout) and the most people it may
    move from ``from`` (default: any number)."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={"examples": [PARAMS_EXAMPLE, {"time_limit": 10}]},
    )

    start: LayoutName | None = Field(default=None, alias="from")
    time_limit: Annotated[float, Interval(ge=MIN_TIME_LIMIT_S, le=MAX_TIME_LIMIT_S)] = 10.0
    seed: Annotated[int, Interval(ge=0, le=MAX_SEED)] | None = None
    max_moves: Annotated[int, Interval(ge=0, le=MAX_MOVES_BOUND)] | None = None

    def params(self) -> dict[str, Any]:
        return {"from": self.start, "time_limit": self.time_limit, "seed": self.seed, "max_moves": self.max_moves}


class JobQueued(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"job": 12}]})

    job: int


class JobRead(BaseModel):
    """A job's state: ``iterations``, ``best_travel_hours`` (the best layout's week of travel so far) and
    ``elapsed`` (seconds of search) while it runs, updated about once a second; ``layout`` names the layout a
    done job added; ``error`` says why a job failed (or why it was queued again after its worker stopped)."""

    model_config = ConfigDict(json_schema_extra={"examples": [RUNNING_EXAMPLE, DONE_EXAMPLE, FAILED_EXAMPLE]})

    id: int
    scenario: int
    state: JobStateName
    params: dict[str, Any]
    iterations: int
    best_travel_hours: float | None
    elapsed: float
    layout: str | None
    error: str | None
    cancel_requested: bool
    created_by: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
