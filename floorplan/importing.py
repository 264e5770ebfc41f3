"""Read a building from any supported file: the format comes from the file name, or is given.

`read_building` reads a path (the command line); `read_building_bytes` reads a file's bytes under the name it was
given (an upload), and never looks at the disk for that name. Either way, a problem that quotes the file's content
quotes at most `QUOTE_LIMIT` characters of it.
"""

from __future__ import annotations

import importlib
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

import yaml

from floorplan.archives import MAX_UNPACKED_BYTES
from floorplan.errors import ArchiveTooLarge, InvalidBuilding, Problem
from floorplan.model import Building

FORMATS = ("geojson", "cobie", "imdf", "floor-guide")

#: The most characters of a file's content that a problem quotes (a quoted value longer than this is cut).
QUOTE_LIMIT = 60


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
    elif name.endswith((".zip", ".imdf")) and zipfile.is_zipfile(path):
        return "imdf"
    elif (fmt := _format_from_suffix(name)) is not None:
        return fmt
    raise InvalidBuilding([_CANNOT_TELL], source=str(path))


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
    reader = _reader(fmt, str(path))
    with _faults_reported(str(path)):
        if fmt in _ARCHIVES:
            return reader(path, max_unpacked_bytes=max_unpacked_bytes)
        return reader(path)


def read_building_bytes(
    data: bytes, name: str, *, format: str | None = None, max_unpacked_bytes: int = MAX_UNPACKED_BYTES
) -> Imported:
    """Read and validate the building in ``data``, a file called ``name`` (which is only a name: nothing is looked
    up on disk by it); raise `InvalidBuilding` naming ``name`` and every fault found.

    The format comes from the name's suffix (.geojson/.json, .yaml/.yml, .xlsx, .zip/.imdf holding a zip), or
    ``format``. A GeoJSON or floor-guide file is parsed in memory. The COBie and IMDF readers read paths, so an
    archive is written to a private temporary folder under its base name, read there (vetted by
    `floorplan.archives.vet_zip` as any archive is: past ``max_unpacked_bytes`` it raises `ArchiveTooLarge`) and
    removed; messages name ``name``, never the temporary path.
    """
    fmt = format or detect_format_by_name(name, data)
    reader = _reader(fmt, name)
    with _faults_reported(name):
        if fmt == "geojson":
            from floorplan.geojson import building_from_geojson

            return Imported(building_from_geojson(parse_json(data, source=name), source=name))
        if fmt == "floor-guide":
            from floorplan.floorguide import building_from_floor_guide

            return Imported(building_from_floor_guide(parse_yaml(data, source=name), source=name))
        return _read_archive_bytes(reader, data, name, max_unpacked_bytes)


def detect_format_by_name(name: str, data: bytes) -> str:
    """The format of a file called ``name`` holding ``data``: from the name's suffix (a .zip must hold a zip)."""
    lower = name.lower()
    if lower.endswith((".zip", ".imdf")) and zipfile.is_zipfile(io.BytesIO(data)):
        return "imdf"
    fmt = _format_from_suffix(lower)
    if fmt is None:
        raise InvalidBuilding([_CANNOT_TELL], source=name)
    return fmt


