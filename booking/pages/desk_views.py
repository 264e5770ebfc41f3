"""What the booking pages show of desks: the time asked about, the floors, each desk's state in words, who holds a
booked desk (where the building's rules allow names), and refusals in the page's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.errors import BookingError, Conflict, RuleRefused
from booking.models import ACTIVE_STATES, Booking, BuildingRow, DeskRow, FloorRow, User
from booking.pages import wording
from booking.pages.i18n import Words
from booking.services.availability import (
    Blocked,
    DeskState,
    DeskStateKind,
    FixedDesk,
    Free,
    Held,
    Reserved,
    matches,
)
from booking.services.bookings import is_released
from booking.services.calendar_rules import ClosedDay, ClosedKind, holiday_name
from booking.services.desks import office_hours, zone_info
from booking.services.intervals import Interval, Slot, local_time, overlaps_clause
from booking.services.permissions import is_admin
from booking.services.time_requests import Preset, Span, TimeRequest, resolve

SLOTS = ("full", "am", "pm", "hours")
#: Availability states and the class their desks get on the map.
STATE_CLASSES = {kind: kind.value for kind in DeskStateKind}


@dataclass(frozen=True)
class When:
    """The time a page asks about: a day and a preset slot, or hours on that day (``slot == "hours"``)."""

    day: dt.date
    slot: str
    start_time: dt.time
    end_time: dt.time
    request: TimeRequest
    interval: Interval

    def query(self) -> dict[str, str]:
        """The query parameters that say the same again."""
        values = {"date": self.day.isoformat(), "slot": self.slot}
        if self.slot == "hours":
            values |= {"start": self.start_time.strftime("%H:%M"), "end": self.end_time.strftime("%H:%M")}
        return values


def parse_time(text: str | None, default: dt.time) -> dt.time:
    try:
        return dt.time.fromisoformat(text) if text else default
    except ValueError:
        return default


def when_of(
    building: BuildingRow,
    now: dt.datetime,
    *,
    day: dt.date | None,
    slot: str | None,
    start: str | None = None,
    end: str | None = None,
) -> When:
    """The time asked about; missing or unreadable parts fall back to today, a full day, the first office hour."""
    zone = zone_info(building.timezone)
    day = day or now.astimezone(zone).date()
    slot = slot if slot in SLOTS else "full"
    opens = building.opens_at
    first_hour = (dt.datetime.combine(day, opens) + dt.timedelta(hours=1)).time()
    start_time, end_time = parse_time(start, opens), parse_time(end, first_hour)
    hours = office_hours(building)
    request: TimeRequest
    if slot == "hours":
        if end_time <= start_time:
            end_time = (dt.datetime.combine(day, start_time) + dt.timedelta(hours=1)).time()
            if end_time <= start_time:  # past 23:00
                start_time, end_time = opens, first_hour
        request = Span(local_time(day, start_time, zone), local_time(day, end_time, zone))
    else:
        request = Preset(day, Slot(slot))
        start_time, end_time = hours.times(request.slot)
    return When(day, slot, start_time, end_time, request, resolve(request, hours, zone))


def floors_of(session: Session) -> list[FloorRow]:
    """Floors in use that have desks, lowest first."""
    with_desks = select(DeskRow.floor_id).where(DeskRow.retired_at.is_(None)).distinct()
    return list(
        session.scalars(
            select(FloorRow)
            .where(FloorRow.retired.is_(False), FloorRow.id.in_(with_desks))
            .order_by(FloorRow.building_id, FloorRow.level)
        )
    )


def home_floor(session: Session, user: User, interval: Interval, floors: list[FloorRow]) -> FloorRow:
    """The floor to show first: where I have booked that day, else where most of my unit has, else the lowest."""
    utc = interval.utc()
    on_day = overlaps_clause(Booking.start_utc, Booking.end_utc, utc.start, utc.end)
    booked = select(DeskRow.floor_id, func.count()).join(Booking, Booking.desk_id == DeskRow.id)
    booked = booked.where(on_day, Booking.state.in_(ACTIVE_STATES)).group_by(DeskRow.floor_id)
    mine = session.execute(booked.where(Booking.user_id == user.id)).first()
    best = mine[0] if mine else None
    if best is None and user.unit_id is not None:
        team = select(User.id).where(User.unit_id == user.unit_id)
        counts = session.execute(booked.where(Booking.user_id.in_(team))).all()
        best = max(counts, key=lambda row: (row[1], -row[0]))[0] if counts else None
    return next((f for f in floors if f.id == best), floors[0])


@dataclass(frozen=True)
class Holder:
    user_id: str
    name: str
    start: dt.datetime
    end: dt.datetime


def holders(
    session: Session, desk_ids: Iterable[int], interval: Interval, building: BuildingRow, now: dt.datetime
) -> dict[int, Holder]:
    """Who holds each of ``desk_ids`` during ``interval`` (the first active booking; released ones left out)."""
    ids = list(desk_ids)
    if not ids:
        return {}
    utc = interval.utc()
    rows = session.execute(
        select(Booking, User.name)
        .join(User, Booking.user_id == User.id)
        .where(
            Booking.desk_id.in_(ids),
            Booking.state.in_(ACTIVE_STATES),
            overlaps_clause(Booking.start_utc, Booking.end_utc, utc.start, utc.end),
        )
        .order_by(Booking.start_utc)
    ).all()
    found: dict[int, Holder] = {}
    for booking, name in rows:
        if booking.desk_id not in found and not is_released(booking, building, now):
            found[booking.desk_id] = Holder(booking.user_id, name, booking.start_utc, booking.end_utc)
    return found


def may_see_names(building: BuildingRow, viewer: User) -> bool:
    return building.show_booker_names or is_admin(viewer)


@dataclass(frozen=True)
class DeskRowView:
    """One desk as the map's list shows it."""

    id: int
    ref: str
    label: str
    space: str
    state: str
    css: str
    reason: str
    attributes: tuple[str, ...]
    matches: bool


