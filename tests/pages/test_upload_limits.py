"""Uploads that unpack past FLOORWISE_MAX_UNPACKED_BYTES (zip and xlsx bombs) and files past
FLOORWISE_MAX_UPLOAD_BYTES: a 413 page naming the file and the member, and nothing kept (no rows, no files)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.models import BuildingRow, DeskRow, FloorRow, Role, User
from booking.models.planning import ScenarioRow
from booking.settings import Settings
from tests.booking.factories import make_user
from tests.floorplan.archive_factories import MIB, SHEET, understated, xlsx_bomb
from tests.floorplan.imdf_factories import as_text, office_tower
from tests.pages.conftest import token_of

BOMB = 300 * MIB


def tower_with_bomb(*, lie: bool = False) -> bytes:
    """The IMDF test tower, zipped, with a member of 300 MiB of zeros beside its files (about 300 KB deflated);
    ``lie``: its directory declares 1,000 bytes for it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, document in office_tower().items():
            archive.writestr(name, as_text(document))
        with archive.open("padding.geojson", "w") as member:
            for _ in range(BOMB // MIB):
                member.write(bytes(MIB))
    data = buffer.getvalue()
    return understated(data, "padding.geojson", 1000) if lie else data


@pytest.fixture(scope="module")
def imdf_bomb() -> bytes:
    return tower_with_bomb()


@pytest.fixture
def temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where uploads are copied while they are read: checked empty afterwards."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def counts(db: Session) -> tuple[int, int, int]:
    return tuple(db.scalar(select(func.count()).select_from(t)) or 0 for t in (BuildingRow, FloorRow, DeskRow))  # type: ignore[return-value]


def upload_building(client: TestClient, settings: Settings, name: str, content: bytes) -> object:
    return client.post(
        "/admin/building",
        data={"csrf_token": token_of(client, settings)},
        files={"file": (name, io.BytesIO(content), "application/zip")},
    )


@pytest.mark.parametrize("lie", [False, True], ids=["declared", "understated"])
def test_an_imdf_bomb_is_refused_with_413_and_nothing_kept(  # type: ignore[no-untyped-def]
    client, office: dict[str, User], log_in, db: Session, settings: Settings, temporary: Path, imdf_bomb: bytes,
    lie: bool,
) -> None:  # fmt: skip
    log_in(office["admin"])
    before = counts(db)
    data = understated(imdf_bomb, "padding.geojson", 1000) if lie else imdf_bomb
    response = upload_building(client, settings, "tower.zip", data)
    assert response.status_code == 413  # type: ignore[attr-defined]
    problems = response.context["problems"]  # type: ignore[attr-defined]
    assert problems[0] == "The archive unpacks to more than this site takes"
    said = "unpacks to more than it declares (1,000 bytes)" if lie else "declares 314,572,800 bytes unpacked"
    assert problems[1].startswith(f"tower.zip: member 'padding.geojson': {said}, which takes the archive past the")
    assert "209,715,200 bytes (200 MiB)" in problems[1]
    assert counts(db) == before
    assert list(temporary.iterdir()) == []


def test_the_limit_is_the_setting(  # type: ignore[no-untyped-def]
    client, office: dict[str, User], log_in, db: Session, settings: Settings, temporary: Path
) -> None:
    """The tower itself (about 12 KB unpacked) is refused under a limit of 4 KB, and loads under the default."""
    log_in(office["admin"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, document in office_tower().items():
            archive.writestr(name, as_text(document))
    settings.max_unpacked_bytes = 4096
    refused = upload_building(client, settings, "tower.zip", buffer.getvalue())
    assert refused.status_code == 413  # type: ignore[attr-defined]
    assert "past the 4,096 bytes an archive may unpack to" in refused.text  # type: ignore[attr-defined]
    settings.max_unpacked_bytes = 200 * MIB
    loaded = upload_building(client, settings, "tower.zip", buffer.getvalue())
    assert loaded.status_code == 200  # type: ignore[attr-defined]
    assert db.scalar(select(func.count()).select_from(BuildingRow).where(BuildingRow.id == "B")) == 1


def test_an_xlsx_bomb_is_refused_with_413(  # type: ignore[no-untyped-def]
    client, office: dict[str, User], log_in, db: Session, settings: Settings, temporary: Path, tmp_path: Path
) -> None:
    log_in(office["admin"])
    before = counts(db)
    content = xlsx_bomb(tmp_path / "cobie.xlsx", inflates_to=BOMB).read_bytes()
    response = upload_building(client, settings, "cobie.xlsx", content)
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert response.context["problems"][1].startswith(f"cobie.xlsx: member '{SHEET}': declares 314,572,800 bytes")  # type: ignore[attr-defined]
    assert counts(db) == before
    assert list(temporary.iterdir()) == []


def test_a_file_past_the_upload_limit_is_a_413_page(  # type: ignore[no-untyped-def]
    client, office: dict[str, User], log_in, db: Session, settings: Settings, temporary: Path
) -> None:
    log_in(office["admin"])
    settings.max_upload_bytes = 2 * MIB
    response = upload_building(client, settings, "big.geojson", b" " * (2 * MIB + 1))
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert "larger than the 2,097,152 bytes" in response.text  # type: ignore[attr-defined]
    assert list(temporary.iterdir()) == []


def test_planners_bomb_is_refused_and_nothing_kept(  # type: ignore[no-untyped-def]
    client, office: dict[str, User], log_in, db: Session, settings: Settings, imdf_bomb: bytes
) -> None:
    """A planner imports a scenario with the files it names: each is vetted before anything is kept or read."""
    planner = make_user(db, "planner", role=Role.PLANNER)
    db.commit()
    log_in(planner)
    scenario = b"name: bomb\nbuilding: tower.zip\nunits:\n  - {id: a, headcount: 3}\nlayouts:\n  now: {a: {1F: 3}}\n"
    response = client.post(
        "/planners/import",
        data={"csrf_token": token_of(client, settings)},
        files={
            "scenario": ("bomb.yaml", io.BytesIO(scenario), "application/yaml"),
            "files": ("tower.zip", io.BytesIO(understated(imdf_bomb, "padding.geojson", 1000)), "application/zip"),
        },
    )
    assert response.status_code == 413
    problems = response.context["problems"]  # type: ignore[attr-defined]
    assert problems[1].startswith("tower.zip: member 'padding.geojson': unpacks to more than it declares")
    assert db.scalar(select(func.count()).select_from(ScenarioRow)) == 0
