"""The plan of a drawn floor in SVG: spaces, cores, desks and the labels that fit.

All geometry is first moved into SVG pixels by a `PlanFrame` (x to the right, y *down*, so the model's y, which
points north, is flipped); fitting labels is then plain shapely work in pixels.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely import LineString, MultiLineString, Point, Polygon, affinity
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, polylabel

from floorplan.model import Core, CoreKind, Desk, Floor, Space, SpaceKind, space_seats
from floorplan.svg.document import add, add_text, num, text_width
from floorplan.svg.palette import DESK_STATES, INK, KIND_FILLS, text_colour_on

#: Largest and smallest font sizes (px) tried for a space's name.
LABEL_MAX_PX = 14
LABEL_MIN_PX = 7
#: A desk drawn as a point is a circle of this radius in metres, kept within these pixel bounds.
DESK_RADIUS_M = 0.35
DESK_RADIUS_PX = (2.5, 9.0)
_CSS_CLASS = re.compile(r"^-?[A-Za-z_][A-Za-z0-9_-]*$")


@dataclass(frozen=True, slots=True)
class PlanFrame:
    """Where the model's plane lands in the SVG: ``scale`` px per metre, the model's (min_x, max_y) at (left, top)."""

    min_x: float
    max_y: float
    scale: float
    left: float
    top: float

    def point(self, x: float, y: float) -> tuple[float, float]:
        return self.left + (x - self.min_x) * self.scale, self.top + (self.max_y - y) * self.scale

    def geometry(self, geometry: BaseGeometry) -> BaseGeometry:
        def move(coords: NDArray[np.float64]) -> NDArray[np.float64]:
            out = np.empty_like(coords)
            out[:, 0] = self.left + (coords[:, 0] - self.min_x) * self.scale
            out[:, 1] = self.top + (self.max_y - coords[:, 1]) * self.scale
            return out

        moved: BaseGeometry = shapely.transform(geometry, move)
        return moved


def check_css_classes(desk_classes: Mapping[str, str]) -> None:
    """Raise ValueError naming every desk whose class is not a single CSS class name."""
    bad = [f"desk {desk_id!r}: {cls!r}" for desk_id, cls in desk_classes.items() if not _CSS_CLASS.match(cls)]
    if bad:
        raise ValueError("desk classes must be single CSS class names; not: " + "; ".join(bad))


def desk_style_sheet() -> str:
    """Fills of desks by state class, so that a page can restyle a desk by changing its class alone."""
    rules = [".desk { fill: #FFFFFF; stroke: #333333; stroke-width: 0.8; }"]
    rules += [f".desk.{state.name} {{ fill: url(#fw-desk-{state.name}); }}" for state in DESK_STATES]
    rules.append("a:focus .desk, a:hover .desk { stroke: #000000; stroke-width: 2; }")
    return "\n".join(rules)


def points_text(ring: Sequence[tuple[float, float]]) -> str:
    coords = list(ring)
    if len(coords) > 1 and coords[0] == coords[-1]:
        coords = coords[:-1]
    return " ".join(f"{num(x)},{num(y)}" for x, y in coords)


def add_polygon(parent: ET.Element, polygon: Polygon, attrs: Mapping[str, str | float | int]) -> ET.Element:
    """A <polygon>, or an even-odd <path> when the polygon has holes."""
    if not polygon.interiors:
        return add(parent, "polygon", {"points": points_text(polygon.exterior.coords), **attrs})
    rings = [polygon.exterior, *polygon.interiors]
    d = " ".join(f"M{points_text(ring.coords).replace(' ', ' L')} Z" for ring in rings)
    return add(parent, "path", {"d": d, "fill-rule": "evenodd", **attrs})


def _polygons(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [] if geometry.is_empty else [geometry]
    return [g for g in getattr(geometry, "geoms", ()) if isinstance(g, Polygon) and not g.is_empty]


def _lines(geometry: BaseGeometry) -> list[LineString]:
    if isinstance(geometry, LineString):
        return [] if geometry.is_empty else [geometry]
    if isinstance(geometry, MultiLineString):
        return [g for g in geometry.geoms if not g.is_empty]
    return [g for g in getattr(geometry, "geoms", ()) if isinstance(g, LineString) and not g.is_empty]


def add_lines(parent: ET.Element, lines: Sequence[LineString], attrs: Mapping[str, str | float | int]) -> None:
    if lines:
        d = " ".join("M" + " L".join(f"{num(x)},{num(y)}" for x, y in line.coords) for line in lines)
        add(parent, "path", {"d": d, "fill": "none", **attrs})


# --- spaces -------------------------------------------------------------------------------------------------------


def space_title(space: Space, seats: int) -> str:
    parts = [space.kind.value]
    if space.area_m2 is not None:
        parts.append(f"{space.area_m2:,.0f} m²")
    if space.kind == SpaceKind.OFFICE:
        parts.append(f"{seats} seats")
    return f"{space.name or space.id} ({', '.join(parts)})"


def add_spaces(
    parent: ET.Element,
    frame: PlanFrame,
    floor: Floor,
    fill: Mapping[str, str],
    desk_counts: Mapping[str, int],
) -> None:
    group = add(parent, "g", {"class": "spaces", "stroke": "#8C8C8C", "stroke-width": 0.8})
    for space in floor.spaces:
        if space.geometry is None:
            continue
        shape = frame.geometry(space.geometry)
        colour = fill.get(space.id, KIND_FILLS[space.kind])
        for polygon in _polygons(shape):
            element = add_polygon(
                group,
                polygon,
                {"id": f"space-{space.id}", "class": f"space {space.kind.value}", "fill": colour},
            )
            add(element, "title", text=space_title(space, space_seats(space, desk_counts.get(space.id, 0))))


def add_space_labels(
    parent: ET.Element,
    frame: PlanFrame,
    floor: Floor,
    labels: Mapping[str, str],
    fill: Mapping[str, str],
    obstacles: BaseGeometry,
    desk_counts: Mapping[str, int],
) -> None:
    """Each space's name (or given label) where it fits clear of desks and cores, sized to fit; a second, smaller
    line with the seats (offices) or the area when there is room for it too."""
    group = add(parent, "g", {"class": "labels"})
    for space in floor.spaces:
        name = labels.get(space.id, space.name)
        if space.geometry is None or not name:
            continue
        shape = frame.geometry(space.geometry)
        free = shape.difference(obstacles)
        if space.kind == SpaceKind.OFFICE:
            detail = f"{space_seats(space, desk_counts.get(space.id, 0))} seats"
        else:
            detail = f"{space.area_m2:,.0f} m²" if space.area_m2 else ""
        centre = shape.centroid
        placed = fit_label(free, [name, detail] if detail else [name], centre) or fit_label(free, [name], centre)
        if placed is None:
            continue
        x, y, size, lines = placed
        colour = text_colour_on(fill.get(space.id, KIND_FILLS[space.kind]))
        block = add(group, "g", {"class": "space-label", "data-space": space.id})
        add_text(block, x, y - (len(lines) - 1) * size * 0.5, lines[0], size, anchor="middle", fill=colour)
        if len(lines) > 1:
            add_text(block, x, y + size * 0.55, lines[1], round(size * 0.8, 1), anchor="middle", fill=colour)


def fit_label(
    region: BaseGeometry, lines: Sequence[str], anchor: Point | None = None
) -> tuple[float, float, float, list[str]] | None:
    """The centre and largest font size at which ``lines`` fit inside ``region``, as near ``anchor`` (the space's
    centre) as they can, or None where they cannot fit at all."""
    if region.is_empty:
        return None
    if anchor is None:
        anchor = region.centroid
    for size in range(LABEL_MAX_PX, LABEL_MIN_PX - 1, -1):
        sizes = [float(size)] + [size * 0.8] * (len(lines) - 1)
        width = max(text_width(text, s) for text, s in zip(lines, sizes, strict=True)) + 4
        height = sum(sizes) * 1.2 + 2
        for x, y in _label_centres(region, width, height, anchor):
            box = shapely.box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)
            if region.contains(box):
                return x, y, float(size), list(lines)
    return None


def _label_centres(region: BaseGeometry, width: float, height: float, anchor: Point) -> list[tuple[float, float]]:
    """Candidate centres for a width x height box inside ``region``.

    The centres where the box fits are the region eroded by the box. Squeezing x by height / width turns the box
    into a square, and a mitred inward buffer by half its side erodes by that square (exactly along straight edges,
    nearly round curved obstacles, which is why the caller checks each candidate).
    """
    squeeze = height / width
    squeezed = affinity.scale(region, xfact=squeeze, yfact=1.0, origin=(0.0, 0.0))
    eroded = squeezed.buffer(-height / 2, join_style="mitre")
    if eroded.is_empty:
        return []
    feasible = affinity.scale(eroded, xfact=1 / squeeze, yfact=1.0, origin=(0.0, 0.0))
    nearest = nearest_points(feasible, anchor)[0]
    candidates = [(float(nearest.x), float(nearest.y))]
    for piece in sorted(_polygons(feasible), key=lambda p: -p.area)[:4]:
        inner = polylabel(piece, tolerance=1.0)
        candidates.append((float(inner.x), float(inner.y)))
    return candidates


# --- cores --------------------------------------------------------------------------------------------------------

_CORE_WORDS = {CoreKind.LIFT: "Lift", CoreKind.STAIR: "Stair", CoreKind.ESCALATOR: "Escalator"}


def core_symbol(kind: CoreKind, shape: Polygon, scale: float) -> list[LineString]:
    """A lift shaft's cross, a stair's treads or an escalator's diagonal hatching, clipped to the footprint."""
    min_x, min_y, max_x, max_y = (float(v) for v in shape.bounds)
    if kind == CoreKind.LIFT:
        lines = [LineString([(min_x, min_y), (max_x, max_y)]), LineString([(min_x, max_y), (max_x, min_y)])]
    elif kind == CoreKind.STAIR:
        step = max(0.3 * scale, 4.0)  # treads about 30 cm deep
        if max_x - min_x >= max_y - min_y:
            xs = np.arange(min_x + step, max_x - step / 2, step)  # no tread on the walls
            lines = [LineString([(x, min_y), (x, max_y)]) for x in xs]
        else:
            ys = np.arange(min_y + step, max_y - step / 2, step)
            lines = [LineString([(min_x, y), (max_x, y)]) for y in ys]
    else:
        step = max(0.4 * scale, 5.0)
        span = (max_x - min_x) + (max_y - min_y)
        lines = [
            LineString([(min_x + d, max_y), (min_x + d - (max_y - min_y), min_y)]) for d in np.arange(step, span, step)
        ]
    clipped: list[LineString] = []
    for line in lines:
        clipped += _lines(line.intersection(shape))
    return clipped


