"""A scenario uploaded as one zip archive (its YAML with the building and matrix files it names), read into an
`UploadResolver` in memory: nothing is extracted to disk.

The archive is vetted first (`floorplan.archives.vet_zip`: what its members unpack to, all together, against a
limit). Folders are not files; a member marked as a symlink, or whose name is absolute, has a ``..`` part or a
backslash, is left out, so that a scenario naming it is refused like any name not uploaded.
"""

from __future__ import annotations

import io
import stat
import zipfile

from floorplan.archives import MAX_UNPACKED_BYTES, vet_zip
from floorplan.errors import Problem
from floorplan.importing import cap_quotes
from layouts.errors import InvalidScenario, shown
from layouts.resolvers import UploadResolver, upload_name


def resolver_from_zip(
    data: bytes, *, source: str = "upload.zip", max_unpacked_bytes: int = MAX_UNPACKED_BYTES
) -> UploadResolver:
    """The files in the zip archive ``data`` (called ``source`` in messages), by their names in the archive.

    Raises `floorplan.errors.ArchiveTooLarge` when the members unpack to more than ``max_unpacked_bytes`` (before
    any is kept), and `InvalidScenario` when ``data`` is not a readable zip or two members have one name.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            vet_zip(archive, max_unpacked_bytes=max_unpacked_bytes, name=source)
            files: dict[str, bytes] = {}
            for info in archive.infolist():
                name = upload_name(info.filename)
                if info.is_dir() or is_symlink(info) or name is None:
                    continue
                if name in files:
                    problem = Problem(f"two members are named {shown(name)}", "archive")
                    raise InvalidScenario([problem], source=source)
                files[name] = archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        problem = Problem(f"not a readable zip archive ({cap_quotes(str(exc))})")
        raise InvalidScenario([problem], source=source) from None
    return UploadResolver(files)


def is_symlink(info: zipfile.ZipInfo) -> bool:
    """Whether a member is a symlink: the Unix mode in the high half of its external attributes says so (whatever
    system the archive claims to come from: a false alarm only leaves a file out)."""
    return stat.S_ISLNK(info.external_attr >> 16)
