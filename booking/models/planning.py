"""Planning in the database, shared by every app server: scenarios with the files uploaded with them, their
layouts (each with its author, time and origin), and the optimiser runs queued against them as jobs."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from booking.models.base import Base


class LayoutOrigin(StrEnum):
    IMPORTED = "imported"  # came with the scenario's YAML
    EDITED = "edited"  # saved from the stack-plan editor or the API
    OPTIMISED = "optimised"  # added by an optimiser job (its settings kept)
    PROPOSAL = "proposal"  # saved by a committee member as a proposal


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


#: States a job does not leave.
FINISHED_JOB_STATES = frozenset({JobState.DONE.value, JobState.FAILED.value, JobState.CANCELLED.value})


class ScenarioRow(Base):
    """A scenario as its YAML mapping without ``layouts:`` (those are rows of their own), read by `layouts`."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    document: Mapped[dict[str, Any]] = mapped_column(JSON())
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ScenarioFile(Base):
    """A file uploaded with a scenario (its building, its relations), the only files its names resolve to."""

    __tablename__ = "scenario_files"

    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary(), deferred=True, deferred_raiseload=True)


class ScenarioLayout(Base):
    """One layout of a scenario: seats per unit and place (``{unit: {floor name or space id: seats}}``).

    Never overwritten: a name taken gets a suffix, so that two optimiser runs never lose one another's layout."""

    __tablename__ = "scenario_layouts"
    __table_args__ = (UniqueConstraint("scenario_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    layout: Mapped[dict[str, Any]] = mapped_column(JSON())
    origin: Mapped[str] = mapped_column(String(20), default=LayoutOrigin.IMPORTED.value)
    settings: Mapped[dict[str, Any] | None] = mapped_column(JSON())
    author: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]


class PlanningJob(Base):
    """An optimiser run: queued by a request, run by a worker outside it, its progress kept here for any server to
    show (``iterations``, ``best_travel_hours``, ``elapsed_s``), cancelled by setting ``cancel_requested``."""

    __tablename__ = "planning_jobs"
    __table_args__ = (Index("ix_planning_jobs_scenario_state", "scenario_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="optimise")
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(20), default=JobState.QUEUED.value)
    params: Mapped[dict[str, Any]] = mapped_column(JSON())
    iterations: Mapped[int] = mapped_column(default=0)
    best_travel_hours: Mapped[float | None] = mapped_column(Float())
    elapsed_s: Mapped[float] = mapped_column(Float(), default=0.0)
    layout_id: Mapped[int | None] = mapped_column(ForeignKey("scenario_layouts.id", ondelete="SET NULL"))
    error: Mapped[str | None] = mapped_column(String(2000))
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    worker: Mapped[str | None] = mapped_column(String(200))
