"""Reading the organisation's units from a file, for `floorwise units import` and the people admin page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from booking.errors import InvalidInput
from booking.services.people import read_csv
from floorplan.errors import Problem


def read_units(source: Path) -> list[dict[str, Any]]:
    """The units of a CSV file (id, name, parent) or of a scenario YAML's ``units:``, as `import_units` takes them;
    `InvalidInput` naming every fault otherwise."""
    if not source.is_file():
        raise InvalidInput([Problem("no such file")], source=str(source))
    if source.suffix.lower() == ".csv":
        rows = read_csv(source, required=("id",), known=("id", "name", "parent"))
        return [{"id": r["id"], "name": r.get("name", ""), "parent": r.get("parent") or None} for _line, r in rows]
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InvalidInput([Problem(f"not readable YAML: {exc}")], source=str(source)) from None
    units = data.get("units") if isinstance(data, dict) else None
    if not isinstance(units, list):
        raise InvalidInput([Problem("no list of units", "units")], source=str(source))
    result = []
    problems = []
    for i, entry in enumerate(units, start=1):
        if not isinstance(entry, dict):
            problems.append(Problem("each unit is a mapping with id, name and parent", f"unit {i}"))
            continue
        result.append(
            {
                "id": str(entry.get("id") or ""),
                "name": str(entry.get("name") or ""),
                "parent": str(entry["parent"]) if entry.get("parent") else None,
            }
        )
    if problems:
        raise InvalidInput(problems, source=str(source))
    return result
