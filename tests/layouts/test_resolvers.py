"""Files a scenario names come from its resolver: on the command line, anything the person names; for what was
uploaded, only what was uploaded, every other name refused with one message, and nothing of the server's files
read or shown."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from floorplan.errors import ArchiveTooLarge
from floorplan.floorguide import building_from_floor_guide
from floorplan.geojson import building_to_geojson
from layouts.errors import InvalidScenario, UnresolvedFile, shown
from layouts.resolvers import NOT_UPLOADED, FolderResolver, Resolver, UploadResolver
from layouts.scenario import Scenario, read_scenario, scenario_from_dict, scenario_from_upload, scenario_from_yaml
from layouts.upload_zip import resolver_from_zip
from tests.floorplan.archive_factories import MIB, zeros_zip

GUIDE = {
    "floors": [{"name": "1F", "level": 0, "seats": 20}, {"name": "2F", "level": 1, "seats": 20}],
    "cores": [{"id": "s", "kind": "stair", "levels": [0, 1]}],
}
#: A server's secret which, read as a from-to matrix, relates units "1" and "DB_PASSWORD=secret".
SECRET = "DB_PASSWORD=secret,1\nDB_PASSWORD=secret,1\n"
#: From-to trips: a to b 5, b to a 3, so 8 trips a week between a and b.
MATRIX = ",a,b\na,,5\nb,3,\n"


def scenario_text(building: str = "b.geojson", relations_file: str = "rel.csv") -> str:
    return yaml.safe_dump(
        {
            "name": "two units",
            "building": building,
            "relations_file": relations_file,
            "units": [{"id": "a", "headcount": 10}, {"id": "b", "headcount": 10}],
            "layouts": {"now": {"a": {"1F": 8}, "b": {"2F": 8}}},
        }
    )


@pytest.fixture
def files() -> dict[str, bytes]:
    """What a planner uploads besides the scenario: the building (native GeoJSON) and the from-to matrix."""
    building = json.dumps(building_to_geojson(building_from_floor_guide(GUIDE)))
    return {"b.geojson": building.encode(), "rel.csv": MATRIX.encode()}


@pytest.fixture
def server(tmp_path: Path, files: dict[str, bytes]) -> Path:
    """A server's disk: a secret beside the folder where an upload was kept, which holds the uploaded files, a
    folder, a symlink to the secret and a symlink to the folder holding the secret."""
    (tmp_path / "secret.csv").write_text(SECRET)
    (tmp_path / "secret.geojson").write_text(SECRET)
    upload = tmp_path / "upload"
    (upload / "data").mkdir(parents=True)
    for name, data in files.items():
        (upload / name).write_bytes(data)
    (upload / "data" / "rel.csv").write_text(MATRIX)
    (upload / "link.csv").symlink_to(tmp_path / "secret.csv")
    (upload / "outside").symlink_to(tmp_path)
    return tmp_path


def refused_names(server: Path) -> list[str]:
    """Names that must all be refused alike, though each names a file on the server."""
    return [
        str(server / "secret.csv"),  # absolute
        "../secret.csv",
        "data/../../secret.csv",
        "..\\secret.csv",  # a backslash path
        "data",  # a folder
        "link.csv",  # a symlink (in the zip, a member marked as one)
        "outside/secret.csv",  # through a symlinked folder
        "nothing.csv",  # not uploaded
    ]


def upload_resolver(server: Path, files: dict[str, bytes]) -> UploadResolver:
    """The same upload as a zip, with a symlink member ``link.csv`` whose target is the secret, and members whose
    names climb out (kept out of the resolver)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("data/rel.csv", MATRIX)
        link = zipfile.ZipInfo("link.csv")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, str(server / "secret.csv"))
        archive.writestr("../secret.csv", SECRET)
        archive.writestr(str(server / "secret.csv"), SECRET)
    return resolver_from_zip(buffer.getvalue())


