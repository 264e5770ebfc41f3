"""A floor map for a page: the building's own plan (`floorplan.svg.floor_to_svg`) with every desk coloured and
patterned by its state, a link to the desk's page, and a title in the page's language.

The drawing's own legend is in English; the page shows a legend of its own in the page's language (`LEGEND`), so
the map's legend is taken out and the drawing cut short above it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from floorplan.model import Building
from floorplan.svg import floor_to_svg
from floorplan.svg.document import add, add_pattern, num
from floorplan.svg.palette import DESK_STATES
from floorplan.svg.plan import desk_style_sheet

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)

#: Classes the pages give desks beyond the drawing's own (free, booked, mine, blocked, reserved), with their look:
#: (background, marks, mark colour). Each state has a pattern as well as a colour.
EXTRA_STATES: dict[str, tuple[str, str, str]] = {
    "fixed": ("#7A5195", "horizontal", "#FFFFFF"),
    "closed": ("#D0D0D0", "cross", "#FFFFFF"),
    "retired": ("#D0D0D0", "cross", "#FFFFFF"),
    "team": ("#009E73", "dots", "#FFFFFF"),
}
#: Desks that do not match the filters: drawn faint, still there so that the floor reads as it is.
DIMMED_STYLE = ".desk.dimmed { fill: #FFFFFF; stroke: #B0B0B0; stroke-dasharray: 1.5 1; opacity: .55; }"
#: The states a page's legend explains, in this order.
LEGEND = ("free", "mine", "booked", "reserved", "fixed", "blocked", "closed", "team", "dimmed")


#: The ring round a suggested desk: Okabe-Ito vermilion, apart from every state's fill, with its rank beside it.
SUGGESTED_COLOUR = "#D55E00"


@dataclass(frozen=True)
class MapDesk:
    ref: str  # the desk's id in the building file
    css: str  # its state class
    title: str  # what a screen reader says of it
    href: str | None = None
    rank: int | None = None  # a suggested desk's place in the suggestions (1 is the best)


def floor_map_svg(
    building: Building, floor_ref: str, desks: Sequence[MapDesk], *, title: str, summary: str | None = None
) -> str:
    """The plan of ``floor_ref`` with ``desks`` styled, linked and titled; a well-formed SVG string. ``summary``
    replaces the drawing's English line under the title."""
    svg = floor_to_svg(
        building,
        floor_ref,
        desk_classes={d.ref: d.css for d in desks},
        desk_links={d.ref: d.href for d in desks if d.href},
        title=title,
    )
    return _localise(svg, {d.ref: d.title for d in desks}, title, summary, {d.ref: d.rank for d in desks if d.rank})


def legend_patterns() -> str:
    """An invisible SVG with every state's pattern and style, for legends and swatches on pages without a map."""
    root = ET.Element("svg", {"xmlns": SVG_NS, "width": "0", "height": "0", "aria-hidden": "true"})
    root.set("class", "pattern-defs")
    defs = add(root, "defs")
    add(defs, "style", text=desk_style_sheet())
    for state in DESK_STATES:
        add_pattern(
            defs, f"fw-desk-{state.name}", state.colour, state.marks, state.mark_colour, size=5.0, stroke_width=1.0
        )
    _add_states(root, "")
    return ET.tostring(root, encoding="unicode")


def _localise(
    svg: str, titles: dict[str, str], label: str, summary: str | None, ranks: dict[str, int] | None = None
) -> str:
    root = ET.fromstring(svg)
    root.set("aria-label", label)
    root.set("class", "floor-map-svg")
    tag = f"{{{SVG_NS}}}"
    own_title = root.find(f"{tag}title")
    if own_title is not None:
        own_title.text = label
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in list(root.iter()):
        element_id = element.get("id", "")
        if not element_id.startswith("desk-"):
            continue
        text = titles.get(element_id.removeprefix("desk-"))
        if text is None:
            continue
        for child in element.findall(f"{tag}title"):
            child.text = text
        holder = parents.get(element)
        if holder is not None and holder.tag == f"{tag}a":
            holder.set("aria-label", text)
    if summary is not None:
        lines = [e for e in root.iter(f"{tag}text") if e.get("class") == "subheading"]
        for extra in lines[1:]:
            parents[extra].remove(extra)
        if lines:
            lines[0].text = summary
    _cut_legend(root, parents, tag)
    _add_states(root, tag)
    _mark_suggested(root, tag, ranks or {})
    return ET.tostring(root, encoding="unicode")


