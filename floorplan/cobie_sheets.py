"""The sheets of a COBie workbook as rows found by header name, and the units its lengths and areas are in.

COBie files differ in their column sets and in how they write an empty value ("n/a", "", a placeholder), so
columns are looked up by header (case, spaces and underscores ignored) and every value goes through `Row.text`
or `Row.number`, which record what they could not read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from floorplan.archives import MAX_UNPACKED_BYTES, vet_zip
from floorplan.errors import InvalidBuilding, Problem

#: Cell texts that COBie exporters write for "no value".
MISSING = frozenset({"", "n/a", "na", "n.a.", "none", "null", "-", "not applicable", "unknown"})


def _columns(names: str) -> frozenset[str]:
    return frozenset(names.split())


#: The columns COBie 2.4 defines for the sheets this reader looks at; any other column is reported as unused.
COBIE_COLUMNS: Mapping[str, frozenset[str]] = {
    "Facility": _columns(
        "Name CreatedBy CreatedOn Category ProjectName SiteName LinearUnits AreaUnits VolumeUnits CurrencyUnit "
        "AreaMeasurement ExternalSystem ExternalProjectObject ExternalProjectIdentifier ExternalSiteObject "
        "ExternalSiteIdentifier ExternalFacilityObject ExternalFacilityIdentifier Description ProjectDescription "
        "SiteDescription Phase"
    ),
    "Floor": _columns(
        "Name CreatedBy CreatedOn Category ExtSystem ExtObject ExtIdentifier Description Elevation Height"
    ),
    "Space": _columns(
        "Name CreatedBy CreatedOn Category FloorName Description ExtSystem ExtObject ExtIdentifier RoomTag "
        "UsableHeight GrossArea NetArea"
    ),
    "Zone": _columns("Name CreatedBy CreatedOn Category SpaceNames ExtSystem ExtObject ExtIdentifier Description"),
    "Coordinate": _columns(
        "Name CreatedBy CreatedOn Category SheetName RowName CoordinateXAxis CoordinateYAxis CoordinateZAxis "
        "ExtSystem ExtObject ExtIdentifier ClockwiseRotation ElevationalRotation YawRotation"
    ),
}

#: Metres per unit of COBie's LinearUnits (its pick list: inches, feet, miles, millimeters, meters, kilometers).
LINEAR_UNITS: Mapping[str, float] = {
    **dict.fromkeys(("meters", "metres", "meter", "metre", "m"), 1.0),
    **dict.fromkeys(("millimeters", "millimetres", "millimeter", "millimetre", "mm"), 0.001),
    **dict.fromkeys(("centimeters", "centimetres", "centimeter", "centimetre", "cm"), 0.01),
    **dict.fromkeys(("kilometers", "kilometres", "km"), 1000.0),
    **dict.fromkeys(("feet", "foot", "ft"), 0.3048),
    **dict.fromkeys(("inches", "inch", "in"), 0.0254),
}

#: Square metres per unit of COBie's AreaUnits.
AREA_UNITS: Mapping[str, float] = {
    **dict.fromkeys(("squaremeters", "squaremetres", "sqm", "m2", "meters2", "metres2"), 1.0),
    **dict.fromkeys(("squaremillimeters", "squaremillimetres", "mm2"), 1e-6),
    **dict.fromkeys(("squarecentimeters", "squarecentimetres", "cm2"), 1e-4),
    **dict.fromkeys(("squarefeet", "squarefoot", "sqft", "ft2"), 0.09290304),
    **dict.fromkeys(("squareinches", "sqin", "in2"), 0.00064516),
}

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def header_key(name: str) -> str:
    """A header as this reader compares it: "Floor Name", "floor_name" and "FloorName" are the same column."""
    return re.sub(r"[\s_\-]+", "", name).lower()


def unit_key(name: str) -> str:
    """A unit name as compared: "Square Meters" and "squaremeters" are the same unit."""
    return re.sub(r"[^a-z0-9]+", "", name.lower())


def parse_number(text: str) -> float | None:
    """A number written as text ("4.57", "1,234.5", "4,57", " 12 "), or None if the text is not one."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return float(text) if _NUMBER.fullmatch(text) else None


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a sheet: its values by header key, and where it is (for messages)."""

    sheet: str
    row_number: int
    values: Mapping[str, object]

    @property
    def where(self) -> str:
        return f"sheet {self.sheet}, row {self.row_number}"

    def has(self, column: str) -> bool:
        return self.text(column) != ""

    def text(self, column: str) -> str:
        """The cell as trimmed text; "" when it is empty or says "n/a"."""
        value = self.values.get(header_key(column))
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        return "" if text.lower() in MISSING else text

    def number(self, column: str, problems: list[Problem], *, scale: float = 1.0) -> float | None:
        """The cell as a number times ``scale``; None when empty. Text that is no number adds a Problem."""
        value = self.values.get(header_key(column))
        if isinstance(value, bool | datetime | date | time):
            problems.append(Problem(f"{value!r} is not a number", self.where, column))
            return None
        if isinstance(value, int | float):
            return float(value) * scale
        text = self.text(column)
        if not text:
            return None
        number = parse_number(text)
        if number is None:
            problems.append(Problem(f"{text!r} is not a number", self.where, column))
            return None
        return number * scale


@dataclass(frozen=True, slots=True)
class Sheet:
    """A sheet's header (as written) and its non-empty data rows."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]

    def has_column(self, column: str) -> bool:
        return header_key(column) in {header_key(h) for h in self.headers}

    def missing_columns(self, columns: Iterable[str]) -> list[str]:
        return [c for c in columns if not self.has_column(c)]

    def unknown_columns(self) -> list[str]:
        """Headers that COBie 2.4 does not define for this sheet (so this reader never looks at them)."""
        known = {header_key(c) for c in COBIE_COLUMNS.get(self.name, ())}
        return [h for h in self.headers if known and header_key(h) not in known]


