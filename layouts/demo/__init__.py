"""The demo scenario: three departments of a Tokyo ward office in the demo civic centre.

``floorwise compare demo`` reads it; ``floorwise scenario demo -o FILE`` writes a copy to edit.
"""

from __future__ import annotations

from pathlib import Path

DEMO_SCENARIO = Path(__file__).with_name("ward-office.scenario.yaml")


def demo_scenario_text() -> str:
    return DEMO_SCENARIO.read_text(encoding="utf-8")