def problems_of(read: Any) -> list[str]:
    with pytest.raises(InvalidScenario) as info:
        read()
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("kind", ["folder", "zip", "mapping"])
@pytest.mark.parametrize("key", ["building", "relations_file"])
def test_every_name_outside_the_upload_is_refused_alike_and_nothing_is_read(
    server: Path, files: dict[str, bytes], kind: str, key: str
) -> None:
    resolver: Resolver = {
        "folder": FolderResolver(server / "upload", confined=True),
        "zip": upload_resolver(server, files),
        "mapping": UploadResolver({**files, "data/rel.csv": MATRIX.encode()}),
    }[kind]
    for name in refused_names(server):
        text = scenario_text(**{key: name})
        found = problems_of(lambda: scenario_from_yaml(text, resolver=resolver, source="s.yaml"))  # noqa: B023
        assert found == [f"scenario, field {key!r}: {shown(name)} is not among the files uploaded with the scenario"]
    # what was uploaded is read: the building from the upload's root, the matrix from its folder
    sc = scenario_from_yaml(scenario_text(relations_file="data/rel.csv"), resolver=resolver, source="s.yaml")
    assert [(r.a, r.b, r.trips) for r in sc.relations] == [("a", "b", 8.0)]


def test_on_the_command_line_the_same_names_are_read_as_the_person_wrote_them(server: Path) -> None:
    """The control: unconfined, a scenario's folder resolver reads ../ and absolute paths (a person's own disk), so
    the refusals above are the confinement's doing. A file that is no matrix is reported, its content cut short."""
    folder = FolderResolver(server / "upload", confined=False)
    for name in ("../secret.csv", str(server / "secret.csv"), "link.csv", "outside/secret.csv"):
        assert folder.resolve(name).data == SECRET.encode()
    found = problems_of(lambda: scenario_from_yaml(scenario_text(relations_file="../secret.csv"), resolver=folder))
    assert "secret.csv: names unit 'DB_PASSWORD=secret', which the scenario does not have" in found


def test_a_confined_refusal_never_says_what_the_disk_holds(server: Path) -> None:
    resolver = FolderResolver(server / "upload", confined=True)
    messages = set()
    for name in ("../secret.csv", "../no-such.csv", "../upload", "/etc/passwd", "/no/such/file"):
        with pytest.raises(UnresolvedFile) as info:
            resolver.resolve(name)
        assert info.value.reason == NOT_UPLOADED
        messages.add(str(info.value).replace(shown(name), "NAME"))
    assert messages == {f"NAME {NOT_UPLOADED}"}


def comparable(sc: Scenario) -> tuple[Any, ...]:
    return (sc.name, sc.building, sc.organisation.units, sc.relations, dict(sc.layouts), sc.constraints, sc.ratings)


def test_an_uploaded_scenario_reads_as_the_same_scenario_read_from_its_folder(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "s.yaml").write_text(scenario_text())
    for name, data in files.items():
        (folder / name).write_bytes(data)
    from_folder = read_scenario(folder / "s.yaml")
    uploaded = UploadResolver({"s.yaml": scenario_text().encode(), **files})
    from_upload = scenario_from_upload(uploaded, "s.yaml")
    assert comparable(from_upload) == comparable(from_folder)
    assert [(r.a, r.b, r.trips, r.source) for r in from_upload.relations] == [("a", "b", 8.0, "rel.csv")]
    assert from_upload.source == "s.yaml" and from_folder.source == str(folder / "s.yaml")
    # the same in a zip whose files sit in a folder: names are taken from the scenario's own folder
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("plans/s.yaml", scenario_text())
        for name, data in files.items():
            archive.writestr(f"plans/{name}", data)
    from_zip = scenario_from_upload(resolver_from_zip(buffer.getvalue()), "plans/s.yaml")
    assert comparable(from_zip) == comparable(from_folder)
    # and kept in a folder of the server, read confined to it
    kept = read_scenario(folder / "s.yaml", resolver=FolderResolver(folder, confined=True))
    assert comparable(kept) == comparable(from_folder)


def test_the_command_line_reads_a_building_beside_the_scenarios_folder(tmp_path: Path, files: dict[str, bytes]) -> None:
    (tmp_path / "buildings").mkdir()
    (tmp_path / "buildings" / "x.geojson").write_bytes(files["b.geojson"])
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "rel.csv").write_text(MATRIX)
    (tmp_path / "plans" / "s.yaml").write_text(scenario_text(building="../buildings/x.geojson"))
    sc = read_scenario(tmp_path / "plans" / "s.yaml")
    assert [f.name for f in sc.building.floors] == ["1F", "2F"]
    # while uploaded, the same file refuses that name
    upload = UploadResolver({"s.yaml": scenario_text(building="../buildings/x.geojson").encode(), **files})
    assert problems_of(lambda: scenario_from_upload(upload, "s.yaml")) == [
        f"scenario, field 'building': '../buildings/x.geojson' {NOT_UPLOADED}"
    ]


