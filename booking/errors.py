"""Domain errors. Each carries its HTTP status and the members of its RFC 9457 problem document; the API renders
them with one handler, and the command line prints their message."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from floorplan.errors import Problem

PROBLEM_BASE = "https://floorwise.example/problems/"


class BookingError(Exception):
    """Base of the errors services raise for a client (or a command-line user) to read."""

    status: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"
    slug: ClassVar[str] = "bad-request"

    def __init__(self, detail: str, **members: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.members = members

    @property
    def type(self) -> str:
        return PROBLEM_BASE + self.slug

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries besides the problem document."""
        return {}

    def problem(self, instance: str = "") -> dict[str, Any]:
        doc: dict[str, Any] = {"type": self.type, "title": self.title, "status": self.status, "detail": self.detail}
        if instance:
            doc["instance"] = instance
        doc.update(self.members)
        return doc


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
            f"too many failed logins for this login or from this address; try again in {retry_after} seconds",
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

    def __init__(self, detail: str, *, right: str) -> None:
        super().__init__(detail, right=right)
        self.right = right


class RuleRefused(BookingError):
    """A booking rule says no; ``rule`` names it (``days_ahead``, ``closed_day``, ``blocked``...)."""

    status = 422
    title = "Refused by a booking rule"
    slug = "rule"

    def __init__(self, detail: str, *, rule: str, **members: Any) -> None:
        super().__init__(detail, rule=rule, **members)
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

    def __init__(self, detail: str, *, rule: str, conflict: Mapping[str, Any]) -> None:
        super().__init__(detail, rule=rule, conflict=dict(conflict))
        self.conflict = dict(conflict)


class InvalidRequest(BookingError):
    """The request is well-formed but makes no sense (an end before its start, an unknown slot...)."""

    status = 422
    title = "Invalid request"
    slug = "invalid-request"


class IdempotencyMismatch(InvalidRequest):
    slug = "idempotency-key-reused"
    title = "Idempotency-Key reused with another request"


class InvalidInput(BookingError):
    """A file or command-line input with faults; ``problems`` lists every one (file, row, field, what)."""

    status = 422
    title = "Invalid input"
    slug = "invalid-input"

    def __init__(self, problems: Iterable[Problem], *, source: str = "") -> None:
        self.problems = tuple(problems)
        self.source = source
        head = f"{source}: " if source else ""
        if len(self.problems) == 1:
            text = f"{head}{self.problems[0]}"
        else:
            text = "\n".join([f"{head}{len(self.problems)} problems:"] + [f"  - {p}" for p in self.problems])
        super().__init__(
            text, errors=[{"where": p.where, "field": p.field, "message": p.message} for p in self.problems]
        )
