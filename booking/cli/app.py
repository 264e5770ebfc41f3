"""The Typer application and how the command line reports a user's mistakes: a message, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from floorplan.errors import FloorplanError
from floorplan.files import write_text_atomic

app = typer.Typer(
    name="floorwise",
    help="Office floor layouts by the vertical travel they cause, and free-address desk booking.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

console = Console()
errors = Console(stderr=True)

#: Errors that are the user's to mend (a bad file, an unknown floor): shown as a message, exit status 1.
USER_ERRORS: tuple[type[Exception], ...] = (FloorplanError,)


def register_user_error(kind: type[Exception]) -> None:
    """Let another package's error type be shown as a plain message."""
    global USER_ERRORS
    if kind not in USER_ERRORS:
        USER_ERRORS = (*USER_ERRORS, kind)


@contextmanager
def fail_cleanly() -> Iterator[None]:
    try:
        yield
    except KeyboardInterrupt:
        errors.print("[yellow]interrupted[/]")
        sys.exit(130)
    except USER_ERRORS as exc:
        errors.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except OSError as exc:
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        errors.print(f"[bold red]error:[/]{escape(where)}: {escape(str(exc.strerror or exc))}", highlight=False)
        sys.exit(1)


def write_output(path: Path, text: str) -> None:
    """Write a command's output file atomically and say where it went."""
    if path.parent and not path.parent.exists():
        raise FileNotFoundError(2, "the folder does not exist", str(path.parent))
    write_text_atomic(path, text)
    console.print(f"wrote [bold]{path}[/]", highlight=False)
