"""The gettext catalogues of booking's pages (domain ``messages``) and of layouts' report (domain ``layouts``):
every message the code and templates use is in the Japanese catalogue and every entry is used, each is translated
with the same placeholders, and the committed ``.mo`` is the compiled ``.po``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
#: The keywords of ``pybabel extract`` (see booking.pages.i18n): Babel's own, ``t(...)``, ``NP_(context, ...)``, and
#: the errors whose first argument is their message (`booking.errors`).
ERRORS = ("BookingError", "NotFound", "NotAuthenticated", "Forbidden", "RuleRefused", "DeskUnavailable", "Conflict")
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "t": None,
    "NP_": ((1, "c"), 2),
    **dict.fromkeys((*ERRORS, "InvalidRequest", "IdempotencyMismatch")),
}
#: ``%(name)s``, and the ``{name}`` / ``{name:,}`` fields of the messages the stacking diagram fills itself.
PLACEHOLDERS = re.compile(r"%\((\w+)\)[sr]|\{(\w+)(?::[^}]*)?\}")

Key = tuple[str | None, str]


@dataclass(frozen=True)
class Domain:
    folder: str
    name: str

    @property
    def catalogue(self) -> Path:
        return ROOT / self.folder / "locale" / "ja" / "LC_MESSAGES" / self.name


DOMAINS = [Domain("booking", "messages"), Domain("layouts", "layouts")]


def _po(domain: Domain) -> Catalog:
    with domain.catalogue.with_suffix(".po").open("rb") as po:
        return read_po(po)


def _key(message_id: str | tuple[str, ...], context: str | None) -> Key:
    return context, message_id if isinstance(message_id, str) else message_id[0]


def _used(domain: Domain) -> dict[Key, str]:
    """Every message of ``domain`` as ``pybabel extract -F babel.cfg`` finds it, with where it is used."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    used = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        ROOT / domain.folder, method_map, options_map, keywords=KEYWORDS
    ):
        used[_key(message, context)] = f"{filename}:{lineno}"
    return used


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDERS.findall(text)}


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: d.name)
def test_every_message_used_is_in_the_japanese_catalogue_and_every_entry_is_used(domain: Domain) -> None:
    used = _used(domain)
    assert len(used) > 50, "extraction found too little: is babel.cfg right?"
    known = {_key(m.id, m.context) for m in _po(domain) if m.id}
    assert sorted((where, key) for key, where in used.items() if key not in known) == []
    assert sorted(known - set(used), key=str) == []


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: d.name)
def test_every_entry_is_translated_with_the_same_placeholders(domain: Domain) -> None:
    for message in _po(domain):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(s.strip() for s in strings) and not message.fuzzy, message.id
        expected = set().union(*(_placeholders(i) for i in ids))
        for text in strings:
            assert _placeholders(text) <= expected, message.id
            if "%(" in text or "%" in ids[0]:
                assert text % dict.fromkeys(expected, "x"), message.id  # a valid % format
        if isinstance(message.id, str):  # a plural's singular may leave out the number (1分後)
            assert _placeholders(strings[0]) == expected, message.id


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: d.name)
def test_the_mo_is_the_compiled_po(domain: Domain) -> None:
    with domain.catalogue.with_suffix(".mo").open("rb") as mo:
        compiled = read_mo(mo)

    def frozen(text: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
        return text if isinstance(text, str) else tuple(text)

    def entries(catalogue: Catalog) -> set[tuple[object, ...]]:
        return {(m.context, frozen(m.id), frozen(m.string)) for m in catalogue if m.id and not m.fuzzy}

    assert entries(compiled) == entries(_po(domain)), f"run: pybabel compile -D {domain.name} -d {domain.folder}/locale"
