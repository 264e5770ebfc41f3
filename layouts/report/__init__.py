"""The comparison of a scenario's layouts as one self-contained HTML page (`floorwise compare --html`).

The page carries its styles and drawings inline and fetches nothing, so it can be mailed, archived or printed as
it is. It is readable on a phone (tables scroll inside their own box, drawings scale) and prints with a page per
layout. Every fixed string comes in English and Japanese (gettext, `layouts.report.catalogue`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup

from layouts.compare import Comparison
from layouts.report.catalogue import Catalogue, install
from layouts.report.sections import ReportSections

__all__ = ["comparison_to_html"]

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
install(_ENVIRONMENT)


def comparison_to_html(comparison: Comparison, *, lang: str = "en", generated: date | None = None) -> str:
    """The report of ``comparison`` as an HTML document in ``lang`` ("en" or "ja"), dated ``generated`` (today).

    Raises ValueError for any other language.
    """
    catalogue = Catalogue(lang)
    sections = ReportSections(comparison, catalogue)
    scenario = comparison.scenario
    layouts = sections.layout_sections()
    template = _ENVIRONMENT.get_template("report.html.j2")
    return template.render(
        lang=lang,
        scenario_name=scenario.name,
        building_name=scenario.building.name or scenario.building.id,
        baseline=comparison.baseline,
        generated=catalogue.date(generated or date.today()),
        people_and_seats=sections.headcount_and_seats(),
        layout_names=[c.score.layout for c in comparison.layouts],
        figure_rows=sections.figure_rows(),
        seat_rows=sections.seat_rows(),
        layouts=layouts,
        # The drawings are well-formed SVG built by ElementTree, which has escaped every name in them already.
        drawings={section.anchor: Markup(section.svg) for section in layouts},
    )