def attribute_names(t: Words, attributes: Mapping[str, Any]) -> tuple[str, ...]:
    """A desk's features in words: ``monitor``, ``standing``... (true flags, and other values as key: value)."""
    names = []
    for key, value in attributes.items():
        if value is True:
            names.append(_attribute_word(t, key))
        elif value not in (False, None, ""):
            names.append(f"{_attribute_word(t, key)}: {value}")
    return tuple(names)


def _attribute_word(t: Words, key: str) -> str:
    word = wording.ATTRIBUTES.get(key)
    return key if word is None else t(word)


def state_reason(
    t: Words, desk: DeskState, holder: Holder | None, zone: ZoneInfo, *, show_names: bool, viewer_id: str
) -> str:
    """Why a desk is in its state, in the page's language, from its kind and particulars."""
    kind, particulars = desk.kind, desk.particulars
    if isinstance(particulars, Held):
        span = t.span(particulars.start.astimezone(zone), particulars.end.astimezone(zone))
        if kind is DeskStateKind.MINE or (holder is not None and holder.user_id == viewer_id):
            return t("your booking, %(span)s", span=span)
        if show_names and holder is not None:
            return t("booked %(span)s by %(name)s", span=span, name=holder.name)
        return t("booked %(span)s", span=span)
    if isinstance(particulars, FixedDesk):
        return t("fixed desk of %(owner)s", owner=particulars.owner)
    if isinstance(particulars, Free):
        if particulars.released_at is not None:
            return t("released: the booking was not checked in")
        return t("your fixed desk") if particulars.own_fixed else ""
    if kind is DeskStateKind.RETIRED:
        return t("no longer in the building")
    if isinstance(particulars, ClosedDay):
        return closed_sentence(t, particulars)
    if isinstance(particulars, Blocked):
        return (
            t("blocked: %(reason)s", reason=particulars.reason)
            if particulars.reason
            else t.pgettext("reason", "blocked")
        )
    if isinstance(particulars, Reserved):
        units = t.list(list(particulars.units))
        return t("%(units)s, until %(release)s", units=units, release=t.moment(particulars.release.astimezone(zone)))
    return ""


