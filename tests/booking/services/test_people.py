"""People and units: imports that name every fault and write nothing on error, search, team whereabouts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.errors import InvalidInput
from booking.models import Unit, User
from booking.services.accounts import authenticate
from booking.services.bookings import book_desk
from booking.services.desks import zone_info
from booking.services.people import find_people, import_units, import_users, team_of, whereabouts
from tests.booking.factories import NOW, desk, make_building, make_unit, make_user


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_users_creates_and_updates(db: Session, tmp_path: Path) -> None:
    make_unit(db, "koseki")
    path = write(
        tmp_path,
        "id,name,email,unit,password,role\nsato,佐藤 花子,sato@example.jp,koseki,secret-pw,\n"
        "boss,部長,boss@example.jp,koseki,,manager\nplan,計画,plan@example.jp,koseki,,planner\n"
        "iin,委員,iin@example.jp,koseki,,committee\n",
    )
    result = import_users(db, path, now=NOW, actor="test")
    assert (result.created, result.updated) == (4, 0)
    assert [db.get(User, u).role for u in ("boss", "plan", "iin")] == ["manager", "planner", "committee"]  # type: ignore[union-attr]
    assert authenticate(db, "sato@example.jp", "secret-pw") is not None
    result = import_users(
        db, write(tmp_path, "id,name,email,unit\nsato,佐藤 花,sato@example.jp,koseki\n"), now=NOW, actor="test"
    )
    assert (result.created, result.updated) == (0, 1) and db.get(User, "sato").name == "佐藤 花"  # type: ignore[union-attr]


def test_import_users_names_every_fault_and_writes_nothing(db: Session, tmp_path: Path) -> None:
    make_unit(db, "koseki")
    path = write(
        tmp_path,
        "id,name,email,unit,role\nok,OK,ok@example.jp,koseki,\n,No id,x@example.jp,koseki,\n"
        "ok,Again,again@example.jp,nope,boss\nz,Z,not-an-address,koseki,\n",
    )
    with pytest.raises(InvalidInput) as caught:
        import_users(db, path, now=NOW, actor="test")
    assert str(caught.value) == (
        f"{path}: 5 problems:\n"
        "  - row 3, field 'id': an id is needed\n"
        "  - row 4, field 'id': id 'ok' appears again (first on row 2)\n"
        "  - row 4, field 'unit': no unit 'nope' (import the units first)\n"
        "  - row 4, field 'role': unknown role 'boss': use one of staff, manager, planner, committee, admin\n"
        "  - row 5, field 'email': 'not-an-address' is not an e-mail address"
    )
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_import_users_needs_its_columns(db: Session, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="header: missing column\\(s\\): email, unit"):
        import_users(db, write(tmp_path, "id,name\nx,y\n"), now=NOW, actor="test")


def test_import_units_parents_first_and_cycles(db: Session) -> None:
    units = [{"id": "koseki", "name": "戸籍住民課", "parent": "kumin"}, {"id": "kumin", "name": "区民部"}]
    assert import_units(db, units, source="s.yaml", now=NOW, actor="t").created == 2
    assert db.get(Unit, "koseki").parent_id == "kumin"  # type: ignore[union-attr]
    with pytest.raises(InvalidInput, match="unit 1 \\('a'\\), field 'parent': no unit 'zz'"):
        import_units(db, [{"id": "a", "parent": "zz"}], source="s.yaml", now=NOW, actor="t")
    with pytest.raises(InvalidInput, match="cycle: x, y"):
        import_units(db, [{"id": "x", "parent": "y"}, {"id": "y", "parent": "x"}], source="s.yaml", now=NOW, actor="t")


def test_find_people_by_part_of_a_name_in_any_case_or_width(db: Session) -> None:
    make_user(db, "suzuki", name="鈴木 スズキ")
    make_user(db, "smith", name="Anna SMITH", email="anna@example.com")
    make_user(db, "sato", name="佐藤")
    assert [u.id for u in find_people(db, "ｽｽﾞｷ")] == ["suzuki"]  # half-width katakana
    assert [u.id for u in find_people(db, "鈴木")] == ["suzuki"]
    assert [u.id for u in find_people(db, "smi")] == ["smith"]
    assert [u.id for u in find_people(db, "ＡＮＮＡ")] == ["smith"]  # full-width letters
    assert find_people(db, "%") == []  # LIKE wildcards are plain text


def test_team_whereabouts_on_a_date(db: Session) -> None:
    make_building(db)
    make_unit(db, "kumin")
    make_unit(db, "koseki", parent="kumin")
    me = make_user(db, "sato", name="佐藤", unit="kumin")
    mate = make_user(db, "tanaka", name="田中", unit="koseki")
    make_user(db, "outsider", unit=None)
    book_desk(db, user=mate, desk_id=desk(db, "1F-D2").id, day=date(2026, 4, 1), slot="pm", now=NOW)
    team = whereabouts(db, team_of(db, me), date(2026, 4, 1), zone=zone_info("Asia/Tokyo"))
    assert [(w.user.id, w.desk, w.floor) for w in team] == [("sato", None, None), ("tanaka", "1F-D2", "1F")]
    assert team[1].start is not None and team[1].start.isoformat() == "2026-04-01T12:00:00+09:00"
    assert whereabouts(db, [mate], date(2026, 4, 2), zone=zone_info("Asia/Tokyo"))[0].desk is None
