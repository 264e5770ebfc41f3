"""Who may do what. A right is a name (``act_for_others``, ``manage_rules``...) that a 403 problem carries.

- staff act for themselves;
- a unit manager also acts for the people of their unit and its sub-units (books and cancels for them, sees
  their bookings);
- a planner edits scenarios, runs the optimiser and cancels its jobs (`may_plan`);
- a committee member reads and compares scenarios, scores layouts and saves a layout as a proposal
  (`may_read_plans`); staff and managers see nothing of planning;
- a facilities admin may do everything;
- reports (counts of units and floors, never one person's bookings): admins read everything; unit managers the
  figures of their unit and the units below it (the units table, each unit's summary, the co-attendance pairs
  that involve one of them), not the building-wide tables (floors, zones, weekdays); staff their own unit's
  summary only. A refusal names the right ``read_reports``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from booking.errors import Forbidden
from booking.messages import N_
from booking.models import Role, User
from booking.services.units import ancestors_of, subtree_of, unit_parents

ADMIN_RIGHTS = {
    "manage_rules": N_("only facilities admins may change a building's booking rules and closures"),
    "manage_blocks": N_("only facilities admins may block desks"),
    "manage_zones": N_("only facilities admins may set up team zones"),
    "manage_desks": N_("only facilities admins may give desks fixed owners"),
    "manage_people": N_("only facilities admins may add and change people and units"),
    "read_audit": N_("only facilities admins may read the audit log"),
    "mark_no_shows": N_("only facilities admins may mark no-shows"),
}


def is_admin(user: User) -> bool:
    return user.role == Role.ADMIN.value


def require(user: User, right: str) -> None:
    """Admins hold every right in `ADMIN_RIGHTS`; others none of them."""
    if not is_admin(user):
        raise Forbidden(ADMIN_RIGHTS.get(right, "only facilities admins may %(right)s"), right=right)


def manages(session: Session, manager: User, person: User) -> bool:
    """Whether ``manager`` manages ``person``'s unit (their own unit or one above it)."""
    if manager.role != Role.MANAGER.value or manager.unit_id is None:
        return False
    return manager.unit_id in ancestors_of(unit_parents(session), person.unit_id)


def visible_units(session: Session, user: User) -> set[str] | None:
    """The units whose people's bookings and figures ``user`` may see: None for all (admins), a manager's unit and
    the units below it, else none."""
    if is_admin(user):
        return None
    if user.role == Role.MANAGER.value and user.unit_id is not None:
        return subtree_of(unit_parents(session), user.unit_id)
    return set()


def require_see_unit(session: Session, user: User, unit_id: str) -> None:
    """Raise `Forbidden` (right ``see_unit``) unless ``user`` manages ``unit_id`` (or one above it) or is an admin."""
    units = visible_units(session, user)
    if units is not None and unit_id not in units:
        raise Forbidden(
            "only a manager of %(unit)s (or a facilities admin) may see its bookings",
            words={"unit": unit_id},
            right="see_unit",
        )


def may_act_for(session: Session, actor: User, person: User) -> bool:
    return actor.id == person.id or is_admin(actor) or manages(session, actor, person)


def require_act_for(session: Session, actor: User, person: User) -> None:
    if not may_act_for(session, actor, person):
        raise Forbidden(
            "%(actor)s may not act for %(person)s: only the person, a manager of their unit or a facilities admin may",
            words={"actor": actor.id, "person": person.id},
            right="act_for_others",
        )


#: Who may edit scenarios, run the optimiser and cancel its jobs.
PLAN_ROLES = frozenset({Role.PLANNER.value, Role.ADMIN.value})
#: Who may read, compare and score scenarios and save a layout (a committee member's as a proposal).
READ_PLAN_ROLES = frozenset({Role.PLANNER.value, Role.COMMITTEE.value, Role.ADMIN.value})


def may_plan(user: User) -> bool:
    """Planners and admins: edit scenarios, run the optimiser, cancel jobs."""
    return user.role in PLAN_ROLES


def may_read_plans(user: User) -> bool:
    """Planners, the committee and admins: read, compare and score scenarios, save a layout."""
    return user.role in READ_PLAN_ROLES


def require_plan(user: User) -> None:
    """Raise `Forbidden` (right ``plan``) unless ``user`` may edit scenarios."""
    if not may_plan(user):
        raise Forbidden("only planners and admins may edit scenarios and run the optimiser", right="plan")


def require_read_plans(user: User) -> None:
    """Raise `Forbidden` (right ``read_plans``) unless ``user`` may read scenarios."""
    if not may_read_plans(user):
        raise Forbidden("only planners, the reorganisation committee and admins may see scenarios", right="read_plans")


# -- reports: counts of units and floors, never one person's bookings -------------------------------------------

#: The right a refused report names.
READ_REPORTS = "read_reports"


def require_building_reports(user: User) -> None:
    if not is_admin(user):
        raise Forbidden(
            "only facilities admins may read the building's occupancy by floor, zone and weekday", right=READ_REPORTS
        )


def require_unit_tables(session: Session, user: User) -> set[str] | None:
    """The units a table may show; refuses staff (who may read their own unit's summary only)."""
    units = visible_units(session, user)
    if units is not None and not units:
        raise Forbidden("staff may read their own unit's summary only", right=READ_REPORTS)
    return units


def require_unit_summary(session: Session, user: User, unit_id: str) -> None:
    if is_admin(user) or unit_id == user.unit_id:
        return
    units = visible_units(session, user)
    if units is None or unit_id in units:
        return
    raise Forbidden(
        "%(user)s may not read the figures of unit %(unit)r",
        words={"user": user.id, "unit": unit_id},
        right=READ_REPORTS,
    )
