"""Commands about the database (`floorwise db upgrade`) and how other commands open it: one transaction per
command, so that a failed command leaves nothing half-written."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from booking.cli.app import app, console, register_user_error
from booking.database import Database
from booking.errors import BookingError
from booking.migrate import is_up_to_date, upgrade_database
from booking.settings import Settings

register_user_error(BookingError)


class DatabaseProblem(BookingError):
    """The database cannot be used as it is (not reachable, not set up)."""


register_user_error(DatabaseProblem)

db_app = typer.Typer(help="Set up and upgrade the booking database (FLOORWISE_DATABASE_URL).", no_args_is_help=True)
app.add_typer(db_app, name="db")


def shown_url(settings: Settings) -> str:
    from booking.database import normalise_url

    return normalise_url(settings.database_url).render_as_string(hide_password=True)


@db_app.command("upgrade")
def upgrade() -> None:
    """Create the tables, or bring them up to date with this version of floorwise."""
    settings = Settings()
    database = Database.from_settings(settings)
    try:
        upgrade_database(database.engine)
        bring_in_kept_files(database, settings)
    except OperationalError as exc:
        raise DatabaseProblem(f"cannot reach the database {shown_url(settings)}: {exc.orig}") from None
    finally:
        database.dispose()
    console.print(f"database {shown_url(settings)} is up to date", highlight=False)


def bring_in_kept_files(database: Database, settings: Settings) -> None:
    """After the schema: the scenarios earlier versions kept under FLOORWISE_DATA_DIR/scenarios/, each once."""
    from booking.clock import SystemClock
    from booking.services.kept_scenarios import bring_in_kept_scenarios

    with database.transaction() as session:
        results = bring_in_kept_scenarios(session, settings.data_dir, now=SystemClock().now(), actor=actor_name())
    for result in results:
        console.print(result.line(), highlight=False, soft_wrap=True)


def actor_name() -> str:
    """Who runs a command, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


@contextmanager
def command_transaction(*, write: bool = True) -> Iterator[Session]:
    """A transaction on the configured database: committed if the command succeeds, else rolled back. A read
    (``write=False``) takes no write lock."""
    settings = Settings()
    database = Database.from_settings(settings)
    try:
        try:
            ready = is_up_to_date(database.engine)
        except OperationalError as exc:
            raise DatabaseProblem(f"cannot open the database {shown_url(settings)}: {exc.orig}") from None
        if not ready:
            raise DatabaseProblem(
                f"the database {shown_url(settings)} is not set up for this version; run `floorwise db upgrade`"
            )
        try:
            with database.transaction(write=write) as session:
                yield session
        except SQLAlchemyError as exc:
            what = "the change" if write else "the query"
            raise DatabaseProblem(f"the database refused {what}: {getattr(exc, 'orig', exc)}") from None
    finally:
        database.dispose()


def read_transaction() -> AbstractContextManager[Session]:
    """A read-only transaction on the configured database (it takes no write lock)."""
    return command_transaction(write=False)
