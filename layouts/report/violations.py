"""Constraint violations in the report's language, with units called by their names.

`layouts.checks.constraint_violations` words each violation in English with unit ids ("kumin is on 4 floors (2F,
3F, 8F, 16F), more than 3"). The report names units by their labels and, in Japanese, rewords the sentences it
knows; a sentence of a form it does not know is shown as it is, with the unit names put in, rather than dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

Sentence = tuple[re.Pattern[str], str]

_UNIT = r"(?P<unit>\S+)"
_FLOORS = r"(?P<floors>[^()]+?)"

#: The sentence forms of `layouts.checks.constraint_violations`, each with its Japanese wording.
_JAPANESE: tuple[Sentence, ...] = (
    (
        re.compile(rf"^{_UNIT} is on closed floor\(s\) {_FLOORS}$"),
        "{unit}が閉鎖階({floors})にあります",
    ),
    (
        re.compile(rf"^{_UNIT} is on (?P<n>\d+) floors \({_FLOORS}\), more than (?P<k>\d+)$"),
        "{unit}が{n}フロア({floors})に分かれています(上限{k}フロア)",
    ),
    (
        re.compile(rf"^{_UNIT} is on {_FLOORS}, but is fixed to (?P<allowed>.+)$"),
        "{unit}が{floors}にありますが、{allowed}に固定されています",
    ),
    (
        re.compile(rf"^{_UNIT} is on {_FLOORS}, outside the floors available to the scenario$"),
        "{unit}がシナリオで使える階の外({floors})にあります",
    ),
    (
        re.compile(rf"^{_UNIT} is on {_FLOORS}, which are not adjacent floors$"),
        "{unit}の階({floors})が連続していません",
    ),
    (
        re.compile(r"^(?P<a>\S+) and (?P<b>\S+) are to be kept apart but share (?P<floors>.+)$"),
        "{a}と{b}は離す決まりですが、同じ階({floors})にあります",
    ),
)

_UNIT_FIELDS = ("unit", "a", "b")


def violation_in_words(violation: str, *, lang: str, label: Callable[[str], str]) -> str:
    """``violation`` (an English sentence naming unit ids) in ``lang``, each unit id replaced by ``label(id)``."""
    if lang == "ja":
        for pattern, wording in _JAPANESE:
            match = pattern.match(violation)
            if match:
                fields = match.groupdict()
                return wording.format(
                    **{k: label(v) if k in _UNIT_FIELDS else v.replace(", ", "、") for k, v in fields.items()}
                )
    return _with_labels(violation, label)


def _with_labels(sentence: str, label: Callable[[str], str]) -> str:
    """Replace the words of ``sentence`` that are unit ids (those ``label`` renames), keeping the rest."""
    return re.sub(r"\S+", lambda m: _relabel(m.group(0), label), sentence)


def _relabel(word: str, label: Callable[[str], str]) -> str:
    # A unit id may end a clause: "kumin.zeimu," keeps its comma after the name.
    core = word.rstrip(",;:")
    return label(core) + word[len(core) :] if label(core) != core else word


def unit_labeller(labels: Mapping[str, str]) -> Callable[[str], str]:
    """A function that names a unit id by its label, and leaves any other word as it is."""
    return lambda word: labels.get(word, word)
