"""Who may read which report. Reports show counts of units and floors, never one person's bookings.

- facilities admins: everything;
- unit managers: the figures of their unit and the units below it (the units table, each unit's summary, the
  co-attendance pairs that involve one of them); not the building-wide tables (floors, zones, weekdays);
- staff: their own unit's summary only.

A refusal is `Forbidden` naming the right ``read_reports``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from booking.errors import Forbidden
from booking.models import User
from booking.services.permissions import is_admin, visible_units

RIGHT = "read_reports"


def require_building_reports(user: User) -> None:
    if not is_admin(user):
        raise Forbidden(
            "only facilities admins may read the building's occupancy by floor, zone and weekday", right=RIGHT
        )


def require_unit_tables(session: Session, user: User) -> set[str] | None:
    """The units a table may show; refuses staff (who may read their own unit's summary only)."""
    units = visible_units(session, user)
    if units is not None and not units:
        raise Forbidden("staff may read their own unit's summary only", right=RIGHT)
    return units


def require_unit_summary(session: Session, user: User, unit_id: str) -> None:
    if is_admin(user) or unit_id == user.unit_id:
        return
    units = visible_units(session, user)
    if units is None or unit_id in units:
        return
    raise Forbidden(f"{user.id} may not read the figures of unit {unit_id!r}", right=RIGHT)
