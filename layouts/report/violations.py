"""Constraint violations in the report's language, with units called by their names."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from layouts.checks import Violation
from layouts.report.catalogue import N_, Catalogue

#: Each kind of violation as a sentence; in English the same words as `Violation.words`.
SENTENCES: Mapping[str, str] = {
    "closed": N_("%(unit)s is on closed floor(s) %(floors)s"),
    "max_floors": N_("%(unit)s is on %(n)s floors (%(floors)s), more than %(k)s"),
    "fixed": N_("%(unit)s is on %(floors)s, but is fixed to %(allowed)s"),
    "available": N_("%(unit)s is on %(floors)s, outside the floors available to the scenario"),
    "adjacent": N_("%(unit)s is on %(floors)s, which are not adjacent floors"),
    "apart": N_("%(a)s and %(b)s are to be kept apart but share %(floors)s"),
}


def violation_in_words(violation: Violation, *, lang: str, label: Callable[[str], str]) -> str:
    """``violation`` in ``lang``, units named by ``label``."""
    t = Catalogue(lang)
    separator = t(", ")
    units = [label(u) for u in violation.units]
    return t(
        SENTENCES[violation.kind],
        unit=units[0],
        a=units[0],
        b=units[-1],
        floors=separator.join(violation.floors),
        allowed=separator.join(violation.allowed),
        n=len(violation.floors),
        k=violation.limit,
    )


def unit_labeller(labels: Mapping[str, str]) -> Callable[[str], str]:
    """A function that names a unit id by its label, and leaves any other word as it is."""
    return lambda word: labels.get(word, word)
