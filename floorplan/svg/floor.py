"""One floor as an SVG plan: for printing, and for the booking page, which colours desks by their class."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

from floorplan.errors import UnknownPlace
from floorplan.model import Building, Core, Floor, SpaceKind
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
    to_string,
)
from floorplan.svg.palette import DESK_STATES, FAINT_INK, INK, KIND_FILLS, KIND_NAMES, NO_SEATS_GREY
from floorplan.svg.plan import (
    PlanFrame,
    add_cores,
    add_desks,
    add_polygon,
    add_space_labels,
    add_spaces,
    check_css_classes,
    desk_style_sheet,
    floor_obstacles,
)

MARGIN_PX = 24.0
#: The title and one summary line; a summary that wraps to a second line makes the header taller.
HEADER_PX = 56.0
#: Room kept clear for the north arrow at the right of the header.
NORTH_ARROW_PX = 48.0
#: A plan is never drawn taller than this many times its width; a long thin floor is scaled down instead.
MAX_HEIGHT_RATIO = 1.4


def floor_to_svg(
    building: Building,
    floor: Floor | str | int,
    *,
    fill: Mapping[str, str] | None = None,
    legend: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    desk_classes: Mapping[str, str] | None = None,
    desk_links: Mapping[str, str] | None = None,
    title: str | None = None,
    width_px: int = 900,
) -> str:
    """The plan of one floor as an SVG document (a string of well-formed XML).

    ``floor`` is a `Floor` or its id, name or level. North is up: the model's y axis points north and is flipped
    into SVG's downward y. The plan keeps its aspect ratio inside ``width_px``, with a title, a north arrow, a
    scale bar in metres and a legend.

    - ``fill``: a colour per space id (e.g. of the unit that occupies the space); other spaces are filled by kind.
    - ``legend``: legend entries for those colours, label -> colour; kinds still unfilled are added after them.
    - ``labels``: text to show instead of a space's name (or a core's id), by id. A label is sized to fit clear of
      desks and is left out where it cannot fit; every space keeps a <title> with its name for screen readers.
    - ``desk_classes``: a CSS class per desk id (``free``, ``booked``, ``mine``, ``blocked``, ``reserved`` have
      colour-and-pattern fills in the SVG's own stylesheet); each desk is the element ``id="desk-<desk id>"``
      with class ``desk <class>``, so a page can restyle a desk by changing its class.
    - ``desk_links``: an href per desk id; the desk is then wrapped in ``<a href>``.

    Ids in these mappings that are not on this floor are ignored, so one mapping can serve every floor. A floor
    known only from a floor guide (no outline) is drawn as a labelled box with its seat count.
    """
    drawn_floor = _resolve_floor(building, floor)
    desk_classes = desk_classes or {}
    check_css_classes(desk_classes)
    if width_px < 240:
        raise ValueError(f"width_px must be at least 240, not {width_px}")
    if drawn_floor.outline is None:
        return _floor_guide_svg(building, drawn_floor, title=title, width_px=width_px)
    return _plan_svg(
        building,
        drawn_floor,
        fill=fill or {},
        legend=legend or {},
        labels=labels or {},
        desk_classes=desk_classes,
        desk_links=desk_links or {},
        title=title,
        width_px=width_px,
    )


def _resolve_floor(building: Building, floor: Floor | str | int) -> Floor:
    if isinstance(floor, Floor):
        return floor
    try:
        return building.floor(floor)
    except KeyError:
        raise UnknownPlace(str(floor), choices=[f.name for f in building.floors]) from None


def _plan_svg(
    building: Building,
    floor: Floor,
    *,
    fill: Mapping[str, str],
    legend: Mapping[str, str],
    labels: Mapping[str, str],
    desk_classes: Mapping[str, str],
    desk_links: Mapping[str, str],
    title: str | None,
    width_px: int,
) -> str:
    outline = floor.outline
    if outline is None:  # the caller draws such floors as a box
        raise ValueError(f"floor {floor.name!r} has no outline")
    cores = [c for c in building.cores if c.serves(floor.level)]
    min_x, min_y, max_x, max_y = (float(v) for v in outline.bounds)
    for core in cores:
        if core.footprint is not None:
            cx0, cy0, cx1, cy1 = (float(v) for v in core.footprint.bounds)
            min_x, min_y, max_x, max_y = min(min_x, cx0), min(min_y, cy0), max(max_x, cx1), max(max_y, cy1)
    span_x, span_y = max(max_x - min_x, 1e-6), max(max_y - min_y, 1e-6)
    inner = width_px - 2 * MARGIN_PX
    heading = title or f"{building.name} {floor.name}".strip()
    summary = _summary(floor, len(floor.desks))
    lines = summary_lines(summary, _header_room(width_px, north_arrow=True))
    scale = min(inner / span_x, MAX_HEIGHT_RATIO * inner / span_y)
    top = MARGIN_PX + _header_height(lines)
    frame = PlanFrame(min_x, max_y, scale, MARGIN_PX + (inner - span_x * scale) / 2, top)
    plan_bottom = frame.top + span_y * scale

    entries = _legend_entries(floor, fill, legend, desk_classes)
    footer = 16 + 34 + (8 + legend_height(entries, inner) if entries else 0)
    height = plan_bottom + footer + MARGIN_PX

    desk_counts: dict[str, int] = {}
    for desk in floor.desks:
        desk_counts[desk.space_id] = desk_counts.get(desk.space_id, 0) + 1
    root = new_svg(width_px, height, label=f"{heading}: {summary}", description=_description(floor, cores))
    root.set("data-px-per-m", num(scale))
    root.set("data-floor", floor.id)
    defs = add(root, "defs")
    add(defs, "style", text=desk_style_sheet())
    for state in DESK_STATES:
        add_pattern(
            defs, f"fw-desk-{state.name}", state.colour, state.marks, state.mark_colour, size=5.0, stroke_width=1.0
        )

    _add_header(root, heading, lines, width_px)
    plan = add(root, "g", {"class": "plan"})
    add_polygon(plan, frame.geometry(outline), {"class": "outline-fill", "fill": "#FFFFFF"})
    add_spaces(plan, frame, floor, fill, desk_counts)
    add_cores(plan, frame, cores, {f.level: f.name for f in building.floors}, labels)
    add_polygon(
        plan,
        frame.geometry(outline),
        {"class": "outline", "fill": "none", "stroke": INK, "stroke-width": 2.2, "stroke-linejoin": "round"},
    )
    add_desks(plan, frame, floor.desks, desk_classes, desk_links)
    add_space_labels(plan, frame, floor, labels, fill, floor_obstacles(frame, floor, cores), desk_counts)

    _add_scale_bar(root, MARGIN_PX, plan_bottom + 16, scale, inner)
    if entries:
        add_legend(root, entries, MARGIN_PX, plan_bottom + 16 + 34 + 8, inner)
    return to_string(root)


def _summary(floor: Floor, desk_count: int) -> str:
    parts = [f"{floor.seat_capacity} seats"]
    if desk_count:
        parts.append(f"{desk_count} desks")
    if floor.outline is not None:
        parts.append(f"{floor.outline.area:,.0f} m²")
    if floor.use:
        parts.append(floor.use)
    return " · ".join(parts)


def _description(floor: Floor, cores: list[Core]) -> str:
    kinds: dict[str, int] = {}
    for space in floor.spaces:
        kinds[space.kind.value] = kinds.get(space.kind.value, 0) + 1
    text = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
    served = ", ".join(f"{c.kind.value} {c.name or c.id}" for c in cores)
    return f"Spaces: {text or 'none'}. Cores: {served or 'none'}. North is up."


def _header_room(width_px: float, *, north_arrow: bool) -> float:
    """The width the title and summary may take: all of it but the margins and, at the right, the north arrow."""
    return width_px - 2 * MARGIN_PX - (NORTH_ARROW_PX if north_arrow else 0)


def _header_height(lines: Sequence[str]) -> float:
    return HEADER_PX + max(len(lines) - 1, 0) * SUMMARY_LINE_PX


def _add_header(
    root: ET.Element, heading: str, lines: Sequence[str], width_px: float, *, north_arrow: bool = True
) -> None:
    room = _header_room(width_px, north_arrow=north_arrow)
    add_heading(root, heading, lines, left=MARGIN_PX, top=MARGIN_PX, room=room)
    if north_arrow:
        _add_north_arrow(root, width_px - MARGIN_PX - 14, MARGIN_PX)


def _add_north_arrow(root: ET.Element, x: float, top: float) -> None:
    group = add(root, "g", {"class": "north-arrow"})
    add(group, "title", text="North")
    add_text(group, x, top + 6, "N", 12.0, anchor="middle", weight="bold")
    tip, base = top + 15, top + 44
    add(
        group, "path", {"d": f"M{num(x)},{num(tip)} L{num(x + 8)},{num(base)} L{num(x)},{num(base - 7)} Z", "fill": INK}
    )
    add(
        group,
        "path",
        {
            "d": f"M{num(x)},{num(tip)} L{num(x - 8)},{num(base)} L{num(x)},{num(base - 7)} Z",
            "fill": "#FFFFFF",
            "stroke": INK,
            "stroke-width": 1,
        },
    )


def _add_scale_bar(root: ET.Element, x: float, y: float, scale: float, inner: float) -> None:
    """A bar of a round length in metres, in two halves, about a fifth of the drawing's width."""
    metres = nice_step(inner / scale, 5)
    half = metres * scale / 2
    group = add(root, "g", {"class": "scale-bar"})
    add(group, "title", text=f"Scale bar: {num(metres)} m")
    add(group, "rect", {"x": x, "y": y, "width": half, "height": 6, "fill": INK, "stroke": INK, "stroke-width": 0.8})
    add(
        group,
        "rect",
        {"x": x + half, "y": y, "width": half, "height": 6, "fill": "#FFFFFF", "stroke": INK, "stroke-width": 0.8},
    )
    for i, value in enumerate((0.0, metres / 2, metres)):
        text = f"{num(value)} m" if i == 2 else num(value)
        add_text(group, x + i * half, y + 18, text, 10.0, anchor="middle" if i else "start", fill=INK)


def _legend_entries(
    floor: Floor, fill: Mapping[str, str], legend: Mapping[str, str], desk_classes: Mapping[str, str]
) -> list[LegendEntry]:
    entries = [LegendEntry(colour, label) for label, colour in legend.items()]
    kinds_shown: list[SpaceKind] = []
    for space in floor.spaces:
        if space.geometry is not None and space.id not in fill and space.kind not in kinds_shown:
            kinds_shown.append(space.kind)
    entries += [LegendEntry(KIND_FILLS[kind], KIND_NAMES[kind]) for kind in SpaceKind if kind in kinds_shown]
    used = {desk_classes[d.id] for d in floor.desks if d.id in desk_classes}
    entries += [
        LegendEntry(f"url(#fw-desk-{s.name})", s.description, stroke="#333333", css_class=f"desk-swatch {s.name}")
        for s in DESK_STATES
        if s.name in used
    ]
    return entries


def _floor_guide_svg(building: Building, floor: Floor, *, title: str | None, width_px: int) -> str:
    """A floor without a plan: a box with its name, seat count and use, and the cores that stop there."""
    heading = title or f"{building.name} {floor.name}".strip()
    summary = _summary(floor, 0)
    lines = summary_lines(summary, _header_room(width_px, north_arrow=False))
    inner = width_px - 2 * MARGIN_PX
    box_h = 130.0
    top = MARGIN_PX + _header_height(lines)
    height = top + box_h + 30 + MARGIN_PX
    cores = [c for c in building.cores if c.serves(floor.level)]
    root = new_svg(width_px, height, label=f"{heading}: {summary}", description=_description(floor, cores))
    root.set("data-floor", floor.id)
    _add_header(root, heading, lines, width_px, north_arrow=False)
    seats = floor.seat_capacity
    colour = KIND_FILLS[SpaceKind.OFFICE] if seats else NO_SEATS_GREY
    box = add(root, "g", {"class": "floor-box"})
    add(
        box,
        "rect",
        {"x": MARGIN_PX, "y": top, "width": inner, "height": box_h, "fill": colour, "stroke": INK, "stroke-width": 2},
    )
    centre = MARGIN_PX + inner / 2
    add_text(box, centre, top + 42, floor.name, 30.0, anchor="middle", weight="bold")
    room = inner - 24
    seats_and_use = f"{seats} seats" + (f" · {floor.use}" if floor.use else "")
    add_text(box, centre, top + 80, fit_text(seats_and_use, 16.0, room), 16.0, anchor="middle")
    if cores:
        served = " · ".join(f"{c.kind.value} {c.name or c.id}" for c in cores)
        add_text(box, centre, top + 108, fit_text(served, 11.0, room), 11.0, anchor="middle", fill=FAINT_INK)
    note = "Known from a floor guide: no plan drawn."
    add_text(root, MARGIN_PX, top + box_h + 16, note, 11.0, fill=FAINT_INK, css_class="note")
    return to_string(root)
