"""Zip bombs for tests, built here: members of zeros that deflate a thousandfold, a directory that understates a
member's size, and an .xlsx whose sheet XML inflates past any sensible limit."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Mapping
from pathlib import Path

import openpyxl

MIB = 1 << 20


def zeros_zip(members: Mapping[str, int]) -> bytes:
    """A deflated zip of members of zeros (name -> bytes), written a MiB at a time; 300 MiB deflate to ~300 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, size in members.items():
            with archive.open(name, "w") as member:
                left = size
                while left > 0:
                    member.write(bytes(min(MIB, left)))
                    left -= MIB
    return buffer.getvalue()


def understated(data: bytes, member: str, declared: int) -> bytes:
    """``data`` (a zip) with ``member``'s uncompressed size set to ``declared`` in its local header and in the
    central directory, as a bomb would lie; its compressed data and CRC are left as they are."""
    out = bytearray(data)
    name = member.encode()
    at = 0
    while (at := out.find(b"PK\x03\x04", at)) >= 0:  # local header: size at 22, name length at 26, name at 30
        (length,) = struct.unpack_from("<H", out, at + 26)
        if out[at + 30 : at + 30 + length] == name:
            struct.pack_into("<I", out, at + 22, declared)
        at += 4
    at = 0
    while (at := out.find(b"PK\x01\x02", at)) >= 0:  # central directory: size at 24, name length at 28, name at 46
        (length,) = struct.unpack_from("<H", out, at + 28)
        if out[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", out, at + 24, declared)
        at += 4
    return bytes(out)


SHEET = "xl/worksheets/sheet1.xml"


def xlsx_bomb(path: Path, *, inflates_to: int) -> Path:
    """A workbook with a Floor and a Space sheet, as openpyxl writes it, whose first sheet's XML is padded with
    whitespace inside <sheetData> until it inflates to ``inflates_to`` bytes: valid XML, valid zip, a bomb."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "Floor"
    workbook.active.append(["Name", "Elevation"])
    workbook.create_sheet("Space").append(["Name", "FloorName"])
    plain = io.BytesIO()
    workbook.save(plain)
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename != SHEET:
                out.writestr(info.filename, content)
                continue
            head, tail = content.split(b"</sheetData>") if b"</sheetData>" in content else (content, b"")
            with out.open(SHEET, "w") as member:
                member.write(head)
                left = inflates_to - len(head) - len(tail) - len(b"</sheetData>")
                while left > 0:
                    member.write(b" " * min(MIB, left))
                    left -= MIB
                member.write(b"</sheetData>" + tail)
    return path