def parse_json(data: bytes | str, *, source: str) -> Any:
    """Parse JSON text (UTF-8), turning a fault into an `InvalidBuilding` that names the line."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return json.loads(text)
    except UnicodeDecodeError as exc:
        raise InvalidBuilding([Problem(f"not UTF-8 text ({exc.reason})")], source=source) from None
    except json.JSONDecodeError as exc:
        raise InvalidBuilding(
            [Problem(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")], source=source
        ) from None


def parse_yaml(data: bytes | str, *, source: str) -> Any:
    """Parse YAML text (UTF-8), turning a fault into an `InvalidBuilding` that names the line."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return yaml.safe_load(text)
    except UnicodeDecodeError as exc:
        raise InvalidBuilding([Problem(f"not UTF-8 text ({exc.reason})")], source=source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise InvalidBuilding([Problem(f"not valid YAML: {reason}", where)], source=source) from None


def cap_quotes(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` with every quoted value (as ``repr`` writes one) longer than ``limit`` characters cut to it."""

    def cut(match: re.Match[str]) -> str:
        quoted = match.group(0)
        if len(quoted) - 2 <= limit:
            return quoted
        return f"{quoted[: limit + 1]}...{quoted[-1]} ({len(quoted) - 2:,} characters)"

    return _QUOTED.sub(cut, text)


def cap_problem(problem: Problem, limit: int = QUOTE_LIMIT) -> Problem:
    """``problem`` with its quoted values cut to ``limit`` characters."""
    return Problem(cap_quotes(problem.message, limit), cap_quotes(problem.where, limit), problem.field[:limit])


#: A single- or double-quoted value, backslash escapes included (what ``repr`` of a string gives).
_QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")
_CANNOT_TELL = Problem(f"cannot tell the format from the name; give one of {', '.join(FORMATS)} with --format")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def _format_from_suffix(lower: str) -> str | None:
    if lower.endswith(".xlsx"):
        return "cobie"
    if lower.endswith((".yaml", ".yml")):
        return "floor-guide"
    if lower.endswith((".geojson", ".json")):
        return "geojson"
    return None


def _reader(fmt: str, source: str) -> Callable[..., Imported]:
    if fmt not in _READERS:
        raise InvalidBuilding(
            [Problem(f"unknown format {fmt[:QUOTE_LIMIT]!r}; use one of {', '.join(FORMATS)}")], source=source
        )
    module, function = _READERS[fmt]
    # Imported on use, so that a reader's weight (openpyxl, pyproj) is paid only by those who need it.
    reader: Callable[..., Imported] = getattr(importlib.import_module(module), function)
    return reader


def _read_archive_bytes(reader: Callable[..., Imported], data: bytes, name: str, limit: int) -> Imported:
    # The base name is kept (the readers take a building's default id from it), made safe as a file name.
    base = _SAFE_NAME.sub("_", PurePosixPath(name.replace("\\", "/")).name).lstrip(".") or "building"
    with tempfile.TemporaryDirectory(prefix="floorwise-") as folder:
        path = Path(folder) / base
        path.write_bytes(data)
        try:
            return reader(path, max_unpacked_bytes=limit)
        except InvalidBuilding as exc:
            problems = [_without(p, str(path), folder, name) for p in exc.problems]
            raise InvalidBuilding(problems, source=name) from None
        except ArchiveTooLarge as exc:
            raise ArchiveTooLarge(
                exc.member, limit=exc.limit, declared=exc.declared, unpacked=exc.unpacked, source=name
            ) from None


def _without(problem: Problem, path: str, folder: str, name: str) -> Problem:
    """``problem`` with the temporary path replaced by the file's own name (an OSError's text may hold it)."""

    def clean(text: str) -> str:
        return text.replace(path, name).replace(folder, "")

    return Problem(clean(problem.message), clean(problem.where), problem.field)


@contextmanager
def _faults_reported(source: str) -> Iterator[None]:
    """Re-raise a reader's `InvalidBuilding` with its quoted values cut to `QUOTE_LIMIT` characters, and the XML
    faults a workbook's reader lets through (damaged XML, entities refused) as an `InvalidBuilding`."""
    try:
        yield
    except InvalidBuilding as exc:
        capped = [cap_problem(p) for p in exc.problems]
        if capped == list(exc.problems):
            raise
        raise InvalidBuilding(capped, source=exc.source) from None
    except _XML_FAULTS as exc:
        problem = Problem(f"the XML inside the file cannot be read ({cap_quotes(str(exc) or type(exc).__name__)})")
        raise InvalidBuilding([problem], source=source) from None


def _xml_faults() -> tuple[type[Exception], ...]:
    try:  # openpyxl parses with defusedxml when it is installed, which refuses entities
        from defusedxml import DefusedXmlException
    except ImportError:
        return (ElementTree.ParseError,)
    return (ElementTree.ParseError, DefusedXmlException)


_XML_FAULTS = _xml_faults()


#: The formats read from a zip archive, whose readers take ``max_unpacked_bytes``.
_ARCHIVES = frozenset({"cobie", "imdf"})
_READERS = {
    "geojson": ("floorplan.geojson", "read_geojson"),
    "cobie": ("floorplan.cobie", "read_cobie"),
    "imdf": ("floorplan.imdf", "read_imdf"),
    "floor-guide": ("floorplan.floorguide", "read_floor_guide"),
}
