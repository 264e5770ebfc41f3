"""Small hand-written SVG charts for the report pages: bars, columns by weekday and slot, peaks against seats.

Each chart is an image with a title and a description (role="img"); every bar has a <title> with its figure, and
the page shows the same figures in a table beside it. Two series are told apart by pattern as well as colour.
Built with `floorplan.svg.document`'s helpers, so names are escaped and the output is well-formed. The drawings
are 360 units wide and scale with the page (CSS): on a 375-px phone their text is drawn at about its own size.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from floorplan.svg.document import add, add_pattern, add_text, fit_text, new_svg, nice_step, num, text_width

WIDTH = 360.0
TEXT_PX = 13.0
ROW_PX = 25.0
BAR_PX = 15.0
LABEL_PX = 118.0
INK = "#1D2125"
FAINT = "#59636E"
#: Okabe-Ito blue and orange: apart for every common colour-vision deficiency, and patterned as well.
FIRST, SECOND = "#0072B2", "#E69F00"
GRID = "#D3D8DE"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as the page writes it ("42 %")
    title: str = ""  # what the bar's tooltip and screen readers say; default "label: shown"


def _svg(height: float, title: str, description: str) -> ET.Element:
    root = new_svg(WIDTH, height, label=title, description=description)
    root.set("class", "chart-svg")
    defs = add(root, "defs")
    add_pattern(defs, "fw-chart-second", SECOND, "diagonal", "#5A3D00", size=5.0, stroke_width=1.0)
    return root


def _markup(root: ET.Element) -> Markup:
    return Markup(ET.tostring(root, encoding="unicode"))


def _axis(root: ET.Element, left: float, right: float, top: float, bottom: float, top_value: float, unit: str) -> None:
    """Vertical grid lines with their values under the bars."""
    step = nice_step(top_value, 4)
    value = 0.0
    while value <= top_value + 1e-9:
        x = left + (right - left) * value / top_value
        add(root, "line", {"x1": x, "x2": x, "y1": top, "y2": bottom, "stroke": GRID, "stroke-width": 1})
        add_text(root, x, bottom + 9, f"{num(value)}{unit}", 10, anchor="middle", fill=FAINT)
        value += step


def bar_chart(bars: Sequence[Bar], *, title: str, description: str, top: float | None = None, unit: str = "") -> Markup:
    """Horizontal bars, one row each, the label left and the figure at the bar's end."""
    height = len(bars) * ROW_PX + 28
    root = _svg(height, title, description)
    top_value = top or max([*(b.value for b in bars), 1e-9])
    left, right = LABEL_PX, WIDTH - 46
    _axis(root, left, right, 4, height - 20, top_value, unit)
    for i, bar in enumerate(bars):
        y = 8 + i * ROW_PX
        group = add(root, "g", {"class": "bar"})
        add(group, "title", text=bar.title or f"{bar.label}: {bar.shown}")
        add_text(group, 4, y + BAR_PX / 2, fit_text(bar.label, TEXT_PX, LABEL_PX - 10), TEXT_PX, fill=INK)
        width = max((right - left) * min(bar.value, top_value) / top_value, 0.0)
        add(group, "rect", {"x": left, "y": y, "width": width, "height": BAR_PX, "fill": FIRST})
        add_text(group, left + width + 4, y + BAR_PX / 2, bar.shown, TEXT_PX, fill=INK)
    return _markup(root)