def closed_sentence(t: Words, closed: ClosedDay) -> str:
    """Why the building is closed on a day, in the page's language (the holiday named in it too)."""
    day = t.date(closed.day)
    if closed.kind is ClosedKind.WEEKDAY:
        return t(
            "The building is closed on %(weekday)ss, so %(day)s cannot be booked.",
            weekday=t.weekday(closed.day.weekday(), wide=True),
            day=day,
        )
    if closed.kind is ClosedKind.HOLIDAY:
        name = holiday_name(closed.holiday_country, closed.day, language=t.lang) or closed.holiday or ""
        return t("The building is closed on %(day)s, a public holiday (%(holiday)s).", day=day, holiday=name)
    if closed.kind is ClosedKind.YEAR_END:
        return t("The building is closed on %(day)s for the year-end holidays (29 December to 3 January).", day=day)
    if closed.reason:
        return t("The building is closed on %(day)s: %(reason)s.", day=day, reason=closed.reason)
    return t("The building is closed on %(day)s.", day=day)


def desk_views(
    t: Words,
    states: list[DeskState],
    wanted: Mapping[str, str],
    holding: Mapping[int, Holder],
    zone: ZoneInfo,
    *,
    show_names: bool,
    viewer_id: str,
) -> list[DeskRowView]:
    views = []
    for d in states:
        views.append(
            DeskRowView(
                id=d.id,
                ref=d.ref,
                label=d.name or d.ref,
                space=d.space,
                state=d.kind.value,
                css=STATE_CLASSES[d.kind],
                reason=state_reason(t, d, holding.get(d.id), zone, show_names=show_names, viewer_id=viewer_id),
                attributes=attribute_names(t, d.attributes),
                matches=matches(d.attributes, wanted) if wanted else True,
            )
        )
    return views


#: Rules whose refusals may carry no particulars to word them with (a conflict without its booking, or nothing
#: more to say): the catalogue's headline says it in Japanese, rather than beside an English sentence.
HEADLINE_ONLY = frozenset({"past", "desk_taken", "one_desk_per_person", "cancel_cutoff", "check_in_window"})


def refusal_text(t: Words, error: BookingError, zone: ZoneInfo) -> str:
    """A refusal in the page's language: known rules in a sentence of the catalogue filled with the refusal's
    particulars (its problem members) in the page's formats; without them, the rule's headline and the service's
    sentence."""
    if isinstance(error, Conflict) and error.conflict.get("start"):
        start = dt.datetime.fromisoformat(error.conflict["start"]).astimezone(zone)
        end = dt.datetime.fromisoformat(error.conflict["end"]).astimezone(zone)
        when = t.when(start, end)
        name = error.conflict.get("user_name")
        if error.rule == "desk_taken":
            desk = error.conflict.get("desk", "")
            if name:
                return t("Desk %(desk)s is already booked by %(name)s: %(when)s.", desk=desk, when=when, name=name)
            return t("Desk %(desk)s is already booked: %(when)s.", desk=desk, when=when)
        if error.rule == "one_desk_per_person":
            return t(
                "You already hold desk %(desk)s then (%(when)s): one desk per person at a time.",
                when=when,
                desk=error.conflict.get("desk", ""),
            )
    if isinstance(error, RuleRefused):
        try:
            sentence = _rule_sentence(t, error.rule, error.members, zone)
        except (KeyError, ValueError, TypeError, IndexError):  # a member missing or unreadable
            sentence = None
        if sentence is not None:
            return sentence
        if error.rule not in wording.RULE_HEADLINES:
            return error.detail
        headline = t(wording.RULE_HEADLINES[error.rule])
        if t.lang == "en":
            return _as_sentence(error.detail) if error.detail else headline
        if error.rule in HEADLINE_ONLY or not error.detail:
            return headline
        return f"{headline}（{error.detail}）"
    refused, state = error.members.get("refused"), error.members.get("booking_state")
    if refused in ("cancel", "check_in") and state in wording.BOOKING_STATES:
        return t(wording.STATE_REFUSALS[refused], state=t(wording.BOOKING_STATES[state]))
    return error.detail


