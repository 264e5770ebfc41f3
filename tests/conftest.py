"""Shared fixtures: where the public test data lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """The public test data (COBie files, QAPLIB instances): FLOORWISE_SHARED_DATA, else tests/data."""
    return Path(os.environ.get("FLOORWISE_SHARED_DATA", REPO / "tests" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"shared data folder {path} not found (set FLOORWISE_SHARED_DATA)")
    return path
