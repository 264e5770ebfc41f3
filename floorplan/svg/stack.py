"""The stacking diagram: every floor as a bar as long as its seats, divided among the units placed on it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

from floorplan.model import Building, Floor
from floorplan.svg.document import (
    SUMMARY_LINE_PX,
    LegendEntry,
    add,
    add_heading,
    add_legend,
    add_pattern,
    add_text,
    fit_text,
    legend_height,
    new_svg,
    nice_step,
    num,
    summary_lines,
    text_width,
    to_string,
)
from floorplan.svg.palette import FAINT_INK, INK, NO_SEATS_GREY, OVER_CAPACITY_RED
from floorplan.svg.stack_row import (
    FREE_SEATS_FILL,
    NAME_PX,
    ROW_PX,
    TEXT_PX,
    RowColumns,
    StackSegment,
    StackWords,
    add_floor_row,
)

# StackSegment and StackWords live in stack_row; callers may import them from here
__all__ = ["StackSegment", "StackWords", "stack_to_svg"]

MARGIN_PX = 24.0
HEADER_PX = 56.0
#: The columns of floor names (left) and of seat counts and notes (right) take at most these shares of the width;
#: longer names and notes are ellipsized, so that the bars always keep at least half of it.
NAME_COLUMN_SHARE = 0.2
RIGHT_COLUMN_SHARE = 0.3
AXIS_PX = 28.0


def stack_to_svg(
    building: Building,
    *,
    segments: Mapping[int, Sequence[StackSegment]] | None = None,
    highlight_levels: Mapping[int, str] | None = None,
    title: str | None = None,
    width_px: int = 900,
    words: StackWords | None = None,
) -> str:
    """The stacking diagram of ``building`` as an SVG document (a string of well-formed XML).

    One row per floor, the top floor at the top and basements below the entrance floor; each bar is as long as
    the floor's `Floor.seat_capacity` on one scale shared by all floors, the longest bar (or the fullest floor)
    taking all the width between the column of floor names and the column of seat counts. With ``segments``
    (level -> the units on it, in order), a bar is divided into the units' seats, coloured by the caller (e.g. by
    department, see `department_palette`) and labelled where the label fits (cut short with an ellipsis if need
    be); the right column reads seats used / capacity, and a floor whose units need more seats than it has is
    drawn past its capacity in red hatching and flagged ``+N over``. Floors without seats (plant, public) are
    short thin grey lines with the floor's use after them in grey; every row's <title> names the floor's use.
    ``highlight_levels`` (level -> a note such as "closed") marks floors with a band, hatching and the note. A
    legend lists the segments' groups. Text that would run past its column is ellipsized. ``words`` gives the
    diagram's words in another language (see `StackWords`); English by default.

    Raises ValueError naming every level that the building does not have and every negative seat count.
    """
    segments = segments or {}
    highlight_levels = highlight_levels or {}
    words = words or StackWords()
    _check(building, segments, highlight_levels)
    if width_px < 320:
        raise ValueError(f"width_px must be at least 320, not {width_px}")
    floors = sorted(building.floors, key=lambda f: -f.level)
    used = {f.level: sum(s.seats for s in segments.get(f.level, ())) for f in floors}
    capacity = {f.level: f.seat_capacity for f in floors}
    with_units = bool(segments)

    right_texts = {
        f.level: _right_text(capacity[f.level], used[f.level], with_units, highlight_levels.get(f.level), words)
        for f in floors
    }
    inner = width_px - 2 * MARGIN_PX
    name_w = min(max([text_width(f.name, NAME_PX) for f in floors] + [24.0]) + 12, NAME_COLUMN_SHARE * inner)
    right_w = min(max([text_width(t, TEXT_PX) for t in right_texts.values()] + [40.0]) + 12, RIGHT_COLUMN_SHARE * inner)
    bar_x = MARGIN_PX + name_w
    bar_w = inner - name_w - right_w
    most = max([max(capacity[lv], used[lv]) for lv in capacity] + [1])
    px_per_seat = bar_w / most

    # Without a name, the heading is the words alone, not ": seats by floor".
    heading = title or words.heading.format(building=building.name).strip(" :：")
    total_cap, total_used = sum(capacity.values()), sum(used.values())
    summary = (words.summary_used if with_units else words.summary_seats).format(
        floors=len(floors), used=total_used, capacity=total_cap
    )
    lines = summary_lines(summary, inner)
    top = MARGIN_PX + HEADER_PX + (len(lines) - 1) * SUMMARY_LINE_PX
    rows_bottom = top + ROW_PX * len(floors)

    entries = _legend_entries(floors, segments, capacity, used, highlight_levels, words)
    height = rows_bottom + AXIS_PX + (8 + legend_height(entries, inner) if entries else 0) + MARGIN_PX

    root = new_svg(width_px, height, label=words.label.format(heading=heading, summary=summary))
    root.set("data-px-per-seat", num(px_per_seat))
    defs = add(root, "defs")
    add_pattern(defs, "fw-over", "#F9D3D3", "diagonal", OVER_CAPACITY_RED, size=6.0)
    add_pattern(defs, "fw-highlight", FREE_SEATS_FILL, "diagonal", "#B08A2E", size=6.0)

    add_heading(root, heading, lines, left=MARGIN_PX, top=MARGIN_PX, room=inner)
    _add_grid(root, bar_x, top, rows_bottom, most, px_per_seat, words.axis)

    columns = RowColumns(MARGIN_PX, bar_x, bar_w, px_per_seat)
    for index, floor in enumerate(floors):
        y = top + index * ROW_PX
        level = floor.level
        row = add_floor_row(
            root,
            floor,
            y,
            columns,
            capacity=capacity[level],
            used=used[level],
            parts=segments.get(level, ()),
            note=highlight_levels.get(level),
            with_units=with_units,
            words=words,
        )
        add_text(
            row,
            width_px - MARGIN_PX - right_w + 8,
            y + ROW_PX / 2,
            fit_text(right_texts[level], TEXT_PX, right_w - 8),
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


def _right_text(capacity: int, used: int, with_units: bool, note: str | None, words: StackWords) -> str:
    """The seat counts of a floor and its note; nothing for a floor without seats, whose use is in its row."""
    if with_units and (used or capacity):
        text = f"{used} / {capacity}"
        if used > capacity:
            text += " " + words.over.format(n=used - capacity)
    elif capacity:
        text = words.seats.format(n=capacity)
    else:
        text = ""
    return " · ".join(t for t in (text, note) if t)


def _add_grid(
    root: ET.Element, bar_x: float, top: float, bottom: float, most: int, px_per_seat: float, unit: str
) -> None:
    """Faint vertical lines at round seat counts, about one every 90 px, with the counts below the last floor."""
    group = add(root, "g", {"class": "axis"})
    step = nice_step(most, max(3, int(most * px_per_seat // 90)))
    value = 0.0
    while value <= most + 1e-9:
        x = bar_x + value * px_per_seat
        add(group, "line", {"x1": x, "x2": x, "y1": top, "y2": bottom + 4, "stroke": "#E0E0E0", "stroke-width": 1})
        add_text(group, x, bottom + 12, num(value), 10.0, anchor="middle", fill=FAINT_INK)
        value += step
    add_text(group, bar_x, bottom + 24, unit, 10.0, fill=FAINT_INK)


def _legend_entries(
    floors: Sequence[Floor],
    segments: Mapping[int, Sequence[StackSegment]],
    capacity: Mapping[int, int],
    used: Mapping[int, int],
    highlights: Mapping[int, str],
    words: StackWords,
) -> list[LegendEntry]:
    groups: dict[str, str] = {}
    for parts in segments.values():
        for part in parts:
            if part.group and part.group not in groups:
                groups[part.group] = part.colour
    entries = [LegendEntry(colour, group) for group, colour in groups.items()]
    if segments:
        entries.append(LegendEntry(FREE_SEATS_FILL, words.free_seats))
    if any(used[lv] > capacity[lv] for lv in capacity):
        entries.append(LegendEntry("url(#fw-over)", words.over_capacity, stroke=OVER_CAPACITY_RED))
    if highlights:
        notes = sorted(set(highlights.values()))
        entries.append(LegendEntry("url(#fw-highlight)", " / ".join(notes) or words.marked))
    if any(capacity[f.level] == 0 and used[f.level] == 0 for f in floors):
        entries.append(LegendEntry(NO_SEATS_GREY, words.no_seats, stroke=NO_SEATS_GREY))
    return entries
