"""The stacking diagram: every floor as a bar as long as its seats, divided among the units placed on it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from floorplan.model import Building, Floor, SpaceKind
from floorplan.svg.document import (
    LegendEntry,
    add,
    add_heading,
    add_legend,
    add_pattern,
    add_text,
    legend_height,
    new_svg,
    nice_step,
    num,
    text_width,
    to_string,
)
from floorplan.svg.palette import FAINT_INK, INK, KIND_FILLS, NO_SEATS_GREY, OVER_CAPACITY_RED, text_colour_on

MARGIN_PX = 24.0
HEADER_PX = 56.0
ROW_PX = 26.0
BAR_PX = 18.0
THIN_BAR_PX = 4.0
NAME_PX = 12.0
TEXT_PX = 11.0
AXIS_PX = 28.0
FREE_SEATS_FILL = "#F4F4F4"
HIGHLIGHT_BAND = "#FFF1CC"


@dataclass(frozen=True, slots=True)
class StackSegment:
    """A unit's share of a floor in a stacking diagram: its seats there, its colour and its group (department)."""

    label: str
    seats: int
    colour: str
    group: str = ""


def stack_to_svg(
    building: Building,
    *,
    segments: Mapping[int, Sequence[StackSegment]] | None = None,
    highlight_levels: Mapping[int, str] | None = None,
    title: str | None = None,
    width_px: int = 900,
) -> str:
    """The stacking diagram of ``building`` as an SVG document (a string of well-formed XML).

    One row per floor, the top floor at the top and basements below the entrance floor; each bar is as long as
    the floor's `Floor.seat_capacity` on one scale shared by all floors. With ``segments`` (level -> the units on
    it, in order), a bar is divided into the units' seats, coloured by the caller (e.g. by department, see
    `department_palette`) and labelled where the label fits; the right column reads seats used / capacity, and a
    floor whose units need more seats than it has is drawn past its capacity in red hatching and flagged
    ``+N over``. Floors without seats (plant, public) are thin grey lines. ``highlight_levels`` (level -> a note
    such as "closed") marks floors with a band, hatching and the note. A legend lists the segments' groups.

    Raises ValueError naming every level that the building does not have and every negative seat count.
    """
    segments = segments or {}
    highlight_levels = highlight_levels or {}
    _check(building, segments, highlight_levels)
    if width_px < 320:
        raise ValueError(f"width_px must be at least 320, not {width_px}")
    floors = sorted(building.floors, key=lambda f: -f.level)
    used = {f.level: sum(s.seats for s in segments.get(f.level, ())) for f in floors}
    capacity = {f.level: f.seat_capacity for f in floors}
    with_units = bool(segments)

    right_texts = {
        f.level: _right_text(f, capacity[f.level], used[f.level], with_units, highlight_levels) for f in floors
    }
    name_w = max([text_width(f.name, NAME_PX) for f in floors] + [24.0]) + 12
    right_w = max([text_width(t, TEXT_PX) for t in right_texts.values()] + [40.0]) + 12
    bar_x = MARGIN_PX + name_w
    bar_w = max(width_px - 2 * MARGIN_PX - name_w - right_w, 80.0)  # long notes may push the text past the edge
    most = max([max(capacity[lv], used[lv]) for lv in capacity] + [1])
    px_per_seat = bar_w / most
    top = MARGIN_PX + HEADER_PX
    rows_bottom = top + ROW_PX * len(floors)

    entries = _legend_entries(floors, segments, capacity, used, highlight_levels)
    inner = width_px - 2 * MARGIN_PX
    height = rows_bottom + AXIS_PX + (8 + legend_height(entries, inner) if entries else 0) + MARGIN_PX

    heading = title or f"{building.name}: seats by floor".strip(": ")
    total_cap, total_used = sum(capacity.values()), sum(used.values())
    summary = f"{len(floors)} floors · " + (
        f"{total_used} of {total_cap} seats used" if with_units else f"{total_cap} seats"
    )
    root = new_svg(width_px, height, label=f"{heading}: {summary}")
    root.set("data-px-per-seat", num(px_per_seat))
    defs = add(root, "defs")
    add_pattern(defs, "fw-over", "#F9D3D3", "diagonal", OVER_CAPACITY_RED, size=6.0)
    add_pattern(defs, "fw-highlight", FREE_SEATS_FILL, "diagonal", "#B08A2E", size=6.0)

    add_heading(root, heading, summary, left=MARGIN_PX, top=MARGIN_PX, room=inner)
    _add_grid(root, bar_x, top, rows_bottom, most, px_per_seat)

    for index, floor in enumerate(floors):
        y = top + index * ROW_PX
        level = floor.level
        row = _add_row(
            root,
            floor,
            y,
            bar_x=bar_x,
            bar_w=bar_w,
            px_per_seat=px_per_seat,
            capacity=capacity[level],
            used=used[level],
            parts=segments.get(level, ()),
            note=highlight_levels.get(level),
            with_units=with_units,
        )
        add_text(
            row,
            width_px - MARGIN_PX - right_w + 8,
            y + ROW_PX / 2,
            right_texts[level],
            TEXT_PX,
            weight="bold" if used[level] > capacity[level] else "normal",
            fill=OVER_CAPACITY_RED if used[level] > capacity[level] else INK,
            css_class="seats",
        )
        is_ground_line = level == 0 and any(f.level < 0 for f in floors)
        if is_ground_line:
            ground_y = y + ROW_PX
            add(
                root,
                "line",
                {
                    "class": "ground",
                    "x1": MARGIN_PX,
                    "x2": width_px - MARGIN_PX,
                    "y1": ground_y,
                    "y2": ground_y,
                    "stroke": INK,
                    "stroke-width": 1.5,
                    "stroke-dasharray": "6 3",
                },
            )
    if entries:
        add_legend(root, entries, MARGIN_PX, rows_bottom + AXIS_PX + 8, inner)
    return to_string(root)


