"""What the administration pages share: uploaded files, refusals as lists of sentences, the building in question."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.errors import BookingError, InvalidInput
from booking.models import BuildingRow
from floorplan.errors import FloorplanError

#: Uploads larger than this are refused before they are read (a building file of a large campus is a few MB).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadTooLarge(Exception):
    pass


@contextmanager
def uploaded_file(upload: UploadFile) -> Iterator[Path]:
    """The upload as a file in a temporary folder, under its own name (readers tell formats by the suffix)."""
    name = re.sub(r"[^\w.\-]", "_", Path(upload.filename or "upload").name) or "upload"
    with tempfile.TemporaryDirectory(prefix="floorwise-upload-") as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            size = 0
            while chunk := upload.file.read(1 << 20):
                size += len(chunk)
                if size > MAX_UPLOAD_BYTES:
                    raise UploadTooLarge(name)
                out.write(chunk)
        yield path


def problems_of(error: Exception) -> list[str]:
    """Every fault an error names, one sentence each (a building file's, a CSV's, a rule's)."""
    if isinstance(error, InvalidInput):
        head = f"{Path(error.source).name}: " if error.source else ""
        return [f"{head}{p}" for p in error.problems] or [error.detail]
    problems = getattr(error, "problems", None)
    if isinstance(error, FloorplanError) and problems:
        return [str(p) for p in problems]
    if isinstance(error, BookingError):
        return [error.detail]
    return [str(error)]


def buildings(session: Session) -> list[BuildingRow]:
    return list(session.scalars(select(BuildingRow).order_by(BuildingRow.id)))


def building_or_first(session: Session, building_id: str | None) -> BuildingRow | None:
    found = session.get(BuildingRow, building_id) if building_id else None
    return found or next(iter(buildings(session)), None)
