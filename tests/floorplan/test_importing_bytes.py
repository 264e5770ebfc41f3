"""A building read from bytes under a name (an upload) reads as the same file read from disk, and its messages
name the file as uploaded, never a temporary path."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from floorplan.errors import ArchiveTooLarge, InvalidBuilding
from floorplan.geojson import building_to_geojson
from floorplan.importing import cap_quotes, read_building, read_building_bytes
from tests.floorplan.archive_factories import MIB, xlsx_bomb
from tests.floorplan.imdf_factories import office_tower, summary, write_imdf

COBIE = Path(__file__).parents[1] / "data" / "cobie" / "clinic-design.xlsx"
GUIDE = "floors: [{name: 1F, level: 0, seats: 20}, {name: 2F, level: 1, seats: 20}]\n"


def test_each_format_reads_from_bytes_as_from_its_file(tmp_path: Path) -> None:
    _, archive = write_imdf(tmp_path, office_tower())
    (tmp_path / "b.yaml").write_text(GUIDE)
    (tmp_path / "b.geojson").write_text(json.dumps(building_to_geojson(read_building(tmp_path / "b.yaml").building)))
    for path in (COBIE, archive, tmp_path / "b.yaml", tmp_path / "b.geojson"):
        from_bytes = read_building_bytes(path.read_bytes(), path.name)
        assert summary(from_bytes) == summary(read_building(path)), path.name
    in_folder = read_building_bytes(COBIE.read_bytes(), "uploads/clinic-design.xlsx")
    assert summary(in_folder) == summary(read_building(COBIE))
    assert read_building_bytes(archive.read_bytes(), "site", format="imdf").building.floors


def test_a_name_says_nothing_of_the_disk(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("floors: []\n")
    # the name is only a name: a file at that path on disk is not read
    with pytest.raises(InvalidBuilding) as info:
        read_building_bytes(GUIDE.encode() + b"cores: 7\n", str(tmp_path / "b.yaml"))
    assert str(info.value) == f"{tmp_path / 'b.yaml'}: floor guide, field 'cores': must be a list of cores"
    with pytest.raises(InvalidBuilding, match=r"^b\.txt: cannot tell the format from the name"):
        read_building_bytes(GUIDE.encode(), "b.txt")
    with pytest.raises(InvalidBuilding, match=r"^b\.zip: cannot tell the format from the name"):
        read_building_bytes(b"not a zip", "b.zip")


def test_an_archive_read_from_bytes_is_vetted_and_named_as_uploaded(tmp_path: Path) -> None:
    bomb = xlsx_bomb(tmp_path / "cobie.xlsx", inflates_to=3 * MIB).read_bytes()
    with pytest.raises(ArchiveTooLarge) as too_large:
        read_building_bytes(bomb, "plans/site.xlsx", max_unpacked_bytes=2 * MIB)
    assert too_large.value.source == "plans/site.xlsx" and str(too_large.value).startswith("plans/site.xlsx: member ")
    with pytest.raises(InvalidBuilding) as broken:
        read_building_bytes(b"PK\x03\x04 truncated", "site.xlsx")
    assert broken.value.source == "site.xlsx"
    assert "floorwise-" not in str(broken.value) and "/tmp" not in str(broken.value)
    with pytest.raises(InvalidBuilding) as not_imdf:
        read_building_bytes(b"PK\x05\x06" + bytes(18), "venue.zip")  # an empty zip: no IMDF files
    assert not_imdf.value.source == "venue.zip" and "floorwise-" not in str(not_imdf.value)


def test_quoted_content_is_cut_to_60_characters(tmp_path: Path) -> None:
    assert cap_quotes("not 'short'") == "not 'short'"
    assert cap_quotes("x " + repr("a" * 61) + " y") == "x '" + "a" * 60 + "...' (61 characters) y"
    assert cap_quotes('say "' + "b" * 70 + '"', limit=5) == 'say "bbbbb..." (70 characters)'
    path = tmp_path / "b.yaml"
    path.write_text(GUIDE.replace("level: 1", "level: " + "9x" * 100))
    with pytest.raises(InvalidBuilding) as info:
        read_building(path)
    assert (
        str(info.value)
        == f"{path}: floor '2F', field 'level': must be a whole number, not '{'9x' * 30}...' (200 characters)"
    )


def test_a_workbook_with_damaged_xml_is_a_bad_file_not_a_crash() -> None:
    original = zipfile.ZipFile(io.BytesIO(COBIE.read_bytes()))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        for info in original.infolist():
            data = original.read(info)
            archive.writestr(info.filename, data[: len(data) // 2] if info.filename == "xl/workbook.xml" else data)
    with pytest.raises(InvalidBuilding, match=r"^c\.xlsx: the XML inside the file cannot be read \(no element found"):
        read_building_bytes(damaged.getvalue(), "c.xlsx")
