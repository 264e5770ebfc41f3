"""Domain errors. Each carries its HTTP status, a message and the members of its RFC 9457 problem document; the
API renders them with one handler, in the language its caller asks for, and the command line prints their message.

A message is an English sentence, the gettext message id of `booking.messages`'s catalogue, with ``%(name)s``
placeholders filled from the error's members (its particulars, typed: dates, datetimes, ids, counts) and from
``words``, values that only the sentence needs. A message without a placeholder is taken as it is. `detail` is the
English sentence (dates and times in ISO 8601); `worded` gives it in another language, dates written as that
language writes them. The problem document carries the members as JSON: dates and times in ISO 8601.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any, ClassVar

from babel.dates import format_date, format_time

from booking.messages import N_, translations
from floorplan.errors import Problem, ProblemsError, problems_text

PROBLEM_BASE = "https://floorwise.example/problems/"


class BookingError(Exception):
    """Base of the errors services raise for a client (or a command-line user) to read."""

    status: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"
    slug: ClassVar[str] = "bad-request"

    def __init__(self, message: str, /, *, words: Mapping[str, object] | None = None, **members: Any) -> None:
        self.message = message
        self.words = dict(words or {})
        self.members = members
        super().__init__(self.detail)

    @property
    def detail(self) -> str:
        """The message in English, its dates and times in ISO 8601."""
        return self.worded("en")

    def worded(self, lang: str) -> str:
        """The message in ``lang`` ("en" or "ja"), filled with the members and words."""
        text = translations(lang).gettext(self.message)
        if "%(" not in self.message:
            return text
        values = {**self.members, **self.words}
        try:
            return text % {name: spoken(value, lang) for name, value in values.items()}
        except (KeyError, ValueError, TypeError):  # not a template: a text passed through (a parser's, a file's)
            return text

    @property
    def type(self) -> str:
        return PROBLEM_BASE + self.slug

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries besides the problem document."""
        return {}

    def problem(self, instance: str = "", *, lang: str = "en") -> dict[str, Any]:
        """The problem document, its ``detail`` in ``lang``, its members as JSON values."""
        doc: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.worded(lang),
        }
        if instance:
            doc["instance"] = instance
        doc.update({name: as_json(value) for name, value in self.members.items()})
        return doc


def spoken(value: object, lang: str) -> object:
    """A particular as a sentence in ``lang`` writes it: in English ISO 8601 (as the API's clients read dates), in
    Japanese the language's own dates (``2026年4月1日``) and times; a list joined; an enum by its value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        if lang == "en":
            return value.isoformat()
        return f"{format_date(value, 'long', locale=lang)} {format_time(value, 'HH:mm', locale=lang)}"
    if isinstance(value, dt.date):
        return value.isoformat() if lang == "en" else format_date(value, "long", locale=lang)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, (list, tuple)):
        return ("、" if lang == "ja" else ", ").join(str(spoken(v, lang)) for v in value)
    return value


def as_json(value: object) -> object:
    """A member as the problem document carries it: dates and times in ISO 8601, enums by value, containers
    member by member."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    return value


class NotFound(BookingError):
    status = 404
    title = "Not found"
    slug = "not-found"


class NotAuthenticated(BookingError):
    status = 401
    title = "Not authenticated"
    slug = "not-authenticated"

    @property
    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class TooManyLogins(BookingError):
    """Logins refused for a while after too many failures for the login name or from the client's address;
    ``retry_after`` is the seconds to wait (also the ``Retry-After`` header). Says nothing of whether the account
    exists: unknown logins are counted alike."""

    status = 429
    title = "Too many failed logins"
    slug = "too-many-logins"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            N_("too many failed logins for this login or from this address; try again in %(retry_after)s seconds"),
            retry_after=retry_after,
        )
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class Forbidden(BookingError):
    """The user lacks a right; ``right`` names it (``manage_rules``, ``act_for_others``...)."""

    status = 403
    title = "Forbidden"
    slug = "forbidden"

    def __init__(self, message: str, *, right: str, words: Mapping[str, object] | None = None) -> None:
        super().__init__(message, words=words, right=right)
        self.right = right


class RuleRefused(BookingError):
    """A booking rule says no; ``rule`` names it (``days_ahead``, ``closed_day``, ``blocked``...)."""

    status = 422
    title = "Refused by a booking rule"
    slug = "rule"

    def __init__(self, message: str, *, rule: str, words: Mapping[str, object] | None = None, **members: Any) -> None:
        super().__init__(message, words=words, rule=rule, **members)
        self.rule = rule


class DeskUnavailable(RuleRefused):
    """The desk is not to be had at that time: blocked, reserved for a unit, someone's fixed desk, retired."""

    status = 409
    title = "Desk not available"
    slug = "desk-unavailable"


class Conflict(RuleRefused):
    """Another active booking overlaps: the desk is taken, or the person already holds a desk then."""

    status = 409
    title = "Booking conflict"
    slug = "conflict"

    def __init__(
        self, message: str, *, rule: str, conflict: Mapping[str, Any], words: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(message, words=words, rule=rule, conflict=dict(conflict))
        self.conflict = dict(conflict)


class InvalidRequest(BookingError):
    """The request is well-formed but makes no sense (an end before its start, an unknown slot...)."""

    status = 422
    title = "Invalid request"
    slug = "invalid-request"


class IdempotencyMismatch(InvalidRequest):
    slug = "idempotency-key-reused"
    title = "Idempotency-Key reused with another request"


class InvalidInput(ProblemsError, BookingError):
    """A file or command-line input with faults; ``problems`` lists every one (file, row, field, what)."""

    status = 422
    title = "Invalid input"
    slug = "invalid-input"

    def __init__(self, problems: Iterable[Problem], *, source: str = "") -> None:
        found = tuple(problems)
        super().__init__(
            found,
            problems_text(found, source),  # BookingError's message
            source=source,
            errors=[{"where": p.where, "field": p.field, "message": p.message} for p in found],
        )

    def worded(self, lang: str) -> str:
        """The faults as they were found: their text is the files' and parsers' (English), not a message."""
        return self.message