def _as_sentence(text: str) -> str:
    """A service's sentence as the pages write one: a capital first, a full stop last."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def _rule_sentence(t: Words, rule: str, members: Mapping[str, Any], zone: ZoneInfo) -> str | None:
    """The refusal of ``rule`` worded from its ``members``, typed (dates, datetimes; see `booking.services.rules`);
    None for a rule without a sentence of its own. A member missing raises KeyError."""

    def day(name: str = "day") -> str:
        return t.date(members[name])

    def minutes_member() -> str:
        return t.number(int(members["minutes"]))

    if rule == "days_ahead":
        return t(
            "Bookings open %(days)s days ahead: %(day)s can be booked from %(bookable_from)s (the last day you "
            "can book now is %(last)s).",
            days=t.number(int(members["days_ahead"])),
            day=day(),
            bookable_from=day("bookable_from"),
            last=day("last_bookable_day"),
        )
    if rule == "closed_day":
        closed = members["closed"]
        if closed == "weekday":
            weekday = members["day"].weekday()
            return t(
                "The building is closed on %(weekday)ss, so %(day)s cannot be booked.",
                weekday=t.weekday(weekday, wide=True),
                day=day(),
            )
        if closed == "holiday":
            on = members["day"]
            name = holiday_name(members.get("holiday_country"), on, language=t.lang) or members["holiday"]
            return t("The building is closed on %(day)s, a public holiday (%(holiday)s).", day=day(), holiday=name)
        if closed == "year_end":
            return t(
                "The building is closed on %(day)s for the year-end holidays (29 December to 3 January).", day=day()
            )
        if closed == "closure":
            if members.get("reason"):
                return t("The building is closed on %(day)s: %(reason)s.", day=day(), reason=members["reason"])
            return t("The building is closed on %(day)s.", day=day())
        return None
    if rule == "office_hours":
        on = members["day"]
        opens, closes = dt.time.fromisoformat(members["opens"]), dt.time.fromisoformat(members["closes"])
        hours = t.span(dt.datetime.combine(on, opens), dt.datetime.combine(on, closes))
        return t("Bookings on %(day)s must lie within office hours, %(hours)s.", day=t.date(on), hours=hours)
    if rule == "hourly_step":
        return t("Hourly bookings start and end on multiples of %(minutes)s minutes.", minutes=minutes_member())
    if rule == "longest_booking":
        return t("A booking may last at most %(minutes)s minutes.", minutes=minutes_member())
    if rule == "blocked":
        if members.get("reason"):
            return t(
                "Desk %(desk)s is blocked on %(day)s: %(reason)s.",
                desk=members["desk"],
                day=day(),
                reason=members["reason"],
            )
        return t("Desk %(desk)s is blocked on %(day)s.", desk=members["desk"], day=day())
    if rule == "reserved":
        release = members["release"].astimezone(zone)
        return t(
            "Desk %(desk)s is in %(zone)s, kept for %(unit)s on %(day)s until %(release)s.",
            desk=members["desk"],
            zone=members["zone_name"],
            unit=members["unit_name"],
            day=day(),
            release=t.moment(release),
        )
    if rule == "retired":
        return t("Desk %(desk)s is no longer in the building.", desk=members["desk"])
    if rule == "hourly":
        return t(
            "Desk %(desk)s cannot be booked by the hour: book it for a full day, a morning or an afternoon.",
            desk=members["desk"],
        )
    if rule == "fixed_desk":
        return t("Desk %(desk)s is someone's fixed desk: only its owner may book it.", desk=members["desk"])
    if rule == "cancel_cutoff":
        minutes = int(members["minutes"])
        if minutes == 0:
            return t("A booking can be cancelled only before it starts.")
        if minutes % 60 == 0:  # "24 hours", not "1,440 minutes"
            whole_hours = minutes // 60
            return t.ngettext(
                "A booking can be cancelled up to an hour before it starts.",
                "A booking can be cancelled up to %(hours)s hours before it starts.",
                whole_hours,
                hours=whole_hours,
            )
        return t("A booking can be cancelled up to %(minutes)s minutes before it starts.", minutes=t.number(minutes))
    if rule == "check_in_window":
        window = [members[name].astimezone(zone) for name in ("opens", "closes")]
        return t("Check-in for this booking is open on %(when)s.", when=t.when(*window))
    return None
