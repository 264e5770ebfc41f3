"""The parts both drawings share: the SVG root, text and its estimated width, fill patterns and the legend.

Everything is built as an ElementTree, so names ("戸籍住民課", "R&D") are escaped by the serializer and the output
is well-formed XML.
"""

from __future__ import annotations

import math
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from floorplan.svg.palette import FAINT_INK, INK

SVG_NS = "http://www.w3.org/2000/svg"
#: Japanese UI fonts first (Windows, macOS, Linux), so that kanji and kana render in one face.
FONT_FAMILY = "'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', Meiryo, 'DejaVu Sans', sans-serif"

Attributes = Mapping[str, str | float | int]
ELLIPSIS = "…"
#: Joins the parts of a summary line ("120 seats · 2,048 m² · ward offices"); lines wrap there first.
SEPARATOR = " · "


def num(value: float) -> str:
    """A coordinate or length as SVG text: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def add(parent: ET.Element, tag: str, attrs: Attributes | None = None, text: str | None = None) -> ET.Element:
    """Append a child element; numbers in ``attrs`` are written with `num`."""
    element = ET.SubElement(
        parent, tag, {k: num(v) if isinstance(v, float) else str(v) for k, v in (attrs or {}).items()}
    )
    if text is not None:
        element.text = text
    return element


def new_svg(width: float, height: float, *, label: str, description: str = "") -> ET.Element:
    """An ``<svg>`` root for an image: role="img" and an aria-label, with its <title> (and <desc>) first."""
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "width": num(width),
            "height": num(height),
            "viewBox": f"0 0 {num(width)} {num(height)}",
            "role": "img",
            "aria-label": label,
            "font-family": FONT_FAMILY,
        },
    )
    add(root, "title", text=label)
    if description:
        add(root, "desc", text=description)
    add(root, "rect", {"class": "background", "width": width, "height": height, "fill": "#FFFFFF"})
    return root


HEADING_PX = 18.0
SUMMARY_PX = 12.0
#: From one summary line to the next; a header grows by this much for each summary line after the first.
SUMMARY_LINE_PX = 16.0


def summary_lines(summary: str, room: float, *, max_lines: int = 2) -> list[str]:
    """The summary under a drawing's title, wrapped into at most ``max_lines`` lines of ``room`` px."""
    return wrap_text(summary, SUMMARY_PX, room, max_lines=max_lines)


def add_heading(
    root: ET.Element, heading: str, summary: Sequence[str], *, left: float, top: float, room: float
) -> None:
    """The drawing's title, made smaller (down to 11 px) until it fits in ``room`` px and ellipsized if even that
    is too long, and under it the grey summary lines (see `summary_lines`)."""
    size = HEADING_PX
    while size > 11 and text_width(heading, size) > room:
        size -= 1
    add_text(root, left, top + 10, fit_text(heading, size, room), size, weight="bold", css_class="heading")
    for index, line in enumerate(summary):
        y = top + 34 + index * SUMMARY_LINE_PX
        add_text(root, left, y, line, SUMMARY_PX, fill=FAINT_INK, css_class="subheading")


def to_string(root: ET.Element) -> str:
    return ET.tostring(root, encoding="unicode")


def text_width(text: str, size: float) -> float:
    """The width of ``text`` at font size ``size`` px, estimated from character classes (a little generous).

    Wide characters (kanji, kana, full-width forms) take a full em; Latin letters about 0.6 em in a sans face. The
    ellipsis counts as wide too: Japanese faces, first in `FONT_FAMILY`, draw it a full em wide.
    """
    ems = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F") or char == ELLIPSIS:
            ems += 1.0
        elif char in " .,:;'|!il()[]/·":
            ems += 0.32
        elif char.isupper() or char in "mw%&@—":
            ems += 0.72
        else:
            ems += 0.58
    return ems * size


def fit_text(text: str, size: float, room: float) -> str:
    """``text`` if it fits in ``room`` px at ``size``, else its longest start that fits with an ellipsis after it;
    "" where not even one character and the ellipsis fit."""
    if text_width(text, size) <= room:
        return text
    room_left = room - text_width(ELLIPSIS, size)
    used = 0.0
    for end, char in enumerate(text):
        used += text_width(char, size)
        if used > room_left:
            start = text[:end].rstrip(" ·,;:([")
            return start + ELLIPSIS if start else ""
    return text  # not reached: the whole text did not fit


def wrap_text(text: str, size: float, room: float, *, max_lines: int) -> list[str]:
    """``text`` in lines of at most ``room`` px at ``size``: broken at " · " separators and spaces, and anywhere in
    a word too long for a line (Japanese has no spaces); past ``max_lines`` the last line is ellipsized."""
    pieces: list[tuple[str, str]] = []  # (what joins the piece to the one before, the piece)
    for part in text.split(SEPARATOR):
        for word_index, word in enumerate(part.split()):
            joiner = "" if not pieces else " " if word_index else SEPARATOR
            pieces.append((joiner, word))
    lines: list[str] = []
    for joiner, word in pieces:
        if lines and text_width(lines[-1] + joiner + word, size) <= room:
            lines[-1] += joiner + word
            continue
        if len(lines) == max_lines:  # no more lines: the rest goes on the last one, cut short
            lines[-1] += joiner + word
            continue
        while text_width(word, size) > room and len(lines) < max_lines - 1:
            cut = _longest_start(word, size, room)
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    if lines:
        lines[-1] = fit_text(lines[-1], size, room)
    return [line for line in lines if line]