def test_an_imdf_folder_named_on_the_command_line_reads_as_its_zip(tmp_path: Path) -> None:
    from floorplan.importing import read_building
    from tests.floorplan.imdf_factories import office_tower, write_imdf

    folder, archive = write_imdf(tmp_path, office_tower())
    (tmp_path / "s.yaml").write_text(
        yaml.safe_dump({"building": "venue", "units": [{"id": "a", "headcount": 1}], "layouts": {}})
    )
    sc = read_scenario(tmp_path / "s.yaml")
    assert sc.building == read_building(folder).building == read_building(archive).building


def test_a_zip_upload_leaves_out_symlinks_and_climbing_names_and_keeps_the_rest(
    server: Path, files: dict[str, bytes]
) -> None:
    resolver = upload_resolver(server, files)
    assert sorted(resolver.files) == ["b.geojson", "data/rel.csv", "rel.csv"]
    assert resolver.resolve("./data//rel.csv").data == MATRIX.encode()


def test_a_zip_upload_that_unpacks_past_the_limit_is_refused_before_anything_is_kept() -> None:
    bomb = zeros_zip({"s.yaml": 10, "b.geojson": 3 * MIB})
    with pytest.raises(ArchiveTooLarge) as info:
        resolver_from_zip(bomb, source="plans.zip", max_unpacked_bytes=2 * MIB)
    assert (info.value.member, info.value.source) == ("b.geojson", "plans.zip")
    assert sorted(resolver_from_zip(bomb, max_unpacked_bytes=4 * MIB).files) == ["b.geojson", "s.yaml"]


def test_a_zip_upload_that_is_no_zip_or_names_a_file_twice_is_refused() -> None:
    with pytest.raises(InvalidScenario, match=r"^plans.zip: not a readable zip archive \(File is not a zip file\)$"):
        resolver_from_zip(b"PK not really", source="plans.zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("rel.csv", MATRIX)
        archive.writestr("./rel.csv", "")
    with pytest.raises(InvalidScenario, match=r"^plans.zip: archive: two members are named 'rel.csv'$"):
        resolver_from_zip(buffer.getvalue(), source="plans.zip")


def test_a_scenario_read_from_a_mapping_alone_may_name_no_file(tmp_path: Path, files: dict[str, bytes]) -> None:
    (tmp_path / "b.geojson").write_bytes(files["b.geojson"])
    data = yaml.safe_load(scenario_text(building=str(tmp_path / "b.geojson"), relations_file="b.geojson"))
    assert problems_of(lambda: scenario_from_dict(data)) == [
        f"scenario, field 'building': {shown(str(tmp_path / 'b.geojson'))} {NOT_UPLOADED}",
        f"scenario, field 'relations_file': 'b.geojson' {NOT_UPLOADED}",
    ]


def test_long_values_from_a_file_are_quoted_cut_to_60_characters(files: dict[str, bytes]) -> None:
    unit = "u" * 5000
    upload = UploadResolver({"b.geojson": files["b.geojson"], "rel.csv": f",a,{unit}\na,,1\n".encode()})
    found = problems_of(lambda: scenario_from_yaml(scenario_text(), resolver=upload))
    assert found == ["rel.csv: names unit '" + "u" * 60 + "...' (5,000 characters), which the scenario does not have"]
    # a building file's own faults too
    document = json.loads(files["b.geojson"])
    document["features"][1]["properties"]["level"] = "L" * 300
    upload = UploadResolver({"b.geojson": json.dumps(document).encode(), "rel.csv": MATRIX.encode()})
    assert problems_of(lambda: scenario_from_yaml(scenario_text(), resolver=upload)) == [
        "building (b.geojson): features[1] (level '1F'), field 'level': must be a whole number, not '"
        + "L" * 60
        + "...' (300 characters)"
    ]
