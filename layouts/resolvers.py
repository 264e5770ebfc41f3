"""Where the files a scenario names come from. Reading a scenario does no I/O of its own: it asks a `Resolver`
for each file its ``building:`` or ``relations_file:`` names, and gets the file's bytes and the name to show.

- `FolderResolver(root, confined=False)`, the command line: names are paths from the scenario file's folder, as a
  person on their own machine writes them (``../buildings/x.geojson`` and absolute paths included).
- `FolderResolver(root, confined=True)` and `UploadResolver(files)`, anything uploaded: a name is a relative path
  among what was uploaded with the scenario, and nothing else. An absolute path, a ``..`` part, a backslash, a
  folder, a symlink or a name not uploaded are all refused with one message, whatever is on the server's disk.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Protocol

from layouts.errors import UnresolvedFile

#: Why a confined resolver refuses a name, whatever the real reason (a name it does not hold, a folder, ...).
NOT_UPLOADED = "is not among the files uploaded with the scenario"


@dataclass(frozen=True, slots=True)
class ResolvedFile:
    """A file a scenario names: ``name`` is what messages call it, ``format`` a building format the resolver
    knows (an IMDF folder handed over as a zip), else None (the format then comes from the name)."""

    name: str
    data: bytes
    format: str | None = None


class Resolver(Protocol):
    """Gives the files a scenario names."""

    def resolve(self, name: str) -> ResolvedFile:
        """The file ``name`` (as written in the scenario); raise `UnresolvedFile` when it cannot be had."""
        ...


def upload_name(name: str) -> str | None:
    """``name`` as a relative POSIX path within an upload (``./a//b`` is ``a/b``), or None when it may not name an
    uploaded file: empty, absolute, with a ``..`` part, a backslash, a drive (``C:``), a NUL or ending in ``/``."""
    if not name or "\\" in name or "\0" in name or name.startswith("/") or name.endswith("/"):
        return None
    parts = [p for p in PurePosixPath(name).parts if p != "."]
    if not parts or ".." in parts or ":" in parts[0]:
        return None
    return "/".join(parts)


class UploadResolver:
    """The files uploaded with a scenario, by name (relative paths such as ``b.geojson`` or ``data/rel.csv``).

    Names are looked up from ``folder`` (the folder of the scenario file within the upload). Uploaded names that
    could not be named safely (absolute, ``..``, backslash) are left out: naming them is refused like any other.
    """

    def __init__(self, files: Mapping[str, bytes], *, folder: str = "") -> None:
        kept: dict[str, bytes] = {}
        for raw, data in files.items():
            name = upload_name(raw)
            if name is not None:
                kept[name] = bytes(data)
        self.files: Mapping[str, bytes] = MappingProxyType(kept)
        self.folder = upload_name(folder) or ""

    def resolve(self, name: str) -> ResolvedFile:
        relative = upload_name(name)
        key = None if relative is None else (f"{self.folder}/{relative}" if self.folder else relative)
        if key is None or key not in self.files:
            raise UnresolvedFile(name, NOT_UPLOADED)
        return ResolvedFile(key, self.files[key])

    def within(self, folder: str) -> UploadResolver:
        """The same files, with names looked up from ``folder`` (the folder of a scenario file in the upload)."""
        return UploadResolver(self.files, folder=folder)


#: No files at all: what a scenario read from a mapping alone may name.
NO_FILES = UploadResolver({})


class FolderResolver:
    """Files in the folder ``root`` (a scenario file's folder).

    ``confined=False`` (the command line): a name is any path, taken from ``root`` when relative; a missing one is
    reported with the path tried. ``confined=True`` (a folder holding what was uploaded): a name must be a
    relative path to a regular file under ``root`` reached through no symlink, else `NOT_UPLOADED`; the file is
    opened a part at a time without following links, so a link swapped in meanwhile is not followed either.
    """

    def __init__(self, root: str | Path, *, confined: bool) -> None:
        self.root = Path(root)
        self.confined = confined

    def resolve(self, name: str) -> ResolvedFile:
        if self.confined:
            return self._confined(name)
        path = self.root / name
        try:
            if path.is_dir():
                if not ((path / "level.geojson").is_file() or (path / "manifest.json").is_file()):
                    raise UnresolvedFile(name, f"is a folder without level.geojson or manifest.json ({path})")
                return ResolvedFile(str(path), _folder_as_zip(path), format="imdf")
            return ResolvedFile(str(path), path.read_bytes())
        except FileNotFoundError:
            raise UnresolvedFile(name, f"names no file or folder ({path})") from None
        except OSError as exc:
            raise UnresolvedFile(name, f"cannot be read ({path}: {exc.strerror})") from None

    def _confined(self, name: str) -> ResolvedFile:
        relative = upload_name(name)
        if relative is None:
            raise UnresolvedFile(name, NOT_UPLOADED)
        try:
            return ResolvedFile(relative, _read_beneath(self.root, relative.split("/")))
        except OSError:
            raise UnresolvedFile(name, NOT_UPLOADED) from None


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _read_beneath(root: Path, parts: list[str]) -> bytes:
    """The bytes of the regular file ``root/parts...``, each part opened from the last without following a
    symlink; OSError for anything else (a link, a folder, a pipe or device, nothing)."""
    fds = [os.open(root, os.O_RDONLY | _DIRECTORY)]
    try:
        for part in parts[:-1]:
            fds.append(os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fds[-1]))
        # O_NONBLOCK: opening a pipe must not wait for a writer (it is then refused as not a regular file).
        fds.append(os.open(parts[-1], os.O_RDONLY | _NOFOLLOW | _NONBLOCK, dir_fd=fds[-1]))
        if not stat.S_ISREG(os.fstat(fds[-1]).st_mode):
            raise IsADirectoryError(parts[-1])
        with os.fdopen(fds[-1], "rb", closefd=False) as f:
            return f.read()
    finally:
        for fd in reversed(fds):
            os.close(fd)


def _folder_as_zip(folder: Path) -> bytes:
    """An IMDF folder's .json and .geojson files as a zip, as the IMDF reader reads a folder (its top level)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.name.lower().endswith((".json", ".geojson")):
                archive.writestr(path.name, path.read_bytes())
    return buffer.getvalue()