def _check(building: Building, segments: Mapping[int, Sequence[StackSegment]], highlights: Mapping[int, str]) -> None:
    levels = {f.level for f in building.floors}
    faults = [f"segments name level {lv}, which the building does not have" for lv in segments if lv not in levels]
    faults += [
        f"highlight_levels names level {lv}, which the building does not have" for lv in highlights if lv not in levels
    ]
    for level, parts in segments.items():
        faults += [f"segment {s.label!r} on level {level} has {s.seats} seats" for s in parts if s.seats < 0]
    if faults:
        raise ValueError("; ".join(faults))


def _right_text(floor: Floor, capacity: int, used: int, with_units: bool, highlights: Mapping[int, str]) -> str:
    if with_units and (used or capacity):
        text = f"{used} / {capacity}"
        if used > capacity:
            text += f" (+{used - capacity} over)"
    elif capacity:
        text = f"{capacity} seats"
    else:
        text = floor.use or "no seats"
    note = highlights.get(floor.level)
    return f"{text} · {note}" if note else text


def _add_row(
    root: ET.Element,
    floor: Floor,
    y: float,
    *,
    bar_x: float,
    bar_w: float,
    px_per_seat: float,
    capacity: int,
    used: int,
    parts: Sequence[StackSegment],
    note: str | None,
    with_units: bool,
) -> ET.Element:
    over = used > capacity
    classes = ["floor"] + (["over-capacity"] if over else []) + (["highlighted"] if note is not None else [])
    row = add(
        root,
        "g",
        {"class": " ".join(classes), "data-level": floor.level, "data-seats": capacity, "data-used": used},
    )
    detail = ", ".join(f"{s.label} {s.seats}" for s in parts)
    summary = f"{floor.name}: {used} of {capacity} seats used" if with_units else f"{floor.name}: {capacity} seats"
    add(row, "title", text=summary + (f" ({detail})" if detail else "") + (f"; {note}" if note else ""))
    if note is not None:
        add(
            row,
            "rect",
            {
                "class": "band",
                "x": MARGIN_PX - 6,
                "y": y + 1,
                "width": bar_x + bar_w - MARGIN_PX + 12,
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
        floor.name,
        NAME_PX,
        anchor="end",
        weight="bold",
        fill=name_colour,
        css_class="floor-name",
    )
    if capacity == 0 and used == 0:
        add(
            row,
            "rect",
            {
                "class": "no-seats",
                "x": bar_x,
                "y": centre - THIN_BAR_PX / 2,
                "width": bar_w,
                "height": THIN_BAR_PX,
                "fill": NO_SEATS_GREY,
            },
        )
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
        group = f", {part.group}" if part.group else ""
        add(segment, "title", text=f"{part.label}: {part.seats} seats{group}")
        for text in (f"{part.label} {part.seats}", part.label, str(part.seats)):
            if text_width(text, TEXT_PX) + 8 <= width:
                add_text(
                    row,
                    x + width / 2,
                    centre,
                    text,
                    TEXT_PX,
                    anchor="middle",
                    fill=text_colour_on(part.colour),
                    css_class="segment-label",
                )
                break
        x += width
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


def _add_grid(root: ET.Element, bar_x: float, top: float, bottom: float, most: int, px_per_seat: float) -> None:
    """Faint vertical lines at round seat counts, with the counts below the last floor."""
    group = add(root, "g", {"class": "axis"})
    step = nice_step(most, 6)
    value = 0.0
    while value <= most + 1e-9:
        x = bar_x + value * px_per_seat
        add(group, "line", {"x1": x, "x2": x, "y1": top, "y2": bottom + 4, "stroke": "#E0E0E0", "stroke-width": 1})
        add_text(group, x, bottom + 12, num(value), 10.0, anchor="middle", fill=FAINT_INK)
        value += step
    add_text(group, bar_x, bottom + 24, "seats", 10.0, fill=FAINT_INK)


def _legend_entries(
    floors: Sequence[Floor],
    segments: Mapping[int, Sequence[StackSegment]],
    capacity: Mapping[int, int],
    used: Mapping[int, int],
    highlights: Mapping[int, str],
) -> list[LegendEntry]:
    groups: dict[str, str] = {}
    for parts in segments.values():
        for part in parts:
            if part.group and part.group not in groups:
                groups[part.group] = part.colour
    entries = [LegendEntry(colour, group) for group, colour in groups.items()]
    if segments:
        entries.append(LegendEntry(FREE_SEATS_FILL, "free seats"))
    if any(used[lv] > capacity[lv] for lv in capacity):
        entries.append(LegendEntry("url(#fw-over)", "over capacity", stroke=OVER_CAPACITY_RED))
    if highlights:
        notes = sorted(set(highlights.values()))
        entries.append(LegendEntry("url(#fw-highlight)", " / ".join(notes) or "marked"))
    if any(capacity[f.level] == 0 and used[f.level] == 0 for f in floors):
        entries.append(LegendEntry(NO_SEATS_GREY, "no seats", stroke=NO_SEATS_GREY))
    return entries
