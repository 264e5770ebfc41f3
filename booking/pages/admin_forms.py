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
from booking.settings import Settings
from floorplan.errors import ArchiveTooLarge, FloorplanError

#: FLOORWISE_MAX_UPLOAD_BYTES's default (50 MiB: a building file of a large campus is a few MB). The whole request
#: is held to the setting before it is read (`booking.web.body_limits`); a route checks its file again on copying.
MAX_UPLOAD_BYTES: int = Settings.model_fields["max_upload_bytes"].default


class UploadTooLarge(Exception):
    pass


@contextmanager
def uploaded_file(upload: UploadFile, *, max_bytes: int = MAX_UPLOAD_BYTES) -> Iterator[Path]:
    """The upload as a file in a temporary folder, under its own name (readers tell formats by the suffix); past
    ``max_bytes``, `UploadTooLarge`. The folder goes when the block ends, whatever happens in it."""
    name = re.sub(r"[^\w.\-]", "_", Path(upload.filename or "upload").name)
    if not name.strip("."):  # "", "." and ".." would name the folder or its parent, not a file in it
        name = "upload"
    with tempfile.TemporaryDirectory(prefix="floorwise-upload-") as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            size = 0
            while chunk := upload.file.read(1 << 20):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadTooLarge(name)
                out.write(chunk)
        yield path


def archive_refusal(error: ArchiveTooLarge, headline: str) -> list[str]:
    """The page's sentences for an upload that unpacks past FLOORWISE_MAX_UNPACKED_BYTES: the file and member."""
    head = f"{Path(error.source).name}: " if error.source else ""
    return [headline, *(f"{head}{p}" for p in error.problems)]


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
