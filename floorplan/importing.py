"""Read a building from any supported file: the format comes from the file name, or is given."""

from __future__ import annotations

import importlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from floorplan.archives import MAX_UNPACKED_BYTES
from floorplan.errors import InvalidBuilding, Problem
from floorplan.model import Building

FORMATS = ("geojson", "cobie", "imdf", "floor-guide")


@dataclass(frozen=True, slots=True)
class Imported:
    """A building read from a file, with notes on what the reader found but could not use."""

    building: Building
    notes: tuple[str, ...] = ()


def detect_format(path: Path) -> str:
    """The format of a building file, from its name (and, for a zip or a folder, its contents)."""
    name = path.name.lower()
    if path.is_dir():
        if (path / "level.geojson").exists() or (path / "manifest.json").exists():
            return "imdf"
    elif name.endswith(".xlsx"):
        return "cobie"
    elif name.endswith((".yaml", ".yml")):
        return "floor-guide"
    elif name.endswith((".geojson", ".json")):
        return "geojson"
    elif name.endswith((".zip", ".imdf")) and zipfile.is_zipfile(path):
        return "imdf"
    raise InvalidBuilding(
        [Problem(f"cannot tell the format from the name; give one of {', '.join(FORMATS)} with --format")],
        source=str(path),
    )


def read_building(
    path: str | Path, *, format: str | None = None, max_unpacked_bytes: int = MAX_UNPACKED_BYTES
) -> Imported:
    """Read and validate the building in ``path``; raise `InvalidBuilding` naming every fault found.

    An archive (IMDF .zip, COBie .xlsx) that unpacks to more than ``max_unpacked_bytes`` raises `ArchiveTooLarge`
    before it is parsed."""
    path = Path(path)
    if not path.exists():
        raise InvalidBuilding([Problem("no such file or folder")], source=str(path))
    fmt = format or detect_format(path)
    if fmt not in _READERS:
        raise InvalidBuilding([Problem(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")], source=str(path))
    module, function = _READERS[fmt]
    # Imported on use, so that a reader's weight (openpyxl, pyproj) is paid only by those who need it.
    reader: Callable[..., Imported] = getattr(importlib.import_module(module), function)
    if fmt in _ARCHIVES:
        return reader(path, max_unpacked_bytes=max_unpacked_bytes)
    return reader(path)


#: The formats read from a zip archive, whose readers take ``max_unpacked_bytes``.
_ARCHIVES = frozenset({"cobie", "imdf"})
_READERS = {
    "geojson": ("floorplan.geojson", "read_geojson"),
    "cobie": ("floorplan.cobie", "read_cobie"),
    "imdf": ("floorplan.imdf", "read_imdf"),
    "floor-guide": ("floorplan.floorguide", "read_floor_guide"),
}