def add_cores(
    parent: ET.Element,
    frame: PlanFrame,
    cores: Sequence[Core],
    level_names: Mapping[int, str],
    labels: Mapping[str, str],
) -> None:
    group = add(parent, "g", {"class": "cores"})
    for core in cores:
        if core.footprint is None:
            continue
        shape = frame.geometry(core.footprint)
        served = ", ".join(level_names.get(level, str(level)) for level in core.levels)
        title = f"{_CORE_WORDS[core.kind]} {core.name or core.id} (serves {served})"
        core_group = add(group, "g", {"id": f"core-{core.id}", "class": f"core {core.kind.value}"})
        add(core_group, "title", text=title)
        for polygon in _polygons(shape):
            add_polygon(core_group, polygon, {"fill": "#EFEFEF", "stroke": "#444444", "stroke-width": 1.2})
            add_lines(
                core_group, core_symbol(core.kind, polygon, frame.scale), {"stroke": "#555555", "stroke-width": 0.8}
            )
        text = labels.get(core.id, core.id)
        centre = shape.centroid if shape.centroid.within(shape) else shape.representative_point()
        for size in (13.0, 12.0, 11.0, 10.0, 9.0, 8.0, 7.0, 6.0):
            width, height = text_width(text, size) + 6, size * 1.3 + 2
            x, y = float(centre.x), float(centre.y)
            tag = shapely.box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)
            if shape.buffer(0.5).contains(tag):
                add(
                    core_group,
                    "rect",
                    {
                        "x": x - width / 2,
                        "y": y - height / 2,
                        "width": width,
                        "height": height,
                        "rx": 2,
                        "fill": "#FFFFFF",
                        "stroke": "#444444",
                        "stroke-width": 0.6,
                    },
                )
                add_text(core_group, x, y, text, size, anchor="middle", weight="bold", fill=INK)
                break


