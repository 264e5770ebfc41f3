"""Scenarios in the database: import and export give equal scenarios, scores worked out by hand on the tiny
building (tests/booking/planning_data.py), moves, layouts never overwritten, edits re-read before they are written."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from booking.database import Database
from booking.errors import InvalidInput, NotFound
from booking.models import AuditEntry
from booking.models.planning import ScenarioFile, ScenarioLayout, ScenarioRow
from booking.services import scenarios as svc
from layouts.compare import compare_layouts
from layouts.demo import DEMO_SCENARIO
from layouts.scenario import read_scenario
from tests.booking.factories import NOW
from tests.booking.planning_data import NOW_LAYOUT, tiny_building_file, tiny_yaml

H = 3600.0


def count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def stored(session: Session, scenario_id: int) -> tuple[dict[str, Any], list[tuple[str, Any, str]], dict[str, bytes]]:
    """What a scenario is in the database: its document, its layouts (name, seats, origin) and its files."""
    row = svc.scenario_or_404(session, scenario_id)
    layouts = [(lay.name, lay.layout, lay.origin) for lay in svc.layouts_of(session, scenario_id)]
    files = svc._stored_files(session, scenario_id)
    return row.document, layouts, files


def tiny(db: Session, **kwargs: Any) -> int:
    return svc.import_scenario(db, tiny_yaml(**kwargs), {}, actor="planner1", now=NOW).id


# -- import and export ----------------------------------------------------------------------------------------------


def test_the_demo_exported_and_imported_again_is_equal(db: Session) -> None:
    first = svc.import_scenario(db, DEMO_SCENARIO.read_bytes(), {}, actor="planner1", now=NOW)
    assert first.name == "区民部・子ども家庭部・福祉部 (demo)"
    text = svc.export_scenario(db, first.id)
    second = svc.import_scenario(db, text.encode(), {}, actor="planner1", now=NOW)
    doc1, layouts1, files1 = stored(db, first.id)
    doc2, layouts2, files2 = stored(db, second.id)
    assert doc1 == doc2 and layouts1 == layouts2 and files1 == files2 == {}
    assert "layouts" not in doc1 and doc1["building"] == "demo"
    on_disk = read_scenario(DEMO_SCENARIO)
    assert [name for name, _seats, _origin in layouts1] == list(on_disk.layouts)  # the file's order
    assert svc.compare(db, second.id) == compare_layouts(on_disk).to_dict()


def test_a_scenario_with_uploaded_files_round_trips_and_keeps_only_the_files_it_names(db: Session) -> None:
    relations = b"unit,a,b,c\na,,10,A\nb,,,X\nc,,,\n"
    mapping_extra: dict[str, Any] = {"relations_file": "data/rel.csv"}
    source = tiny_yaml(building="tiny.floors.yaml", **mapping_extra)
    data = yaml.safe_load(source)
    del data["relations"]
    files = {"tiny.floors.yaml": tiny_building_file(), "data/rel.csv": relations, "notes.txt": b"not named"}
    first = svc.import_scenario(db, yaml.safe_dump(data).encode(), files, actor="planner1", now=NOW)
    doc1, layouts1, files1 = stored(db, first.id)
    assert files1 == {"tiny.floors.yaml": tiny_building_file(), "data/rel.csv": relations}
    second = svc.import_scenario(db, svc.export_scenario(db, first.id).encode(), files1, actor="p", now=NOW)
    assert stored(db, second.id) == (doc1, layouts1, files1)
    # The matrix gives the same trips as the inline relations: the hand-worked 2575 s a week.
    score = svc.score_layout(db, second.id, NOW_LAYOUT)
    assert score["travel_hours_per_week"] == pytest.approx(2575 / H)


@pytest.mark.parametrize("name", ["/etc/hostname", "../floorwise.db", "a/../../x.yaml", "missing.yaml", "data"])
def test_a_file_not_uploaded_is_refused_with_one_message_and_nothing_kept(db: Session, name: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        svc.import_scenario(db, tiny_yaml(building=name), {"data/rel.csv": b"x", "tiny.yaml": b"y"}, actor="p", now=NOW)
    assert [e["message"] for e in refused.value.members["errors"]] == [
        f"{name!r} is not among the files uploaded with the scenario"
    ]
    assert count(db, ScenarioRow) == count(db, ScenarioFile) == count(db, ScenarioLayout) == 0


def test_a_scenario_with_faults_lists_them_all_and_writes_nothing(db: Session) -> None:
    bad = tiny_yaml(layouts={"now": {"a": {"1F": 4}, "b": {"9F": 4}, "c": {"3F": 40}}})
    with pytest.raises(InvalidInput) as refused:
        svc.import_scenario(db, bad, {}, actor="p", now=NOW)
    messages = " | ".join(e["message"] for e in refused.value.members["errors"])
    assert "is not a floor or space of the building" in messages and "puts 40 seats on 3F, which has 10" in messages
    with pytest.raises(InvalidInput):
        svc.import_scenario(db, b"building: [unclosed", {}, actor="p", now=NOW)
    assert count(db, ScenarioRow) == 0 and count(db, AuditEntry) == 0


# -- scores ---------------------------------------------------------------------------------------------------------


def test_scores_worked_out_by_hand(db: Session) -> None:
    sid = tiny(db)
    now = svc.score_layout(db, sid, NOW_LAYOUT)
    assert now["travel_hours_per_week"] == pytest.approx(2575 / H)
    assert now["vertical_hours_per_week"] == pytest.approx(1575 / H)
    assert (now["vertical_trips_per_week"], now["floors_crossed_per_week"]) == (50, 90)
    assert now["people_moved"] == 0 and now["change"]["travel_hours_per_week"] == 0
    assert now["check"] == {"ok": True, "violations": [], "units_short_of_seats": []}

    # c to 1F beside a: a-c costs 40 * 10 s; travel 375 + 400 = 775 s, vertical 175 s; c's 4 people move.
    moved = svc.apply_move(NOW_LAYOUT, "c", "3F", "1F")
    assert moved == {"a": {"1F": 4}, "b": {"2F": 4}, "c": {"1F": 4}}
    score = svc.score_layout(db, sid, moved)
    assert score["travel_hours_per_week"] == pytest.approx(775 / H)
    assert score["vertical_hours_per_week"] == pytest.approx(175 / H)
    assert (score["vertical_trips_per_week"], score["floors_crossed_per_week"]) == (10, 10)
    assert score["change"]["travel_hours_per_week"] == pytest.approx(-1800 / H)
    assert score["people_moved"] == 4 and score["moved_by_unit"] == {"c": 4}
    assert score["seats"][0] == {"floor": "1F", "level": 0, "needed": 8, "available": 10}

    # Half of c: a-c costs 40 * (10 + 55) / 2 = 1300 s; travel 1675 s; 2 people move; c is split.
    half = svc.apply_move(NOW_LAYOUT, "c", "3F", "1F", 2)
    score = svc.score_layout(db, sid, half)
    assert score["travel_hours_per_week"] == pytest.approx(1675 / H)
    assert score["people_moved"] == 2
    assert score["split_units"] == [{"unit": "c", "floors": {"1F": 2, "3F": 2}}]


def test_the_check_names_the_constraint_a_move_breaks(db: Session) -> None:
    sid = tiny(db)
    score = svc.score_layout(db, sid, svc.apply_move(NOW_LAYOUT, "c", "3F", "2F"))  # b-c rated X
    assert score["check"]["ok"] is False
    assert [(v["kind"], v["units"], v["floors"]) for v in score["check"]["violations"]] == [
        ("apart", ["b", "c"], ["2F"])
    ]
    short = svc.score_layout(db, sid, {"a": {"1F": 3}, "b": {"2F": 4}, "c": {"3F": 4}})
    assert short["check"] == {"ok": False, "violations": [], "units_short_of_seats": ["a"]}


def test_a_score_against_another_baseline(db: Session) -> None:
    sid = tiny(db)
    score = svc.score_layout(db, sid, NOW_LAYOUT, baseline="b-up")
    # b-up: a-b 10 * 55 + a-c 40 * 37.5 = 2050 s; now is 525 s a week more, and b and c (8 people) move.
    assert score["baseline"] == "b-up"
    assert score["change"]["travel_hours_per_week"] == pytest.approx(525 / H)
    assert score["people_moved"] == 8
    with pytest.raises(InvalidInput, match="no layout 'nope'"):
        svc.score_layout(db, sid, NOW_LAYOUT, baseline="nope")


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ({"a": {"1F": 4}, "b": {"2F": 4}}, "unit 'c' has no seats in this layout"),
        ({**NOW_LAYOUT, "a": {"1F": 11}}, "puts 11 seats on 1F, which has 10"),
        ({**NOW_LAYOUT, "z": {"1F": 1}}, "is not a unit of the scenario"),
        ({**NOW_LAYOUT, "a": {"7F": 4}}, "is not a floor or space of the building"),
    ],
)
def test_a_layout_that_does_not_read_is_refused(db: Session, layout: Any, message: str) -> None:
    sid = tiny(db)
    with pytest.raises(InvalidInput, match=message):
        svc.score_layout(db, sid, layout)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("z", "1F", "2F", 1), "unit"),
        (("a", "3F", "2F", 1), "from_floor"),
        (("a", "1F", "1F", 1), "to_floor"),
        (("a", "1F", "2F", 5), "seats"),
        (("a", "1F", "2F", 0), "seats"),
    ],
)
def test_a_move_that_cannot_be_made_names_its_field(args: tuple[str, str, str, int], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        svc.apply_move(NOW_LAYOUT, *args)
    assert refused.value.members["errors"][0]["field"] == field
    assert NOW_LAYOUT == {"a": {"1F": 4}, "b": {"2F": 4}, "c": {"3F": 4}}  # the input is never changed


def test_an_unknown_scenario_is_not_found(db: Session) -> None:
    with pytest.raises(NotFound):
        svc.score_layout(db, 999, NOW_LAYOUT)
    with pytest.raises(NotFound):
        svc.export_scenario(db, 999)


# -- saving ---------------------------------------------------------------------------------------------------------


def test_two_saves_of_one_name_keep_both(db: Session) -> None:
    sid = tiny(db)
    first = svc.save_layout(db, sid, "idea", NOW_LAYOUT, origin="edited", actor="planner1", now=NOW)
    second = svc.save_layout(db, sid, "idea", NOW_LAYOUT, origin="proposal", actor="committee1", now=NOW)
    third = svc.save_layout(db, sid, "now", NOW_LAYOUT, origin="edited", actor="planner1", now=NOW)
    assert (first.name, second.name, third.name) == ("idea", "idea-2", "now-2")
    assert (second.origin, second.author) == ("proposal", "committee1")
    assert [lay.name for lay in svc.layouts_of(db, sid)] == ["now", "b-up", "idea", "idea-2", "now-2"]
    assert "idea-2" in svc.load_scenario(db, sid).layouts  # the cache sees the new layout at once
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "save_layout").order_by(AuditEntry.id))
    assert [e.after["layout"] for e in entries if e.after] == ["idea", "idea-2", "now-2"]


def test_a_long_name_keeps_its_suffix_within_the_column(db: Session) -> None:
    sid = tiny(db)
    name = "x" * 120
    first = svc.save_layout(db, sid, name, NOW_LAYOUT, origin="edited", actor="p", now=NOW)
    second = svc.save_layout(db, sid, name, NOW_LAYOUT, origin="edited", actor="p", now=NOW)
    assert first.name == "x" * 100 and second.name == "x" * 98 + "-2"


def test_two_transactions_saving_one_name_at_once_both_keep_theirs(engine: Engine) -> None:
    """Two sessions save "idea" at once: the second waits for the first (SQLite's write lock, PostgreSQL's unique
    index), then takes "idea-2"; neither fails, neither is lost."""
    database = Database(engine)
    with database.transaction() as session:
        sid = svc.import_scenario(session, tiny_yaml(), {}, actor="p", now=NOW).id
    try:
        first = database.session(write=True)
        first.begin()
        svc.save_layout(first, sid, "idea", NOW_LAYOUT, origin="edited", actor="one", now=NOW)
        names: list[str] = []

        def second() -> None:
            with database.transaction() as session:
                names.append(
                    svc.save_layout(session, sid, "idea", NOW_LAYOUT, origin="edited", actor="two", now=NOW).name
                )

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # waiting for the first
        first.commit()
        first.close()
        thread.join(10)
        assert names == ["idea-2"]
        with database.transaction(write=False) as session:
            assert [(lay.name, lay.author) for lay in svc.layouts_of(session, sid)][2:] == [
                ("idea", "one"),
                ("idea-2", "two"),
            ]
    finally:
        with database.transaction() as session:
            session.execute(delete(ScenarioRow).where(ScenarioRow.id == sid))
            session.execute(delete(AuditEntry).where(AuditEntry.entity == "scenario"))


# -- editing --------------------------------------------------------------------------------------------------------


def test_edits_are_read_again_and_rescored(db: Session) -> None:
    sid = tiny(db)
    before = svc.scenario_or_404(db, sid).updated_at
    units = [{**u, "headcount": 2} if u["id"] == "c" else u for u in svc.scenario_or_404(db, sid).document["units"]]
    relations = [["a", "b", 10], {"a": "a", "b": "c", "rating": "E"}, {"a": "b", "b": "c", "rating": "X"}]
    constraints = {"fixed": {"a": ["1F"]}, "closed_floors": ["3F"], "apart": [["a", "b"]], "max_floors": {"c": 1}}
    row = svc.update_scenario(
        db, sid, {"units": units, "relations": relations, "constraints": constraints}, actor="planner1", now=NOW
    )
    assert row.updated_at > before  # strictly later under a frozen clock, so every cache sees the change
    score = svc.score_layout(db, sid, NOW_LAYOUT)
    # a-c now rated E (20 trips): 10 * 37.5 + 20 * 55 = 1475 s; c on closed 3F.
    assert score["travel_hours_per_week"] == pytest.approx(1475 / H)
    assert [v["kind"] for v in score["check"]["violations"]] == ["closed"]
    assert svc.export_scenario(db, sid).count("closed_floors") == 1
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "update_scenario")).one()
    assert entry.before and entry.before["relations"][1]["rating"] == "A"
    assert entry.after and entry.after["relations"][1]["rating"] == "E"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"units": [{"id": "a", "headcount": 4}, {"id": "b", "headcount": 4}]}, "is not a unit of the scenario"),
        ({"constraints": {"closed_floors": ["12F"]}}, "names floor '12F', which the building does not have"),
        ({"relations": [{"a": "a", "b": "c", "rating": "Q"}]}, "'Q' is not an SLP rating"),
        ({"constraints": {"max_floors": {"a": 0}}}, "must be a whole number of floors (1 or more)"),
        ({"layouts": {}}, "cannot be changed here"),
    ],
)
def test_a_refused_edit_writes_nothing(db: Session, changes: dict[str, Any], message: str) -> None:
    sid = tiny(db)
    row = svc.scenario_or_404(db, sid)
    document, updated = dict(row.document), row.updated_at
    audited = count(db, AuditEntry)
    with pytest.raises(InvalidInput) as refused:
        svc.update_scenario(db, sid, changes, actor="planner1", now=NOW)
    assert message in str(refused.value)
    db.expire_all()
    row = svc.scenario_or_404(db, sid)
    assert (row.document, row.updated_at) == (document, updated)
    assert count(db, AuditEntry) == audited
