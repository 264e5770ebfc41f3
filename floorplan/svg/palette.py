"""Colours and fill patterns of the drawings: calm fills by space kind, department colours, desk states.

Department colours come from Paul Tol's qualitative schemes (https://personal.sron.nl/~pault/), made to stay
distinct for colour-blind readers and on a grey-scale print: first the *light* scheme, meant for areas that carry
black labels, then the *muted* scheme. Desk states carry a pattern as well as a colour, so that a state never
rests on hue alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from floorplan.model import SpaceKind

#: Tol's light scheme without its pale grey (grey stands for "no seats" in the drawings), then the muted scheme.
DEPARTMENT_COLOURS: tuple[str, ...] = (
    "#77AADD",  # light blue
    "#EE8866",  # orange
    "#EEDD88",  # light yellow
    "#FFAABB",  # pink
    "#99DDFF",  # light cyan
    "#44BB99",  # mint
    "#BBCC33",  # pear
    "#AAAA00",  # olive
    "#CC6677",  # rose
    "#332288",  # indigo
    "#DDCC77",  # sand
    "#117733",  # green
    "#88CCEE",  # cyan
    "#882255",  # wine
    "#44AA99",  # teal
    "#999933",  # muted olive
    "#AA4499",  # purple
)

#: Fills by space kind: pale tints (Tol's pale and light schemes) under dark labels and desk marks.
KIND_FILLS: Mapping[SpaceKind, str] = MappingProxyType(
    {
        SpaceKind.OFFICE: "#DDEBF7",
        SpaceKind.MEETING: "#FBE3C9",
        SpaceKind.COUNTER: "#F6D5DC",
        SpaceKind.STORAGE: "#E6E1D1",
        SpaceKind.CIRCULATION: "#F7F7F5",
        SpaceKind.CORE: "#D9D9D9",
        SpaceKind.AMENITY: "#D8EED9",
        SpaceKind.PUBLIC: "#F2F0C4",
        SpaceKind.PLANT: "#E3DDEE",
        SpaceKind.OTHER: "#FFFFFF",
    }
)

#: Legend wording of each kind.
KIND_NAMES: Mapping[SpaceKind, str] = MappingProxyType(
    {kind: "lift, stair" if kind == SpaceKind.CORE else kind.value for kind in SpaceKind}
)

#: Grey of floors and spaces that hold no seats.
NO_SEATS_GREY = "#C8C8C8"
INK = "#222222"
FAINT_INK = "#666666"
OVER_CAPACITY_RED = "#B2182B"


@dataclass(frozen=True, slots=True)
class DeskState:
    """How desks of one CSS class look: a background colour and the marks drawn over it."""

    name: str
    colour: str
    marks: str  # "none", "diagonal", "dots", "cross" or "horizontal"
    mark_colour: str
    description: str  # in the legend
    status: str  # in a desk's title, for screen readers


#: Booking states; a desk whose class is one of these is filled with the state's pattern by the SVG's stylesheet.
DESK_STATES: tuple[DeskState, ...] = (
    DeskState("free", "#FFFFFF", "none", "#FFFFFF", "free desk", "free"),
    DeskState("booked", "#A3A3A3", "diagonal", "#FFFFFF", "booked desk", "booked"),
    DeskState("mine", "#0072B2", "dots", "#FFFFFF", "my desk", "booked by you"),
    DeskState("blocked", "#333333", "cross", "#FFFFFF", "blocked desk", "blocked"),
    DeskState("reserved", "#E69F00", "horizontal", "#5A3D00", "reserved desk", "reserved for a unit"),
)


def department_palette(groups: Sequence[str]) -> dict[str, str]:
    """A distinct colour for each group (department), in the order the groups first appear.

    The same sequence always gives the same colours. Past 17 groups the colours repeat.
    """
    palette: dict[str, str] = {}
    for group in groups:
        if group not in palette:
            palette[group] = DEPARTMENT_COLOURS[len(palette) % len(DEPARTMENT_COLOURS)]
    return palette


def text_colour_on(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill`` (WCAG relative luminance); black if unknown."""
    rgb = _hex_rgb(fill)
    if rgb is None:
        return INK
    r, g, b = (_linear(c / 255) for c in rgb)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    # Contrast with white is 1.05 / (L + 0.05), with black (L + 0.05) / 0.05; they are equal at L = 0.179.
    return INK if luminance > 0.179 else "#FFFFFF"


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _hex_rgb(colour: str) -> tuple[int, int, int] | None:
    value = colour.strip().lstrip("#")
    if not colour.strip().startswith("#") or len(value) not in (3, 6):
        return None
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    try:
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    except ValueError:
        return None
