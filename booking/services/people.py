"""People and units: made one by one, imported from files (all or nothing, every fault named), found by name."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Column, String, select
from sqlalchemy.orm import Session

from booking.errors import InvalidInput
from booking.models import ACTIVE_STATES, Booking, BuildingRow, DeskRow, FloorRow, Role, Unit, User
from booking.services import audit
from booking.services.accounts import hash_password
from booking.services.desks import zone_info
from booking.services.intervals import local_day_bounds, overlaps_clause
from booking.services.units import subtree_of, unit_parents
from floorplan.errors import Problem

USER_COLUMNS = ("id", "name", "email", "unit", "password", "role")
#: A password in a people CSV: hashed, not stored, but bounded so that hashing stays cheap (as the API's).
_PASSWORD = Column(String(1024))


def search_key(*parts: str | None) -> str:
    """NFKC-normalised, case-folded text: half-width katakana and full-width letters match their usual forms."""
    return " ".join(unicodedata.normalize("NFKC", p).casefold() for p in parts if p)


def create_user(
    session: Session,
    *,
    user_id: str,
    name: str,
    now: datetime,
    actor: str,
    email: str | None = None,
    unit_id: str | None = None,
    password: str | None = None,
    role: Role = Role.STAFF,
) -> User:
    problems = _user_problems(session, user_id, email, unit_id, where="")
    if problems:
        raise InvalidInput(problems)
    user = User(
        id=user_id,
        name=name,
        email=email or None,
        unit_id=unit_id or None,
        role=role.value,
        password_hash=hash_password(password) if password else None,
        search_key=search_key(name, email),
        created_at=now,
    )
    session.add(user)
    session.flush()
    audit.record(
        session, actor=actor, action="user.create", entity="user", entity_id=user.id, now=now, after=user_snapshot(user)
    )
    return user


def user_snapshot(user: User) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "email": user.email, "unit_id": user.unit_id, "role": user.role}


def _user_problems(
    session: Session, user_id: str, email: str | None, unit_id: str | None, *, where: str
) -> list[Problem]:
    problems = []
    if not user_id.strip():
        problems.append(Problem("an id is needed", where, "id"))
    elif session.get(User, user_id) is not None:
        problems.append(Problem(f"a person with id {user_id!r} exists already", where, "id"))
    if email and session.scalar(select(User.id).where(User.email == email)) is not None:
        problems.append(Problem(f"e-mail {email!r} belongs to someone else", where, "email"))
    if unit_id and session.get(Unit, unit_id) is None:
        problems.append(Problem(f"no unit {unit_id!r}", where, "unit"))
    return problems


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def text_problems(row: Mapping[str, Any], columns: Mapping[str, Any], where: str) -> list[Problem]:
    """Cells of ``row`` that their columns (``{field: Column}``) cannot hold: a NUL character (PostgreSQL text
    cannot) or more characters than the column's length."""
    problems = []
    for field, column in columns.items():
        value = str(row.get(field) or "")
        most = getattr(column.type, "length", None)
        if "\x00" in value:
            problems.append(Problem("contains a NUL character", where, field))
        elif most is not None and len(value) > most:
            problems.append(Problem(f"at most {most} characters, not {len(value):,}", where, field))
    return problems


