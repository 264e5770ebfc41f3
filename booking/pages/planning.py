"""Planners' scenarios kept for the pages: the demo or an uploaded YAML (with its building file), plus the layouts
the optimiser added, each in a folder of its own under ``<data_dir>/scenarios/``.

A scenario is known by a random id (``demo`` for the demo); its folder holds ``scenario.yaml``, the building file
the YAML names, and ``added-layouts.json`` (name -> seats per place) for layouts made in the browser.
"""

from __future__ import annotations

import dataclasses
import json
import re
import secrets
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from layouts.compare import Comparison, compare_layouts
from layouts.demo import DEMO_SCENARIO
from layouts.layout import Layout
from layouts.scenario import Scenario, read_scenario

DEMO_ID = "demo"
ADDED = "added-layouts.json"
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def scenarios_dir(data_dir: Path) -> Path:
    return data_dir / "scenarios"


def workspace(data_dir: Path, scenario_id: str) -> Path:
    if not _ID.match(scenario_id):
        raise KeyError(scenario_id)
    return scenarios_dir(data_dir) / scenario_id


def scenario_file(data_dir: Path, scenario_id: str) -> Path:
    if scenario_id == DEMO_ID:
        return DEMO_SCENARIO
    return workspace(data_dir, scenario_id) / "scenario.yaml"


def exists(data_dir: Path, scenario_id: str) -> bool:
    try:
        return scenario_file(data_dir, scenario_id).is_file()
    except KeyError:
        return False


def new_workspace(data_dir: Path, files: dict[str, bytes], scenario_name: str) -> str:
    """Keep an uploaded scenario (``scenario_name`` among ``files``) and check that it reads; returns its id.

    Raises what `read_scenario` raises, after removing the folder: nothing half-kept."""
    scenario_id = secrets.token_urlsafe(9).replace("-", "x").replace("_", "y")
    folder = workspace(data_dir, scenario_id)
    folder.mkdir(parents=True)
    try:
        for name, content in files.items():
            (folder / ("scenario.yaml" if name == scenario_name else name)).write_bytes(content)
        read_scenario(folder / "scenario.yaml")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return scenario_id


def added_layouts(data_dir: Path, scenario_id: str) -> dict[str, dict[str, dict[str, int]]]:
    path = workspace(data_dir, scenario_id) / ADDED
    if not path.is_file():
        return {}
    data: dict[str, dict[str, dict[str, int]]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def keep_layout(data_dir: Path, scenario_id: str, layout: Layout) -> None:
    """Add (or replace) a layout of the scenario, for every later look at it."""
    folder = workspace(data_dir, scenario_id)
    folder.mkdir(parents=True, exist_ok=True)
    layouts = added_layouts(data_dir, scenario_id)
    layouts[layout.name] = {unit: dict(seats) for unit, seats in layout.seats.items()}
    temporary = folder / (ADDED + ".tmp")
    temporary.write_text(json.dumps(layouts, ensure_ascii=False, indent=1), encoding="utf-8")
    temporary.replace(folder / ADDED)


def _stamp(data_dir: Path, scenario_id: str) -> tuple[float, float]:
    added = workspace(data_dir, scenario_id) / ADDED
    return scenario_file(data_dir, scenario_id).stat().st_mtime, added.stat().st_mtime if added.is_file() else 0.0


class ScenarioCache:
    """Scenarios and their comparisons, read again only when their files change."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[tuple[float, float], Scenario, Comparison]] = {}
        self._lock = threading.Lock()

    def get(self, data_dir: Path, scenario_id: str) -> tuple[Scenario, Comparison]:
        stamp = _stamp(data_dir, scenario_id)
        with self._lock:
            found = self._kept.get(scenario_id)
        if found is not None and found[0] == stamp:
            return found[1], found[2]
        scenario = read_scenario(scenario_file(data_dir, scenario_id))
        extra = {name: Layout(name, seats) for name, seats in added_layouts(data_dir, scenario_id).items()}
        if extra:
            scenario = dataclasses.replace(scenario, layouts={**scenario.layouts, **extra}, places=None)
        comparison = compare_layouts(scenario)
        with self._lock:
            self._kept[scenario_id] = (stamp, scenario, comparison)
        return scenario, comparison


def optimiser() -> Callable[..., Any] | None:
    """The optimiser's entry point, where this installation has it."""
    try:
        from layouts.optimize.stacking import optimize_scenario
    except ImportError:
        return None
    return optimize_scenario