def column_pairs(
    groups: Sequence[tuple[str, Bar | None, Bar | None]],
    *,
    title: str,
    description: str,
    names: tuple[str, str],
    top: float | None = None,
    unit: str = "",
) -> Markup:
    """Columns in pairs (a morning and an afternoon for each weekday): the first solid, the second patterned."""
    height = 210.0
    root = _svg(height, title, description)
    values = [b.value for _, first, second in groups for b in (first, second) if b is not None]
    top_value = top or max([*values, 1e-9])
    base, ceiling, left = height - 44, 14.0, 34.0
    step = nice_step(top_value, 4)
    value = 0.0
    while value <= top_value + 1e-9:
        y = base - (base - ceiling) * value / top_value
        add(root, "line", {"x1": left, "x2": WIDTH - 4, "y1": y, "y2": y, "stroke": GRID, "stroke-width": 1})
        add_text(root, left - 4, y, f"{num(value)}{unit}", 10, anchor="end", fill=FAINT)
        value += step
    slot = (WIDTH - left - 8) / max(len(groups), 1)
    column = min(slot * 0.36, 28.0)
    for i, (label, first, second) in enumerate(groups):
        centre = left + 4 + slot * (i + 0.5)
        for k, bar in enumerate((first, second)):
            if bar is None:
                continue
            x = centre - column + k * column
            h = (base - ceiling) * min(bar.value, top_value) / top_value
            group = add(root, "g", {"class": "bar"})
            add(group, "title", text=bar.title or f"{label} {names[k]}: {bar.shown}")
            fill = FIRST if k == 0 else "url(#fw-chart-second)"
            add(group, "rect", {"x": x, "y": base - h, "width": column - 2, "height": h, "fill": fill})
        add_text(root, centre, base + 12, label, TEXT_PX, anchor="middle", fill=INK)
    _legend(root, [(FIRST, names[0]), ("url(#fw-chart-second)", names[1])], height - 14)
    return _markup(root)


def _legend(root: ET.Element, entries: Sequence[tuple[str, str]], y: float) -> None:
    x = 8.0
    for fill, label in entries:
        add(root, "rect", {"x": x, "y": y - 6, "width": 14, "height": 12, "fill": fill, "stroke": FAINT})
        add_text(root, x + 20, y, label, 11, fill=INK)
        x += 30 + text_width(label, 11)


@dataclass(frozen=True)
class Need:
    """One unit's row of the peaks chart."""

    label: str
    p90: int
    peak: int
    home: int  # home desks (0: none)
    title: str


def needs_chart(rows: Sequence[Need], *, title: str, description: str, names: tuple[str, str, str]) -> Markup:
    """Per unit: the p90 of people in at once (solid), up to the peak (patterned), and a tick at its home desks."""
    height = len(rows) * ROW_PX + 46
    root = _svg(height, title, description)
    top_value = max([max(r.peak, r.home) for r in rows] + [1])
    left, right = LABEL_PX, WIDTH - 34
    _axis(root, left, right, 4, height - 38, float(top_value), "")
    scale = (right - left) / top_value
    for i, row in enumerate(rows):
        y = 8 + i * ROW_PX
        group = add(root, "g", {"class": "bar"})
        add(group, "title", text=row.title)
        add_text(group, 4, y + BAR_PX / 2, fit_text(row.label, TEXT_PX, LABEL_PX - 10), TEXT_PX, fill=INK)
        add(group, "rect", {"x": left, "y": y, "width": row.p90 * scale, "height": BAR_PX, "fill": FIRST})
        if row.peak > row.p90:
            add(group, "rect", {"x": left + row.p90 * scale, "y": y, "width": (row.peak - row.p90) * scale,
                                "height": BAR_PX, "fill": "url(#fw-chart-second)"})  # fmt: skip
        if row.home:
            x = left + row.home * scale
            add(group, "line", {"x1": x, "x2": x, "y1": y - 3, "y2": y + BAR_PX + 3, "stroke": INK,
                                "stroke-width": 2.5})  # fmt: skip
        add_text(group, right + 4, y + BAR_PX / 2, str(row.peak), 11, fill=FAINT)
    legend_y = height - 14
    _legend(root, [(FIRST, names[0]), ("url(#fw-chart-second)", names[1])], legend_y)
    x = 8 + 60 + text_width(names[0], 11) + text_width(names[1], 11)
    add(root, "line", {"x1": x + 7, "x2": x + 7, "y1": legend_y - 8, "y2": legend_y + 8, "stroke": INK,
                       "stroke-width": 2.5})  # fmt: skip
    add_text(root, x + 16, legend_y, names[2], 11, fill=INK)
    return _markup(root)


def heat(value: float | None) -> str:
    """A cell's background for a correlation: white at 0 or below, the accent blue at 1 (text stays legible)."""
    if value is None or value <= 0:
        return "#FFFFFF"
    strength = min(value, 1.0)
    r, g, b = (round(255 - (255 - c) * strength * 0.55) for c in (0x1F, 0x4E, 0x79))
    return f"#{r:02X}{g:02X}{b:02X}"