def import_users(session: Session, path: Path, *, now: datetime, actor: str) -> ImportResult:
    """Read a CSV of people (id, name, email, unit, optional password, optional role) and create or update them.

    Every fault of every row is collected before anything is written; one fault and nothing is imported.
    """
    rows = read_csv(path, required=("id", "name", "email", "unit"), known=USER_COLUMNS)
    known_units = set(session.scalars(select(Unit.id)))
    existing = {u.id: u for u in session.scalars(select(User))}
    emails = {u.email: u.id for u in existing.values() if u.email}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    c = User.__table__.c
    user_columns = {"id": c.id, "name": c.name, "email": c.email, "unit": c.unit_id, "role": c.role}
    user_columns["password"] = _PASSWORD
    for line, row in rows:
        where = f"row {line}"
        uid, email, unit, role = row["id"], row["email"], row["unit"], row.get("role", "") or "staff"
        problems += text_problems(row, user_columns, where)
        if not uid:
            problems.append(Problem("an id is needed", where, "id"))
        elif uid in seen:
            problems.append(Problem(f"id {uid!r} appears again (first on row {seen[uid]})", where, "id"))
        else:
            seen[uid] = line
        if not row["name"]:
            problems.append(Problem("a name is needed", where, "name"))
        if email and "@" not in email:
            problems.append(Problem(f"{email!r} is not an e-mail address", where, "email"))
        elif email and emails.get(email, uid) != uid:
            problems.append(Problem(f"e-mail {email!r} belongs to {emails[email]}", where, "email"))
        elif email:
            emails[email] = uid
        if unit and unit not in known_units:
            problems.append(Problem(f"no unit {unit!r} (import the units first)", where, "unit"))
        if role not in {r.value for r in Role}:
            roles = ", ".join(r.value for r in Role)
            problems.append(Problem(f"unknown role {role!r}: use one of {roles}", where, "role"))
    if problems:
        raise InvalidInput(problems, source=str(path))
    created = updated = 0
    for _line, row in rows:
        uid = row["id"]
        fields = {
            "name": row["name"],
            "email": row["email"] or None,
            "unit_id": row["unit"] or None,
            "role": row.get("role", "") or "staff",
        }
        user = existing.get(uid)
        if user is None:
            user = User(id=uid, created_at=now, **fields)
            session.add(user)
            created += 1
            before = None
        else:
            before = user_snapshot(user)
            for key, value in fields.items():
                setattr(user, key, value)
            updated += 1
        if row.get("password"):
            user.password_hash = hash_password(row["password"])
        user.search_key = search_key(user.name, user.email)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="user.import",
            entity="user",
            entity_id=uid,
            now=now,
            before=before,
            after=user_snapshot(user),
        )
    return ImportResult(created, updated)


def read_csv(path: Path, *, required: Iterable[str], known: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV (a BOM is fine) as (line number, {column: stripped text})."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in reader.fieldnames or []]
            missing = [c for c in required if c not in header]
            if missing:
                raise InvalidInput([Problem(f"missing column(s): {', '.join(missing)}", "header")], source=str(path))
            unknown = [c for c in header if c not in set(known)]
            if unknown:
                raise InvalidInput(
                    [Problem(f"unknown column(s): {', '.join(unknown)}; known: {', '.join(known)}", "header")],
                    source=str(path),
                )
            reader.fieldnames = header
            return [
                (reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}) for row in reader
            ]
    except UnicodeDecodeError as exc:
        raise InvalidInput([Problem(f"not UTF-8 text ({exc.reason})")], source=str(path)) from None
    except csv.Error as exc:
        raise InvalidInput([Problem(f"not a readable CSV file: {exc}")], source=str(path)) from None


def import_units(
    session: Session, units: Sequence[Mapping[str, Any]], *, source: str, now: datetime, actor: str
) -> ImportResult:
    """Create or update units from ``[{id, name, parent}]`` (a scenario's ``units:`` or a CSV); all or nothing."""
    problems: list[Problem] = []
    ids: dict[str, int] = {}
    for i, entry in enumerate(units, start=1):
        where = f"unit {i}" + (f" ({entry.get('id')!r})" if entry.get("id") else "")
        uid = str(entry.get("id") or "").strip()
        columns = Unit.__table__.c
        problems += text_problems(entry, {"id": columns.id, "name": columns.name, "parent": columns.parent_id}, where)
        if not uid:
            problems.append(Problem("an id is needed", where, "id"))
        elif uid in ids:
            problems.append(Problem(f"id {uid!r} appears again (first as unit {ids[uid]})", where, "id"))
        else:
            ids[uid] = i
    existing = {u.id: u for u in session.scalars(select(Unit))}
    for i, entry in enumerate(units, start=1):
        parent = entry.get("parent")
        if parent and str(parent) not in ids and str(parent) not in existing:
            problems.append(Problem(f"no unit {parent!r}", f"unit {i} ({entry.get('id')!r})", "parent"))
    if problems:
        raise InvalidInput(problems, source=source)
    created = updated = 0
    pending = [dict(e) for e in units]
    # Parents first, so that foreign keys hold at each flush.
    done: set[str] = set(existing)
    while pending:
        ready = [e for e in pending if not e.get("parent") or str(e["parent"]) in done or str(e["parent"]) == e["id"]]
        if not ready:
            cycle = ", ".join(str(e["id"]) for e in pending)
            raise InvalidInput(
                [Problem(f"the parents of these units make a cycle: {cycle}", "units", "parent")], source=source
            )
        for entry in ready:
            uid = str(entry["id"])
            unit = existing.get(uid)
            fields: dict[str, str | None] = {
                "name": str(entry.get("name") or ""),
                "parent_id": str(entry["parent"]) if entry.get("parent") else None,
            }
            if unit is None:
                session.add(Unit(id=uid, name=fields["name"], parent_id=fields["parent_id"]))
                created += 1
                before = None
            else:
                before = {"name": unit.name, "parent_id": unit.parent_id}
                unit.name = fields["name"] or ""
                unit.parent_id = fields["parent_id"]
                updated += 1
            session.flush()
            audit.record(
                session,
                actor=actor,
                action="unit.import",
                entity="unit",
                entity_id=uid,
                now=now,
                before=before,
                after=fields,
            )
            done.add(uid)
            pending.remove(entry)
    return ImportResult(created, updated)