# --- desks --------------------------------------------------------------------------------------------------------


def desk_radius(frame: PlanFrame) -> float:
    low, high = DESK_RADIUS_PX
    return min(max(DESK_RADIUS_M * frame.scale, low), high)


def desk_shape(frame: PlanFrame, desk: Desk) -> BaseGeometry:
    """The desk's mark in pixels: its polygon, or a circle round its point."""
    if isinstance(desk.geometry, Point):
        x, y = frame.point(float(desk.geometry.x), float(desk.geometry.y))
        circle: BaseGeometry = Point(x, y).buffer(desk_radius(frame), quad_segs=4)
        return circle
    return frame.geometry(desk.geometry)


def desk_title(desk: Desk, state: str) -> str:
    """What a screen reader says of a desk: its name, its attributes and its state in words."""
    status = next((s.status for s in DESK_STATES if s.name == state), state)
    flags = [f"{k}: {v}" if not isinstance(v, bool) else k for k, v in desk.attributes.items() if v is not False]
    extra = f" ({', '.join(flags)})" if flags else ""
    label = desk.name or desk.id
    return f"Desk {label}{extra}" + (f", {status}" if status else "")


def add_desks(
    parent: ET.Element, frame: PlanFrame, desks: Sequence[Desk], classes: Mapping[str, str], links: Mapping[str, str]
) -> None:
    group = add(parent, "g", {"class": "desks"})
    states = {state.name for state in DESK_STATES}
    for desk in desks:
        state = classes.get(desk.id, "")
        attrs: dict[str, str | float | int] = {
            "id": f"desk-{desk.id}",
            "class": f"desk {state}".strip(),
            # The stylesheet sets the same fill; the attribute serves renderers without CSS.
            "fill": f"url(#fw-desk-{state})" if state in states else "#FFFFFF",
            "stroke": "#333333",
            "stroke-width": 0.8,
        }
        holder = group
        if desk.id in links:
            holder = add(group, "a", {"href": links[desk.id], "aria-label": desk_title(desk, state)})
        if isinstance(desk.geometry, Point):
            x, y = frame.point(float(desk.geometry.x), float(desk.geometry.y))
            element = add(holder, "circle", {"cx": x, "cy": y, "r": desk_radius(frame), **attrs})
        else:
            shape = frame.geometry(desk.geometry)
            element = add_polygon(holder, _polygons(shape)[0], attrs)
        add(element, "title", text=desk_title(desk, state))


def floor_obstacles(frame: PlanFrame, floor: Floor, cores: Sequence[Core]) -> BaseGeometry:
    """What labels must keep clear of: desk marks and core footprints, with a little air round them."""
    shapes = [desk_shape(frame, d).buffer(2.0) for d in floor.desks]
    shapes += [frame.geometry(c.footprint).buffer(2.0) for c in cores if c.footprint is not None]
    union: BaseGeometry = shapely.union_all(shapes) if shapes else Polygon()
    return union