def _mark_suggested(root: ET.Element, tag: str, ranks: dict[str, int]) -> None:
    """A ring round each suggested desk and its rank beside it, drawn over the plan. The desk keeps its state's
    class, fill and title and gets ``data-suggested="<rank>"``; the marks are hidden from screen readers, which
    read the same suggestions, with links, in the list above the map."""
    if not ranks:
        return
    marks = ET.SubElement(root, f"{tag}g", {"class": "suggestions", "aria-hidden": "true", "pointer-events": "none"})
    for element in root.iter():
        ref = element.get("id", "").removeprefix("desk-")
        if not element.get("id", "").startswith("desk-") or ref not in ranks:
            continue
        element.set("data-suggested", str(ranks[ref]))
        box = _box_of(element, tag)
        if box is None:
            continue
        left, top, right, bottom = box
        ring = {"fill": "none", "stroke": SUGGESTED_COLOUR, "stroke-width": "2.5"}
        if element.tag == f"{tag}circle":
            x, y, r = (left + right) / 2, (top + bottom) / 2, (right - left) / 2
            ET.SubElement(marks, f"{tag}circle", {"cx": num(x), "cy": num(y), "r": num(r + 3), **ring})
        else:  # a desk drawn as its polygon: a rounded box round it
            ET.SubElement(marks, f"{tag}rect", {"x": num(left - 3), "y": num(top - 3), "width": num(right - left + 6),
                          "height": num(bottom - top + 6), "rx": "3", **ring})  # fmt: skip
        size = max(min(right - left, bottom - top) * 0.9, 9.0)
        label = {"x": num(right + 3), "y": num(top - 2), "font-size": num(size), "font-weight": "bold"}
        halo = {"fill": SUGGESTED_COLOUR, "stroke": "#FFFFFF", "stroke-width": "2.5", "paint-order": "stroke"}
        text = ET.SubElement(marks, f"{tag}text", {**label, **halo, "class": "suggestion-rank"})
        text.text = str(ranks[ref])


def _box_of(element: ET.Element, tag: str) -> tuple[float, float, float, float] | None:
    """The box (left, top, right, bottom) of a desk's mark: a circle, or a polygon."""
    if element.tag == f"{tag}circle":
        x, y, r = (float(element.get(k, 0)) for k in ("cx", "cy", "r"))
        return x - r, y - r, x + r, y + r
    points = [tuple(map(float, p.split(","))) for p in element.get("points", "").split() if "," in p]
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _cut_legend(root: ET.Element, parents: dict[ET.Element, ET.Element], tag: str) -> None:
    for group in root.iter(f"{tag}g"):
        if group.get("class") != "legend":
            continue
        tops = [float(r.get("y", "0")) for r in group.iter(f"{tag}rect")]
        parents[group].remove(group)
        if tops:
            height = min(tops) + 4
            width = root.get("width", "900")
            root.set("height", num(height))
            root.set("viewBox", f"0 0 {width} {num(height)}")
            for background in root.findall(f"{tag}rect"):
                if background.get("class") == "background":
                    background.set("height", num(height))
        return


def _add_states(root: ET.Element, tag: str) -> None:
    defs = root.find(f"{tag}defs")
    if defs is None:
        return
    for name, (colour, marks, mark_colour) in EXTRA_STATES.items():
        add_pattern(defs, f"fw-desk-{name}", colour, marks, mark_colour, size=5.0, stroke_width=1.0)
    style = defs.find(f"{tag}style")
    rules = [f".desk.{name} {{ fill: url(#fw-desk-{name}); }}" for name in EXTRA_STATES]
    rules.append(DIMMED_STYLE)
    if style is not None:
        style.text = (style.text or "") + "\n" + "\n".join(rules)
    else:
        add(defs, "style", text="\n".join(rules))
