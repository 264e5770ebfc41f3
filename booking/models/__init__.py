"""The database models (SQLAlchemy 2.0, typed). Relationships refuse to lazy-load: queries say what they load."""

from booking.models.base import Base, UTCDateTime
from booking.models.bookings import ACTIVE_STATES, Booking, BookingState, IdempotentResponse
from booking.models.organisation import Role, Token, TokenKind, Unit, User
from booking.models.places import BuildingPlan, BuildingRow, DeskRow, FloorRow, SpaceRow
from booking.models.planning import (
    FINISHED_JOB_STATES,
    JobState,
    LayoutOrigin,
    PlanningJob,
    ScenarioFile,
    ScenarioLayout,
    ScenarioRow,
)
from booking.models.rules import AuditEntry, Block, Closure, Zone, zone_desks, zone_spaces
from booking.models.throttle import LoginThrottleRow

__all__ = [
    "ACTIVE_STATES",
    "FINISHED_JOB_STATES",
    "AuditEntry",
    "Base",
    "Block",
    "Booking",
    "BookingState",
    "BuildingPlan",
    "BuildingRow",
    "Closure",
    "DeskRow",
    "FloorRow",
    "IdempotentResponse",
    "JobState",
    "LayoutOrigin",
    "LoginThrottleRow",
    "PlanningJob",
    "Role",
    "ScenarioFile",
    "ScenarioLayout",
    "ScenarioRow",
    "SpaceRow",
    "Token",
    "TokenKind",
    "UTCDateTime",
    "Unit",
    "User",
    "Zone",
    "zone_desks",
    "zone_spaces",
]
