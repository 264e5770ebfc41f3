"""Input out of bounds, as a page says it: the same bounds as the API (`booking.web.bounds`), each fault one
sentence in the page's language naming the parameter or form field (`booking.pages.wording.INPUT_FAULTS`).

A fault is a pydantic error (``loc``, ``type``, ``ctx``): from FastAPI's validation of a page's query, path and
form parameters, from a form validated against one of the API's models, or from a check of the bounds' own
(`span_checked`). A path parameter out of bounds names a page that cannot exist: the page answers 404 for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError
from starlette.datastructures import FormData

from booking.messages import N_
from booking.pages import wording
from booking.pages.i18n import Words
from booking.web.bounds import NoNul

Fault = Mapping[str, Any]

#: Where FastAPI says a parameter came from (the first item of its ``loc``).
_SOURCES = frozenset({"query", "path", "body", "header", "cookie"})
_TEXT = TypeAdapter(Annotated[str, NoNul()])


def field_of(fault: Fault) -> str:
    """The parameter or form field a fault is about, as sent (``date``, ``first_day``): its ``loc`` without where
    it came from, list positions and the branch of a union."""
    loc = [str(part) for part in fault.get("loc", ()) if not isinstance(part, int)]
    if loc and loc[0] in _SOURCES:
        loc = loc[1:]
    return loc[0] if loc else ""


def is_in_path(faults: Iterable[Fault]) -> bool:
    """Whether a fault is in the path: an id or key that no row can have, so the page asked for does not exist."""
    return any(tuple(fault.get("loc", ()))[:1] == ("path",) for fault in faults)


def fault_sentence(t: Words, fault: Fault) -> str:
    """One fault in the page's language, naming its field."""
    kind = str(fault.get("type", ""))
    ctx = fault.get("ctx") or {}
    field = field_of(fault)
    if kind.startswith(("date_", "datetime_")) and kind != "date_out_of_range":
        return t("“%(field)s”: not a date (YYYY-MM-DD).", field=field)
    sentence = wording.INPUT_FAULTS.get(kind, N_("“%(field)s” could not be read."))
    values: dict[str, Any] = {"field": field}
    if kind == "date_out_of_range":
        values |= {"first": _date(t, ctx.get("first")), "last": _date(t, ctx.get("last"))}
    elif kind == "span_reversed":
        values["first"] = _date(t, ctx.get("first"))
    elif kind == "span_too_long":
        values |= {"most": t.number(int(ctx.get("most", 0))), "days": t.number(int(ctx.get("days", 0)))}
    elif kind in ("string_too_long", "too_long"):
        values["most"] = t.number(int(ctx.get("max_length", 0)))
    elif kind in ("greater_than_equal", "greater_than"):
        values["low"] = _bound(t, ctx.get("ge", ctx.get("gt")))
    elif kind in ("less_than_equal", "less_than"):
        values["high"] = _bound(t, ctx.get("le", ctx.get("lt")))
    elif kind == "unknown_country":
        values["country"] = str(ctx.get("country", ""))[:20]
    return t(sentence, **values)


def fault_sentences(t: Words, faults: Iterable[Fault]) -> list[str]:
    return [fault_sentence(t, fault) for fault in faults]


def _date(t: Words, iso: Any) -> str:
    try:
        return t.date(dt.date.fromisoformat(str(iso)))
    except ValueError:
        return str(iso)


def _bound(t: Words, value: Any) -> str:
    return t.number(value) if isinstance(value, int | float) else str(value)


def custom_fault(error: PydanticCustomError, *loc: str) -> dict[str, Any]:
    """A check of the bounds' own (`span_checked`) as a fault of the field at ``loc``."""
    return {"loc": loc, "type": error.type, "msg": error.message(), "ctx": error.context or {}}


def form_faults(form: FormData) -> list[dict[str, Any]]:
    """The fields of a posted form that carry a NUL character (PostgreSQL text cannot hold one; no field needs it)."""
    faults = []
    for name, value in form.multi_items():
        if isinstance(value, str):
            try:
                _TEXT.validate_python(value)
            except ValidationError as exc:
                faults += [{**e, "loc": ("body", name)} for e in exc.errors(include_url=False)]
    return faults