def _longest_start(word: str, size: float, room: float) -> int:
    """How many characters of ``word`` fit in ``room`` px (at least one, so that wrapping always moves on)."""
    used = 0.0
    for end, char in enumerate(word):
        used += text_width(char, size)
        if used > room:
            return max(end, 1)
    return len(word)


def add_text(
    parent: ET.Element,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    anchor: str = "start",
    weight: str = "normal",
    fill: str = INK,
    css_class: str = "",
) -> ET.Element:
    """A text element whose ``y`` is its vertical centre (the baseline is set from the size, as renderers differ
    in their support of dominant-baseline)."""
    attrs: dict[str, str | float | int] = {"x": x, "y": y + 0.36 * size, "font-size": size, "fill": fill}
    if anchor != "start":
        attrs["text-anchor"] = anchor
    if weight != "normal":
        attrs["font-weight"] = weight
    if css_class:
        attrs["class"] = css_class
    return add(parent, "text", attrs, text)


def add_pattern(
    defs: ET.Element,
    pattern_id: str,
    background: str,
    marks: str,
    mark_colour: str,
    *,
    size: float = 6.0,
    stroke_width: float = 1.2,
) -> None:
    """A repeating fill: a background colour with diagonal, horizontal, cross or dot marks (or none)."""
    pattern = add(
        defs,
        "pattern",
        {"id": pattern_id, "width": size, "height": size, "patternUnits": "userSpaceOnUse"},
    )
    add(pattern, "rect", {"width": size, "height": size, "fill": background})
    s, h = size, size / 2
    stroke: dict[str, str | float | int] = {"stroke": mark_colour, "stroke-width": stroke_width, "fill": "none"}
    # Diagonals run past the tile's corners so that the lines join up between tiles.
    rising = (
        f"M0,{num(s)} L{num(s)},0 M{num(-h)},{num(h)} L{num(h)},{num(-h)} M{num(h)},{num(s + h)} L{num(s + h)},{num(h)}"
    )
    falling = (
        f"M0,0 L{num(s)},{num(s)} M{num(-h)},{num(h)} L{num(h)},{num(s + h)} M{num(h)},{num(-h)} L{num(s + h)},{num(h)}"
    )
    if marks == "diagonal":
        add(pattern, "path", {"d": rising, **stroke})
    elif marks == "cross":
        add(pattern, "path", {"d": f"{rising} {falling}", **stroke})
    elif marks == "horizontal":
        add(pattern, "path", {"d": f"M0,{num(h)} H{num(s)}", **stroke})
    elif marks == "dots":
        add(pattern, "circle", {"cx": h, "cy": h, "r": size / 4, "fill": mark_colour})


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One swatch of a legend: its fill (a colour or ``url(#pattern)``) and what it stands for."""

    fill: str
    label: str
    stroke: str = FAINT_INK
    css_class: str = ""


LEGEND_TEXT_PX = 11.0
LEGEND_ROW_PX = 18.0


def legend_height(entries: Sequence[LegendEntry], width: float) -> float:
    """The height `add_legend` will take for these entries in ``width`` px."""
    return len(_legend_rows(entries, width)) * LEGEND_ROW_PX


def add_legend(parent: ET.Element, entries: Sequence[LegendEntry], x: float, y: float, width: float) -> float:
    """Draw swatches with their labels in rows from (x, y) that wrap at ``width``; return the height used."""
    group = add(parent, "g", {"class": "legend"})
    rows = _legend_rows(entries, width)
    for row_index, row in enumerate(rows):
        cy = y + row_index * LEGEND_ROW_PX + LEGEND_ROW_PX / 2
        cx = x
        for entry in row:
            swatch: dict[str, str | float | int] = {
                "x": cx,
                "y": cy - 5,
                "width": 16,
                "height": 10,
                "fill": entry.fill,
                "stroke": entry.stroke,
                "stroke-width": 0.75,
            }
            if entry.css_class:
                swatch["class"] = entry.css_class
            add(group, "rect", swatch)
            add_text(group, cx + 21, cy, entry.label, LEGEND_TEXT_PX)
            cx += _entry_width(entry)
    return len(rows) * LEGEND_ROW_PX


def _entry_width(entry: LegendEntry) -> float:
    return 21 + text_width(entry.label, LEGEND_TEXT_PX) + 14


def _legend_rows(entries: Sequence[LegendEntry], width: float) -> list[list[LegendEntry]]:
    rows: list[list[LegendEntry]] = []
    used = math.inf
    for entry in entries:
        w = _entry_width(entry)
        if used + w > width and (not rows or rows[-1]):
            rows.append([])
            used = 0.0
        rows[-1].append(entry)
        used += w
    return rows


def nice_step(span: float, parts: int) -> float:
    """A round step (1, 2 or 5 times a power of ten) that cuts ``span`` into about ``parts`` pieces."""
    if span <= 0:
        return 1.0
    raw = span / parts
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return float(factor * power)
    return float(10 * power)
