"""Zip archives vetted before they are read (floorplan/archives.py), and the readers that vet them."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from floorplan.archives import MAX_UNPACKED_BYTES, vet_zip
from floorplan.cobie import read_cobie
from floorplan.errors import ArchiveTooLarge
from floorplan.imdf import read_imdf
from floorplan.importing import read_building
from tests.floorplan.archive_factories import MIB, SHEET, understated, xlsx_bomb, zeros_zip
from tests.floorplan.imdf_factories import as_text, office_tower

#: A member of 300 MiB of zeros: deflated, about 300 KB.
BOMB = 300 * MIB


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zeros_zip({"level.geojson": BOMB})


def test_an_honest_archive_is_counted_member_by_member() -> None:
    data = zeros_zip({"a.json": 1000, "b/c.json": 2 * MIB + 5})
    assert vet_zip(data) == 1000 + 2 * MIB + 5
    assert vet_zip(data, max_unpacked_bytes=1000 + 2 * MIB + 5) == 1000 + 2 * MIB + 5  # the limit itself is fine


def test_a_member_declaring_300_mib_is_refused_before_anything_is_inflated(bomb: bytes) -> None:
    assert len(bomb) < 400_000
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveTooLarge) as refused:
            vet_zip(bomb, name="venue.zip")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    error = refused.value
    assert (error.member, error.declared, error.unpacked, error.limit) == ("level.geojson", BOMB, None, 200 * MIB)
    assert str(error) == (
        "venue.zip: member 'level.geojson': declares 314,572,800 bytes unpacked, which takes the archive past the "
        "209,715,200 bytes (200 MiB) an archive may unpack to"
    )
    assert peak < 4 * MIB


def test_the_total_is_what_counts_and_names_the_member_that_passes_it() -> None:
    data = zeros_zip({"one.json": 600, "two.json": 500, "three.json": 1})
    with pytest.raises(ArchiveTooLarge) as refused:
        vet_zip(data, max_unpacked_bytes=1000)
    assert (refused.value.member, refused.value.declared, refused.value.unpacked) == ("two.json", 500, None)
    assert "past the 1,000 bytes an archive may unpack" in str(refused.value)


def test_a_directory_that_understates_a_member_is_caught_while_inflating(bomb: bytes) -> None:
    liar = understated(bomb, "level.geojson", 1000)
    assert zipfile.ZipFile(io.BytesIO(liar)).getinfo("level.geojson").file_size == 1000
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveTooLarge) as refused:
            vet_zip(liar, name="liar.zip")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    error = refused.value
    assert (error.member, error.declared) == ("level.geojson", 1000)
    # Stopped a chunk (1 MiB) past the limit at most, not at 300 MiB.
    assert error.unpacked is not None and MAX_UNPACKED_BYTES < error.unpacked <= MAX_UNPACKED_BYTES + MIB
    assert "liar.zip: member 'level.geojson': unpacks to more than it declares (1,000 bytes)" in str(error)
    assert peak < 16 * MIB


def test_a_directory_that_lies_within_the_limit_is_a_damaged_archive() -> None:
    liar = understated(zeros_zip({"a.json": 5000}), "a.json", 1000)
    with pytest.raises(zipfile.BadZipFile, match=r"'a.json' unpacks to 5,000 bytes, not the 1,000 its directory"):
        vet_zip(liar)


def test_not_a_zip_is_a_bad_zip(tmp_path: Path) -> None:
    path = tmp_path / "plain.zip"
    path.write_text("hello")
    with pytest.raises(zipfile.BadZipFile):
        vet_zip(path)


def test_imdf_bomb_is_refused_naming_file_and_member(tmp_path: Path, bomb: bytes) -> None:
    path = tmp_path / "venue.zip"
    path.write_bytes(bomb)
    with pytest.raises(ArchiveTooLarge) as refused:
        read_building(path)
    assert str(refused.value).startswith(f"{path}: member 'level.geojson': declares 314,572,800 bytes")
    # A lying directory reaches the reader as a damaged archive if the limit is above what it declares.
    path.write_bytes(understated(bomb, "level.geojson", 1000))
    with pytest.raises(ArchiveTooLarge, match="unpacks to more than it declares"):
        read_imdf(path)


def test_imdf_reader_takes_another_limit(tmp_path: Path) -> None:
    path = tmp_path / "tower.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, document in office_tower().items():
            archive.writestr(name, as_text(document))
    total = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    assert len(read_imdf(path, max_unpacked_bytes=total).building.floors) == 3
    with pytest.raises(ArchiveTooLarge):
        read_building(path, max_unpacked_bytes=total - 1)


def test_xlsx_bomb_is_refused_before_openpyxl_reads_it(tmp_path: Path) -> None:
    path = xlsx_bomb(tmp_path / "cobie.xlsx", inflates_to=BOMB)
    assert path.stat().st_size < 400_000
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveTooLarge) as refused:
            read_cobie(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.member == SHEET
    assert str(refused.value).startswith(f"{path}: member '{SHEET}': declares 314,572,800 bytes")
    assert peak < 16 * MIB
    liar = tmp_path / "liar.xlsx"
    liar.write_bytes(understated(path.read_bytes(), SHEET, 2000))
    with pytest.raises(ArchiveTooLarge, match="unpacks to more than it declares"):
        read_building(liar)


def test_a_small_workbook_within_a_small_limit_still_reads(tmp_path: Path) -> None:
    path = xlsx_bomb(tmp_path / "cobie.xlsx", inflates_to=4000)  # a harmless "bomb": 4 KB of sheet
    with pytest.raises(ArchiveTooLarge):
        read_cobie(path, max_unpacked_bytes=4000)  # the other members count too
    with pytest.raises(Exception, match="no occupiable floor"):  # read, and refused for what it holds
        read_cobie(path, max_unpacked_bytes=MIB)


def test_member_names_with_dot_dot_or_a_root_are_read_in_memory_and_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The IMDF reader keeps members in memory by base name (nothing extracts): ../../x is read as x, and /x,
    outside the folder holding level.geojson, is not read at all."""
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    path = work / "venue.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, document in office_tower().items():
            archive.writestr(f"../../{name}", as_text(document))
        archive.writestr("/etc/evil.geojson", "{}")
    listing = sorted(tmp_path.rglob("*"))
    imported = read_imdf(path)
    assert len(imported.building.floors) == 3
    assert sorted(tmp_path.rglob("*")) == listing
    assert not any("evil" in note for note in imported.notes)
