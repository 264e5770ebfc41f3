"""One floor's row of the stacking diagram: its name, its bar divided among the units on it, or the stub and use
of a floor without seats."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from floorplan.model import Floor, SpaceKind
from floorplan.svg.document import add, add_text, fit_text, text_width
from floorplan.svg.palette import FAINT_INK, INK, KIND_FILLS, NO_SEATS_GREY, OVER_CAPACITY_RED, text_colour_on

ROW_PX = 26.0
BAR_PX = 18.0
THIN_BAR_PX = 4.0
#: A floor without seats is a short grey stub with its use after it, in grey, clear of every bar.
NO_SEATS_STUB_PX = 16.0
NAME_PX = 12.0
TEXT_PX = 11.0
FREE_SEATS_FILL = "#F4F4F4"
HIGHLIGHT_BAND = "#FFF1CC"


@dataclass(frozen=True, slots=True)
class StackSegment:
    """A unit's share of a floor in a stacking diagram: its seats there, its colour and its group (department)."""

    label: str
    seats: int
    colour: str
    group: str = ""


@dataclass(frozen=True, slots=True)
class StackWords:
    """Every word a stacking diagram writes, as `str.format` strings; English unless given otherwise.

    The fields they may use: ``{building}`` the building's name; ``{heading}`` and ``{summary}`` the drawing's;
    ``{floors}``, ``{used}`` and ``{capacity}`` the number of floors and the seats used and available (the
    building's in the summary, a floor's in its row's title); ``{n}`` a number of seats; ``{floor}`` a floor's name,
    with its use in brackets if it has one; ``{label}`` and ``{group}`` a unit and its group (department). Numbers
    are ints, so ``{used:,}`` groups thousands. Give all or some: the fields left out keep their English.
    """

    heading: str = "{building}: seats by floor"
    summary_used: str = "{floors} floors · {used:,} of {capacity:,} seats used"
    summary_seats: str = "{floors} floors · {capacity:,} seats"
    #: The drawing's accessible name (its aria-label and <title>): the heading, or the title given, and summary.
    label: str = "{heading}: {summary}"
    #: The right column: a floor's seats (without units on it), and how far its units run past them.
    seats: str = "{n} seats"
    over: str = "(+{n} over)"
    #: Under the counts of the axis.
    axis: str = "seats"
    free_seats: str = "free seats"
    over_capacity: str = "over capacity"
    #: The legend entry of floors without seats, and the text after their stubs when the floor has no use.
    no_seats: str = "no seats"
    #: The legend entry of highlighted floors when their notes are all empty.
    marked: str = "marked"
    #: The <title>s of a floor's row, with units on the floors and without.
    floor_used: str = "{floor}: {used} of {capacity} seats used"
    floor_seats: str = "{floor}: {n} seats"
    #: The <title>s of a unit's segment, without a group and with one.
    segment: str = "{label}: {n} seats"
    segment_in_group: str = "{label}: {n} seats, {group}"


@dataclass(frozen=True, slots=True)
class RowColumns:
    """Where a row's parts go: the names start at ``left`` and end 8 px before ``bar_x``; bars start at ``bar_x``
    and take up to ``bar_w`` px, ``px_per_seat`` a seat."""

    left: float
    bar_x: float
    bar_w: float
    px_per_seat: float


