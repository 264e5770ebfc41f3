"""Administration pages: every action calls its service, and every refusal is a message on the page."""

from __future__ import annotations

import io
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.models import Block, BuildingRow, User, Zone
from booking.services.plans import stored_plan
from booking.settings import Settings
from floorplan.geojson import building_to_geojson
from tests.booking.factories import desk, floor, floorplan_building
from tests.pages.conftest import token_of


def test_loading_a_building_file_stores_its_plan(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["admin"])
    data = json.dumps(building_to_geojson(floorplan_building(building_id="annex", floors=2))).encode()
    response = client.post(
        "/admin/building",
        data={"csrf_token": token_of(client, settings)},
        files={"file": ("annex.building.geojson", io.BytesIO(data), "application/geo+json")},
    )
    assert response.status_code == 200
    report = response.context["report"]  # type: ignore[attr-defined]
    assert report.building_id == "annex" and report.desks["added"] == 12
    assert db.get(BuildingRow, "annex") is not None
    stored = stored_plan(db, "annex")
    assert stored is not None and stored.building == floorplan_building(building_id="annex", floors=2)
    assert not settings.data_dir.exists()  # in the database, for every server, not in a file
    assert "Building annex loaded." in response.text


def test_a_bad_building_file_lists_its_problems(client, office, log_in, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["admin"])
    response = client.post(
        "/admin/building",
        data={"csrf_token": token_of(client, settings)},
        files={
            "file": ("broken.geojson", io.BytesIO(b'{"type": "FeatureCollection", "features": [{}]}'), "text/plain")
        },
    )
    assert response.status_code == 422
    assert response.template.name == "admin/index.html"  # type: ignore[attr-defined]
    assert response.context["problems"]  # type: ignore[attr-defined]
    assert 'class="problem"' in response.text


def test_blocking_desks_and_a_refusal(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["admin"])
    f = floor(db).id
    ok = client.post(
        "/admin/blocks",
        data={"floor": f, "desks": "1F-D1, 1F-D2", "first_day": "2026-04-01", "last_day": "2026-04-03",
              "reason": "carpet", "csrf_token": token_of(client, settings)},
    )  # fmt: skip
    assert ok.status_code == 200 and "2 desk(s) blocked." in ok.text
    assert {b.desk_id for b in db.scalars(select(Block))} == {desk(db, "1F-D1").id, desk(db, "1F-D2").id}
    bad = client.post(
        "/admin/blocks",
        data={"floor": f, "desks": "1F-D1", "first_day": "2026-04-05", "last_day": "2026-04-03",
              "reason": "carpet", "csrf_token": token_of(client, settings)},
    )  # fmt: skip
    assert bad.status_code == 422 and "“last_day” must not be before Sun, Apr 5, 2026." in bad.text


def test_rules_are_saved_or_the_refusal_shown(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["admin"])
    form = {
        "timezone": "Asia/Tokyo", "opens_at": "09:00", "noon": "12:00", "closes_at": "18:00",
        "zone_release_time": "15:00", "days_ahead": "14", "longest_booking_minutes": "", "hourly_step_minutes": "30",
        "cancel_cutoff_minutes": "0", "check_in_opens_minutes": "30", "check_in_closes_minutes": "60",
        "holiday_country": "JP", "closed_weekdays": ["5", "6"], "one_desk_per_person": "on",
        "check_in_required": "on", "csrf_token": token_of(client, settings),
    }  # fmt: skip
    saved = client.post("/admin/rules/hq", data=form)
    assert saved.status_code == 200 and "The rules are saved." in saved.text
    building = db.get(BuildingRow, "hq")
    assert building is not None
    db.refresh(building)
    assert (building.days_ahead, building.closes_at.hour, building.show_booker_names) == (14, 18, False)
    refused = client.post("/admin/rules/hq", data=form | {"noon": "19:00"})
    assert refused.status_code == 422 and "office hours must open before noon" in refused.text


def test_a_team_zone_is_added(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["admin"])
    response = client.post(
        "/admin/zones/hq",
        data={"name": "戸籍 north", "unit": "koseki", "weekdays": ["0", "2"], "spaces": ["1F-office"],
              "csrf_token": token_of(client, settings)},
    )  # fmt: skip
    assert response.status_code == 200
    zone = db.scalar(select(Zone))
    assert zone is not None and (zone.name, zone.unit_id, zone.weekdays) == ("戸籍 north", "koseki", [0, 2])
    refused = client.post(
        "/admin/zones/hq",
        data={"name": "x", "unit": "koseki", "weekdays": ["0"], "csrf_token": token_of(client, settings)},
    )
    assert refused.status_code == 422 and "a zone needs desks or spaces" in refused.text


def test_people_are_imported_from_a_csv_all_or_nothing(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["admin"])
    good = "id,name,email,unit\nyamada,山田 太郎,yamada@example.jp,koseki\n".encode()
    response = client.post(
        "/admin/people/import",
        data={"csrf_token": token_of(client, settings)},
        files={"file": ("people.csv", io.BytesIO(good), "text/csv")},
    )
    assert response.status_code == 200 and "1 people added, 0 updated." in response.text
    assert db.get(User, "yamada") is not None
    bad = "id,name,email,unit\nkimura,木村,not-an-address,nowhere\n".encode()
    refused = client.post(
        "/admin/people/import",
        data={"csrf_token": token_of(client, settings)},
        files={"file": ("people.csv", io.BytesIO(bad), "text/csv")},
    )
    assert refused.status_code == 422
    problems = refused.context["problems"]  # type: ignore[attr-defined]
    assert any("row 2, field 'email'" in p for p in problems) and any("no unit 'nowhere'" in p for p in problems)
    assert db.get(User, "kimura") is None


def test_the_audit_log_lists_what_admins_did(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["admin"])
    client.post(
        "/admin/owner",
        data={"floor": floor(db).id, "desk": "1F-D4", "owner": "tanaka", "csrf_token": token_of(client, settings)},
    )
    response = client.get("/admin/audit?entity=desk")
    actions = [r["action"] for r in response.context["rows"]]  # type: ignore[attr-defined]
    assert actions == ["desk.owner"]
    assert "tanaka" in response.context["rows"][0]["after"]  # type: ignore[attr-defined]


def test_every_admin_page_opens(client, office, log_in) -> None:  # type: ignore[no-untyped-def]
    log_in(office["admin"])
    for path in ("/admin", "/admin/desks", "/admin/rules", "/admin/zones", "/admin/people", "/admin/audit"):
        response = client.get(path)
        assert response.status_code == 200, path


def test_an_upload_named_after_a_folder_is_a_file_like_any_other(client, office, log_in, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["admin"])
    for name in ("..", ".", "../..", "/"):
        response = client.post(
            "/admin/building",
            data={"csrf_token": token_of(client, settings)},
            files={"file": (name, io.BytesIO(b"not a building"), "application/octet-stream")},
        )
        assert response.status_code == 422, (name, response.text[:300])
        assert 'class="problem"' in response.text
