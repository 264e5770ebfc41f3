"""Running the `floorwise` command line as a user does: a real process, its exit status and its output."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def floorwise(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    """Run ``floorwise ARGS`` in a fresh interpreter (wide terminal, no colour) and capture what it prints."""
    environ = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "booking.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environ,
        timeout=300,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)