def add_floor_row(
    root: ET.Element,
    floor: Floor,
    y: float,
    columns: RowColumns,
    *,
    capacity: int,
    used: int,
    parts: Sequence[StackSegment],
    note: str | None,
    with_units: bool,
    words: StackWords,
) -> ET.Element:
    """The row of ``floor`` whose top is at ``y``: its name, its bar (or stub and use) and its segments, in a <g>
    with its <title>; the caller adds the seat counts on the right."""
    left, bar_x, bar_w, px_per_seat = columns.left, columns.bar_x, columns.bar_w, columns.px_per_seat
    over = used > capacity
    classes = ["floor"] + (["over-capacity"] if over else []) + (["highlighted"] if note is not None else [])
    row = add(
        root,
        "g",
        {"class": " ".join(classes), "data-level": floor.level, "data-seats": capacity, "data-used": used},
    )
    detail = ", ".join(f"{s.label} {s.seats}" for s in parts)
    name = f"{floor.name} ({floor.use})" if floor.use else floor.name
    if with_units:
        summary = words.floor_used.format(floor=name, used=used, capacity=capacity)
    else:
        summary = words.floor_seats.format(floor=name, n=capacity)
    add(row, "title", text=summary + (f" ({detail})" if detail else "") + (f"; {note}" if note else ""))
    if note is not None:
        add(
            row,
            "rect",
            {
                "class": "band",
                "x": left - 6,
                "y": y + 1,
                "width": bar_x + bar_w - left + 12,
                "height": ROW_PX - 2,
                "fill": HIGHLIGHT_BAND,
            },
        )
    centre = y + ROW_PX / 2
    name_colour = OVER_CAPACITY_RED if over else INK
    add_text(
        row,
        bar_x - 8,
        centre,
        fit_text(floor.name, NAME_PX, bar_x - 8 - left),
        NAME_PX,
        anchor="end",
        weight="bold",
        fill=name_colour,
        css_class="floor-name",
    )
    if capacity == 0 and used == 0:
        _add_no_seats(row, floor, centre, columns, highlighted=note is not None, no_seats=words.no_seats)
        return row
    bar_top = centre - BAR_PX / 2
    capacity_fill = KIND_FILLS[SpaceKind.OFFICE] if not with_units else FREE_SEATS_FILL
    if note is not None:
        capacity_fill = "url(#fw-highlight)"
    add(
        row,
        "rect",
        {
            "class": "capacity",
            "x": bar_x,
            "y": bar_top,
            "width": capacity * px_per_seat,
            "height": BAR_PX,
            "fill": capacity_fill,
            "stroke": "#8C8C8C",
            "stroke-width": 0.8,
        },
    )
    _add_segments(row, parts, bar_x, centre, px_per_seat, words)
    if over:
        start = bar_x + capacity * px_per_seat
        add(
            row,
            "rect",
            {
                "class": "over",
                "x": start,
                "y": bar_top - 2,
                "width": (used - capacity) * px_per_seat,
                "height": BAR_PX + 4,
                "fill": "url(#fw-over)",
                "fill-opacity": 0.55,
                "stroke": OVER_CAPACITY_RED,
                "stroke-width": 1.2,
            },
        )
        add(
            row,
            "line",
            {
                "x1": start,
                "x2": start,
                "y1": bar_top - 4,
                "y2": bar_top + BAR_PX + 4,
                "stroke": OVER_CAPACITY_RED,
                "stroke-width": 2,
            },
        )
    return row


def _add_no_seats(
    row: ET.Element, floor: Floor, centre: float, columns: RowColumns, *, highlighted: bool, no_seats: str
) -> None:
    """A grey stub where the bars start and the floor's use after it, in grey, cut short before the bars' end."""
    bar_x, bar_w = columns.bar_x, columns.bar_w
    add(
        row,
        "rect",
        {
            "class": "no-seats",
            "x": bar_x,
            "y": centre - THIN_BAR_PX / 2,
            "width": NO_SEATS_STUB_PX,
            "height": THIN_BAR_PX,
            "fill": NO_SEATS_GREY,
        },
    )
    text_x = bar_x + NO_SEATS_STUB_PX + 6
    use = fit_text(floor.use or no_seats, TEXT_PX, bar_x + bar_w - text_x)
    if use:
        # The row's own background behind the text, so that the grid's lines stop short of it.
        backing: dict[str, str | float | int] = {
            "class": "use-backing",
            "x": text_x - 3,
            "y": centre - TEXT_PX * 0.7,
            "width": text_width(use, TEXT_PX) + 6,
            "height": TEXT_PX * 1.4,
            "fill": HIGHLIGHT_BAND if highlighted else "#FFFFFF",
        }
        add(row, "rect", backing)
        add_text(row, text_x, centre, use, TEXT_PX, fill=FAINT_INK, css_class="use")


def _add_segments(
    row: ET.Element,
    parts: Sequence[StackSegment],
    bar_x: float,
    centre: float,
    px_per_seat: float,
    words: StackWords,
) -> None:
    """The units' shares of the bar, one after another from ``bar_x``, each labelled with what fits."""
    bar_top = centre - BAR_PX / 2
    x = bar_x
    for part in parts:
        width = part.seats * px_per_seat
        segment = add(
            row,
            "rect",
            {
                "class": "segment",
                "x": x,
                "y": bar_top,
                "width": width,
                "height": BAR_PX,
                "fill": part.colour,
                "stroke": "#FFFFFF",
                "stroke-width": 1,
                "data-seats": part.seats,
            },
        )
        title = words.segment_in_group if part.group else words.segment
        add(segment, "title", text=title.format(label=part.label, n=part.seats, group=part.group))
        label = segment_label(part.label, part.seats, width - 8)
        if label:
            add_text(
                row,
                x + width / 2,
                centre,
                label,
                TEXT_PX,
                anchor="middle",
                fill=text_colour_on(part.colour),
                css_class="segment-label",
            )
        x += width


def segment_label(label: str, seats: int, room: float) -> str:
    """What fits of a unit's label in ``room`` px: the label and seats, the label, the label cut short (at least two
    characters of it), the seats alone, or nothing."""
    for text in (f"{label} {seats}", label):
        if text_width(text, TEXT_PX) <= room:
            return text
    cut = fit_text(label, TEXT_PX, room)
    if len(cut) >= 3:  # two characters and the ellipsis
        return cut
    return str(seats) if text_width(str(seats), TEXT_PX) <= room else ""