@dataclass(frozen=True)
class Whereabouts:
    """A person and, on a given day, the desk and floor they booked (None when they booked none)."""

    user: User
    unit_name: str
    desk_id: int | None = None
    desk: str | None = None
    floor_id: int | None = None
    floor: str | None = None
    start: datetime | None = None
    end: datetime | None = None


def whereabouts(session: Session, people: list[User], day: date, *, zone: ZoneInfo) -> list[Whereabouts]:
    """Where each person sits on ``day``, a local date in ``zone`` (their first active booking that day); times in
    the time zone of the booked desk's building."""
    bounds = local_day_bounds(day, zone)
    ids = [p.id for p in people]
    rows = session.execute(
        select(Booking, DeskRow, FloorRow, BuildingRow.timezone)
        .join(DeskRow, Booking.desk_id == DeskRow.id)
        .join(FloorRow, DeskRow.floor_id == FloorRow.id)
        .join(BuildingRow, DeskRow.building_id == BuildingRow.id)
        .where(
            Booking.user_id.in_(ids),
            Booking.state.in_(ACTIVE_STATES),
            overlaps_clause(Booking.start_utc, Booking.end_utc, bounds.start, bounds.end),
        )
        .order_by(Booking.start_utc)
    ).all()
    first: dict[str, tuple[Booking, DeskRow, FloorRow, str]] = {}
    for booking, desk, floor, tz in rows:
        first.setdefault(booking.user_id, (booking, desk, floor, tz))
    names: dict[str, str] = {uid: name for uid, name in session.execute(select(Unit.id, Unit.name))}
    result = []
    for person in people:
        unit_name = names.get(person.unit_id or "", "") or (person.unit_id or "")
        if person.id in first:
            booking, desk, floor, tz = first[person.id]
            local = zone_info(tz)
            result.append(
                Whereabouts(
                    person,
                    unit_name,
                    desk.id,
                    desk.name or desk.ref,
                    floor.id,
                    floor.name,
                    booking.start_utc.astimezone(local),
                    booking.end_utc.astimezone(local),
                )
            )
        else:
            result.append(Whereabouts(person, unit_name))
    return result


def team_of(session: Session, user: User, *, include_sub_units: bool = True) -> list[User]:
    """The people of ``user``'s unit (and its sub-units), by name."""
    if user.unit_id is None:
        return [user]
    units = subtree_of(unit_parents(session), user.unit_id) if include_sub_units else {user.unit_id}
    return list(
        session.scalars(select(User).where(User.unit_id.in_(units), User.is_active.is_(True)).order_by(User.name))
    )


def find_people(session: Session, text: str, *, limit: int = 50) -> list[User]:
    """People whose name or e-mail contains ``text``, ignoring case and width (also Japanese)."""
    key = search_key(text.strip())
    if not key:
        return []
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return list(
        session.scalars(
            select(User)
            .where(User.search_key.like(f"%{escaped}%", escape="\\"), User.is_active.is_(True))
            .order_by(User.name)
            .limit(limit)
        )
    )
