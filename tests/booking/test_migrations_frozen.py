"""Migrations are frozen: a revision imports no application code, so later changes to the application never
change what an upgrade does (booking/migrations)."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from floorplan.demo import demo_building
from floorplan.geojson import write_geojson

VERSIONS = Path(__file__).resolve().parents[2] / "booking" / "migrations" / "versions"
ALLOWED = ("__future__", "sqlalchemy", "alembic", "booking.migrations.frozen_types")


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def revision(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"revision_{name}", VERSIONS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", sorted(VERSIONS.glob("0*.py")), ids=lambda p: p.name)
def test_a_revision_imports_only_the_standard_library_sqlalchemy_alembic_and_frozen_types(path: Path) -> None:
    for module in imported_modules(path):
        top = module.split(".")[0]
        assert module.startswith(ALLOWED) or top in sys.stdlib_module_names, f"{path.name} imports {module}"


def test_0002_reads_a_plan_file_as_the_application_wrote_it(tmp_path: Path) -> None:
    building = demo_building()
    path = tmp_path / "plan.geojson"
    write_geojson(building, path)
    plan = revision("0002_building_plans").read_plan_file(path)
    assert plan.building_id == building.id
    assert plan.desk_ids == {d.id for d in building.desks()}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{not json", "not valid JSON"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "floorwise": {"version": 2}, "features": []}', "format version 2"),
        ('{"type": "FeatureCollection", "features": [{"properties": {"feature_type": "desk"}}]}', "without an id"),
    ],
)
def test_0002_refuses_a_file_that_is_not_a_plan(tmp_path: Path, text: str, says: str) -> None:
    module = revision("0002_building_plans")
    path = tmp_path / "plan.geojson"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(module.PlanFileUnreadable, match=says):
        module.read_plan_file(path)
