"""Zip archives vetted before they are read. An IMDF .zip or a COBie .xlsx (a zip of XML) may unpack to a thousand
times its size (a 300 KB member of zeros unpacks to 300 MB), so a reader first checks what the archive unpacks to
against a limit: the sizes its directory declares, then the bytes each member actually inflates to, counted while
inflating in small chunks and stopped at the limit (a directory may understate a member's size).

Nothing here writes a member to disk: the readers keep what they read in memory, by base name, so a member named
``../x`` or ``/etc/x`` cannot land outside anything.
"""

from __future__ import annotations

import copy
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from floorplan.errors import ArchiveTooLarge

#: What an archive may unpack to, all members together, unless a reader is given another limit (200 MiB: a large
#: campus's IMDF or COBie file unpacks to a few tens of MB).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_CHUNK = 1 << 20

ZipSource = str | Path | bytes | BinaryIO | zipfile.ZipFile


def vet_zip(source: ZipSource, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES, name: str = "") -> int:
    """Check that the zip archive ``source`` (a path, its bytes, a binary file or an open `zipfile.ZipFile`)
    unpacks to at most ``max_unpacked_bytes``, all members together; return the bytes it unpacks to.

    The declared sizes are summed first, before anything is inflated; then each member is inflated a chunk at a
    time, counting its bytes (past its declared size, should its data run on) and stopping once the running total
    passes the limit, so checking costs a chunk's memory whatever the archive holds.

    Raises `ArchiveTooLarge` naming the archive (``name``, else the path) and the member that passed the limit,
    and `zipfile.BadZipFile` when the archive is not a zip or is damaged: a member that unpacks to other than it
    declares, a bad CRC, an encrypted member or an unknown compression.
    """
    label = name or (str(source) if isinstance(source, str | Path) else "")
    with _opened(source) as archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        declared = 0
        for info in members:
            declared += info.file_size
            if declared > max_unpacked_bytes:
                raise ArchiveTooLarge(
                    info.filename, limit=max_unpacked_bytes, declared=info.file_size, unpacked=None, source=label
                )
        total = 0
        for info in members:
            total += _inflated_size(archive, info, max_unpacked_bytes - total, max_unpacked_bytes, label)
        return total


def _inflated_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, limit: int, label: str) -> int:
    """The bytes ``info`` inflates to, counted up to ``budget`` (past it: `ArchiveTooLarge`)."""
    # zipfile stops a member at its declared size (and then finds the CRC wrong): the copy declares more than is
    # read before stopping (the budget and a chunk), so that what the data really holds is what gets counted.
    probe = copy.copy(info)
    probe.file_size = budget + 2 * _CHUNK
    count = 0
    try:
        with archive.open(probe) as member:
            while chunk := member.read(_CHUNK):
                count += len(chunk)
                if count > budget:
                    raise ArchiveTooLarge(
                        info.filename,
                        limit=limit,
                        declared=info.file_size,
                        unpacked=limit - budget + count,
                        source=label,
                    )
    except (RuntimeError, NotImplementedError, EOFError, ValueError) as exc:  # encrypted, unknown method, truncated
        raise zipfile.BadZipFile(f"member {info.filename!r} cannot be unpacked ({exc})") from None
    except (zlib.error, OSError) as exc:  # bad deflate data (bz2 says OSError)
        raise zipfile.BadZipFile(f"member {info.filename!r} is damaged ({exc})") from None
    if count != info.file_size:
        raise zipfile.BadZipFile(
            f"member {info.filename!r} unpacks to {count:,} bytes, not the {info.file_size:,} its directory declares"
        )
    return count


@contextmanager
def _opened(source: ZipSource) -> Iterator[zipfile.ZipFile]:
    if isinstance(source, zipfile.ZipFile):
        yield source
        return
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    with zipfile.ZipFile(source) as archive:
        yield archive
