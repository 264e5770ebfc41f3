"""Scenarios that earlier versions kept in files, brought into the database by `floorwise db upgrade`.

Until scenarios lived in the database, the planners' pages kept each uploaded scenario in a folder of its own,
``<data_dir>/scenarios/<id>/``: ``scenario.yaml``, the files it named beside it, and ``added-layouts.json``
(layout name -> seats) for the layouts the optimiser added; the demo's added layouts were in ``scenarios/demo/``
(its YAML is the demo's, in the package). Each folder becomes a scenario (its YAML's layouts ``imported``, the
added ones ``optimised`` with the page's seed 0), read as any upload is: its files resolved only among those in
its folder. A folder brought in is recorded in the audit log (entity ``scenario_workspace``), so running the
upgrade again brings nothing in twice; one that does not read is left where it is, with the reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.errors import BookingError
from booking.models import AuditEntry
from booking.models.planning import LayoutOrigin
from booking.services.audit import record
from booking.services.scenarios import import_scenario, layouts_of, save_layout
from layouts.demo import DEMO_SCENARIO

SCENARIO_FILE = "scenario.yaml"
ADDED = "added-layouts.json"
DEMO_ID = "demo"
ENTITY = "scenario_workspace"
_FOLDER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # the names the pages gave their folders


@dataclass(frozen=True)
class BroughtIn:
    """What became of one folder: ``scenario_id`` when brought in now, else why not (``reason``)."""

    folder: str
    scenario_id: int | None = None
    name: str = ""
    layouts: int = 0
    reason: str = ""

    def line(self) -> str:
        if self.scenario_id is not None:
            return f"scenario {self.folder}: brought in as {self.scenario_id} ({self.name}, {self.layouts} layouts)"
        return f"scenario {self.folder}: {self.reason}"


def _files_of(folder: Path) -> dict[str, bytes]:
    """The regular files beside the YAML (no links, no folders: what an upload could have put there)."""
    out: dict[str, bytes] = {}
    for path in sorted(folder.iterdir()):
        if path.name in (SCENARIO_FILE, ADDED) or path.name.endswith(".tmp"):
            continue
        if path.is_file() and not path.is_symlink():
            out[path.name] = path.read_bytes()
    return out


def _added_layouts(folder: Path) -> dict[str, dict[str, dict[str, int]]]:
    path = folder / ADDED
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{ADDED} is not a mapping of layouts")
    return data


def _done(session: Session, folder: str) -> bool:
    found = session.scalar(
        select(AuditEntry.id).where(AuditEntry.entity == ENTITY, AuditEntry.entity_id == folder).limit(1)
    )
    return found is not None


def bring_in_kept_scenarios(session: Session, data_dir: Path, *, now: datetime, actor: str) -> list[BroughtIn]:
    """Bring each scenario folder under ``data_dir/scenarios`` into the database once; one result per folder.

    Each folder is brought in within a savepoint: one that fails leaves nothing behind and the others go on."""
    root = data_dir / "scenarios"
    if not root.is_dir():
        return []
    out: list[BroughtIn] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and _FOLDER.match(p.name)):
        if _done(session, folder.name):
            out.append(BroughtIn(folder.name, reason="already in the database"))
            continue
        demo = folder.name == DEMO_ID
        scenario_file = DEMO_SCENARIO if demo else folder / SCENARIO_FILE
        if not scenario_file.is_file() or (demo and not (folder / ADDED).is_file()):
            continue  # nothing kept here (a folder of a failed upload, or the demo without added layouts)
        try:
            with session.begin_nested():
                added = _added_layouts(folder)
                row = import_scenario(
                    session, scenario_file.read_bytes(), {} if demo else _files_of(folder), actor=actor, now=now
                )
                for name, seats in added.items():
                    save_layout(
                        session,
                        row.id,
                        name,
                        seats,
                        origin=LayoutOrigin.OPTIMISED,
                        actor=actor,
                        now=now,
                        settings={"seed": 0, "workers": 1, "kept_in": f"{folder.name}/{ADDED}"},
                    )
                record(
                    session,
                    actor=actor,
                    action="bring_in",
                    entity=ENTITY,
                    entity_id=folder.name,
                    now=now,
                    after={"scenario_id": row.id, "folder": str(folder)},
                )
                out.append(BroughtIn(folder.name, row.id, row.name, len(layouts_of(session, row.id))))
        except (BookingError, ValueError, OSError) as exc:
            why = "; ".join(line.strip().removeprefix("- ") for line in str(exc).splitlines()) or type(exc).__name__
            out.append(BroughtIn(folder.name, reason=f"not brought in: {why}"))
    return out
