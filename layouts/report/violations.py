"""Constraint violations in the report's language, with units called by their names."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from layouts.checks import Violation

#: Japanese wording of each kind of violation.
_JAPANESE: Mapping[str, str] = {
    "closed": "{unit}が閉鎖階({floors})にあります",
    "max_floors": "{unit}が{n}フロア({floors})に分かれています(上限{k}フロア)",
    "fixed": "{unit}が{floors}にありますが、{allowed}に固定されています",
    "available": "{unit}がシナリオで使える階の外({floors})にあります",
    "adjacent": "{unit}の階({floors})が連続していません",
    "apart": "{a}と{b}は離す決まりですが、同じ階({floors})にあります",
}


def violation_in_words(violation: Violation, *, lang: str, label: Callable[[str], str]) -> str:
    """``violation`` in ``lang``, units named by ``label``."""
    if lang != "ja":
        return violation.words(label)
    units = [label(u) for u in violation.units]
    return _JAPANESE[violation.kind].format(
        unit=units[0],
        a=units[0],
        b=units[-1],
        floors="、".join(violation.floors),
        allowed="、".join(violation.allowed),
        n=len(violation.floors),
        k=violation.limit,
    )


def unit_labeller(labels: Mapping[str, str]) -> Callable[[str], str]:
    """A function that names a unit id by its label, and leaves any other word as it is."""
    return lambda word: labels.get(word, word)
