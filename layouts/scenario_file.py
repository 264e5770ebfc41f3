"""Writing a scenario back with a new layout, keeping the planner's file as it was: comments, order and all."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from floorplan.files import write_text_atomic
from layouts.layout import Layout
from layouts.scenario import DEMO_BUILDING


def scenario_text_with_layout(source: Path, layout: Layout, *, out: Path, comment: str = "") -> str:
    """The text of the scenario file ``source`` with ``layout`` added under ``layouts:``, to be written at ``out``.

    A building named by a relative path is re-pointed so that it still resolves from ``out``'s folder.
    """
    yaml = YAML()  # round-trip: keeps comments, key order and flow styles
    yaml.width = 120
    yaml.preserve_quotes = True
    data = yaml.load(source.read_text(encoding="utf-8"))
    building = data.get("building")
    if isinstance(building, str) and building != DEMO_BUILDING and not Path(building).is_absolute():
        moved = os.path.relpath((source.parent / building).resolve(), out.parent.resolve())
        data["building"] = Path(moved).as_posix()
    layouts = data.get("layouts")
    if not isinstance(layouts, Mapping):
        layouts = CommentedMap()
        data["layouts"] = layouts
    entry = CommentedMap()
    for unit, seats in layout.seats.items():
        per_floor = CommentedMap(seats)
        per_floor.fa.set_flow_style()
        entry[unit] = per_floor
    layouts[layout.name] = entry
    if comment:
        layouts.yaml_add_eol_comment(comment, layout.name)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def write_scenario_with_layout(source: Path, layout: Layout, out: Path, *, comment: str = "") -> None:
    """Write ``source`` with ``layout`` added to ``out`` (atomically; ``out`` may be ``source`` itself)."""
    write_text_atomic(out, scenario_text_with_layout(source, layout, out=out, comment=comment))