def read_sheets(path: Path, names: Iterable[str], *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> dict[str, Sheet]:
    """The sheets called ``names`` (matched without regard to case) that the workbook at ``path`` has.

    Raises `InvalidBuilding` when the file is missing or is not an Excel workbook, and `ArchiveTooLarge` when
    the workbook (a zip of XML) unpacks to more than ``max_unpacked_bytes`` (checked before openpyxl reads it).
    """
    source = str(path)
    if not path.is_file():
        raise InvalidBuilding([Problem("no such file")], source=source)
    try:
        vet_zip(path, max_unpacked_bytes=max_unpacked_bytes)
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        reason = str(exc) or type(exc).__name__
        raise InvalidBuilding(
            [Problem(f"not a COBie workbook: the file is not an Excel .xlsx workbook ({reason})")], source=source
        ) from None
    try:
        by_key = {name.strip().lower(): name for name in workbook.sheetnames}
        sheets: dict[str, Sheet] = {}
        for wanted in names:
            actual = by_key.get(wanted.lower())
            if actual is not None:
                sheets[wanted] = _sheet(wanted, workbook[actual].iter_rows(values_only=True))
        return sheets
    finally:
        workbook.close()


def _sheet(name: str, cells: Iterable[tuple[object, ...]]) -> Sheet:
    rows = iter(cells)
    first = next(rows, ())
    headers = tuple("" if h is None else str(h).strip() for h in first)
    keys = [header_key(h) for h in headers]
    data: list[Row] = []
    for number, values in enumerate(rows, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        data.append(Row(name, number, {k: v for k, v in zip(keys, values, strict=False) if k}))
    return Sheet(name, tuple(h for h in headers if h), tuple(data))


@dataclass(frozen=True, slots=True)
class Units:
    """How to turn the workbook's lengths and areas into metres and square metres."""

    metres_per_unit: float = 1.0
    square_metres_per_unit: float = 1.0
    linear_name: str = "meters"


def units_from_facility(facility: Sheet | None) -> tuple[Units, list[str]]:
    """The units of the Facility sheet's LinearUnits and AreaUnits, with notes on what had to be assumed.

    A missing or unknown LinearUnits is taken as metres; a missing or unknown AreaUnits as the square of the
    linear unit.
    """
    notes: list[str] = []
    row = facility.rows[0] if facility is not None and facility.rows else None
    linear_text = row.text("LinearUnits") if row is not None else ""
    area_text = row.text("AreaUnits") if row is not None else ""
    metres = LINEAR_UNITS.get(unit_key(linear_text))
    if metres is None:
        what = f"unknown LinearUnits {linear_text!r}" if linear_text else "no LinearUnits in a Facility sheet"
        notes.append(f"sheet Facility: {what}; lengths and elevations are taken to be in metres")
        metres, linear_text = 1.0, "meters"
    square_metres = AREA_UNITS.get(unit_key(area_text))
    if square_metres is None:
        what = f"unknown AreaUnits {area_text!r}" if area_text else "no AreaUnits"
        notes.append(f"sheet Facility: {what}; areas are taken to be in square {linear_text}")
        square_metres = metres * metres
    if metres != 1.0 or square_metres != 1.0:
        notes.append(f"sheet Facility: lengths converted from {linear_text} to metres, areas to square metres")
    return Units(metres, square_metres, linear_text), notes
