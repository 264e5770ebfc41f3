"""Commands about people and units: `floorwise users import|create`, `floorwise units import`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from booking.cli.app import app, console
from booking.cli.database import actor_name, command_transaction
from booking.clock import SystemClock
from booking.errors import InvalidInput
from booking.models import Role
from booking.services.people import create_user, import_units, import_users
from booking.services.unit_files import read_units
from floorplan.errors import Problem

users_app = typer.Typer(help="People who book desks: import them from a CSV file, or create one.", no_args_is_help=True)
units_app = typer.Typer(help="The organisation's units (departments, sections, teams).", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(units_app, name="units")


@users_app.command("import")
def users_import(
    source: Annotated[
        Path, typer.Argument(metavar="PEOPLE.csv", help="Columns: id, name, email, unit, optional password, role.")
    ],
) -> None:
    """Create or update people from a CSV file; every fault is listed and nothing is written if there is one."""
    if not source.is_file():
        raise InvalidInput([Problem("no such file")], source=str(source))
    now = SystemClock().now()
    with command_transaction() as session:
        result = import_users(session, source, now=now, actor=actor_name())
    console.print(f"{source}: {result.created} people added, {result.updated} updated", highlight=False)


@users_app.command("create")
def users_create(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The login name (the person's id).")],
    password: Annotated[str, typer.Option("--password", help="The password (at least 8 characters).")],
    unit: Annotated[str | None, typer.Option("--unit", help="The person's unit id.")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Make a facilities admin.")] = False,
    manager: Annotated[bool, typer.Option("--manager", help="Make a manager of the unit.")] = False,
    role: Annotated[
        Role | None,
        typer.Option(
            "--role", help="staff, manager, planner (scenarios, optimiser), committee (read, propose) or admin."
        ),
    ] = None,
    full_name: Annotated[str | None, typer.Option("--name", help="The name shown (default: NAME).")] = None,
    email: Annotated[str | None, typer.Option("--email", help="E-mail address (also accepted as login).")] = None,
) -> None:
    """Create an account that can log in with a password."""
    if len(password) < 8:
        raise InvalidInput([Problem("a password needs at least 8 characters", "--password")])
    flags = [r for r, on in ((Role.ADMIN, admin), (Role.MANAGER, manager)) if on] + ([role] if role else [])
    if len(set(flags)) > 1:
        raise InvalidInput([Problem("give one of --role, --admin and --manager", "--role")])
    chosen = flags[0] if flags else Role.STAFF
    now = SystemClock().now()
    with command_transaction() as session:
        user = create_user(
            session,
            user_id=name,
            name=full_name or name,
            email=email,
            unit_id=unit,
            password=password,
            role=chosen,
            now=now,
            actor=actor_name(),
        )
        user_id, user_role = user.id, user.role
    console.print(f"created {user_id} ({user_role})", highlight=False)


@units_app.command("import")
def units_import(
    source: Annotated[
        Path, typer.Argument(metavar="FILE", help="A scenario YAML (its units:) or a CSV with id, name, parent.")
    ],
) -> None:
    """Create or update units from a scenario's ``units:`` or a CSV file; all or nothing."""
    units = read_units(source)
    now = SystemClock().now()
    with command_transaction() as session:
        result = import_units(session, units, source=str(source), now=now, actor=actor_name())
    console.print(f"{source}: {result.created} units added, {result.updated} updated", highlight=False)
