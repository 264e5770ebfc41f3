"""The messages a page picks at run time by a name (a state, a rule, a role, an error page's kind): each table
maps the name to its English message, marked for extraction, and `Words` translates it where it is shown
(``t.word(DESK_STATES[state])``; templates: ``t.word(wording.DESK_STATES[state])``)."""

from __future__ import annotations

from dataclasses import dataclass

from booking.messages import N_


@dataclass(frozen=True, slots=True)
class Contextual:
    """A message with its context, marked for extraction (`NP_`) and translated where it is shown."""

    context: str
    message: str


def NP_(context: str, message: str) -> Contextual:
    """Marks ``message`` in ``context`` for extraction; `booking.pages.i18n.Words.word` translates it."""
    return Contextual(context, message)


#: A desk's state on the booking map (`booking.pages.desk_views`) -> its word.
DESK_STATES: dict[str, str] = {
    "free": N_("free"),
    "mine": N_("booked by you"),
    "booked": N_("booked"),
    "blocked": N_("blocked"),
    "reserved": N_("reserved for a team"),
    "fixed": N_("fixed desk"),
    "closed": N_("closed"),
    "retired": N_("no longer in use"),
    "team": N_("my team"),
    "dimmed": N_("without the features chosen"),
    "suggested": N_("suggested for you"),
}

#: A booking's state -> its word.
BOOKING_STATES: dict[str, str] = {
    "booked": N_("booked"),
    "checked_in": N_("checked in"),
    "cancelled": N_("cancelled"),
    "no_show": N_("no-show"),
}

#: A booking slot (full, am, pm, hours) -> its word.
SLOTS: dict[str, str] = {
    "full": N_("Full day"),
    "am": N_("Morning"),
    "pm": N_("Afternoon"),
    "hours": N_("Hours"),
}

#: A user's role -> its name.
ROLES: dict[str, str] = {
    "staff": N_("staff"),
    "manager": N_("unit manager"),
    "admin": N_("facilities admin"),
    "planner": N_("planner"),
    "committee": N_("committee member"),
}

#: A desk attribute -> its name.
ATTRIBUTES: dict[str, str] = {
    "monitor": N_("monitor"),
    "standing": N_("standing desk"),
    "accessible": N_("accessible"),
    "window": N_("window"),
    "quiet": N_("quiet"),
}

#: A booking rule -> what its refusal says when there are no particulars to word.
RULE_HEADLINES: dict[str, str] = {
    "past": N_("That time has already passed."),
    "days_ahead": N_("That day cannot be booked yet."),
    "closed_day": N_("The building is closed that day."),
    "office_hours": N_("Bookings must lie within office hours."),
    "hourly": N_("This desk cannot be booked by the hour."),
    "hourly_step": N_("Hourly bookings start and end on the step."),
    "longest_booking": N_("That booking is too long."),
    "blocked": N_("This desk is blocked."),
    "fixed_desk": N_("This is someone's fixed desk."),
    "reserved": N_("This desk is kept for a team that day."),
    "retired": N_("This desk is no longer in use."),
    "desk_taken": N_("This desk is already booked."),
    "one_desk_per_person": N_("You already hold a desk then."),
    "cancel_cutoff": N_("It is too late to cancel this booking."),
    "check_in_window": N_("Check-in is not open now."),
}

#: A building's booking rule -> its label on the rules form.
RULE_FIELDS: dict[str, str | Contextual] = {
    "timezone": N_("Time zone"),
    "opens_at": N_("Opens"),
    "noon": N_("Morning ends"),
    "closes_at": N_("Closes"),
    "zone_release_time": N_("Zones released the day before at"),
    "days_ahead": N_("Days ahead bookable"),
    "longest_booking_minutes": N_("Longest booking (minutes; empty: no limit)"),
    "hourly_step_minutes": N_("Hourly step (minutes)"),
    "cancel_cutoff_minutes": N_("Cancel up to (minutes before the start)"),
    "check_in_opens_minutes": N_("Check-in opens (minutes before)"),
    "check_in_closes_minutes": N_("Check-in closes (minutes after)"),
    "holiday_country": N_("Public holidays of (country code)"),
    "closed_weekdays": N_("Closed weekdays"),
    "flags": NP_("flags", "Rules"),
    "one_desk_per_person": N_("One desk per person at a time"),
    "check_in_required": N_("Check-in required (no-shows are released)"),
    "show_booker_names": N_("Show who booked a desk"),
    "year_end_closure": N_("Closed 29 December to 3 January (where public holidays are Japan's)"),
}

#: A kind counted in a loaded building -> its count, ``%(n)s``.
FLOOR_COUNTS: dict[str, str] = {
    "added": N_("%(n)s added"),
    "updated": N_("%(n)s updated"),
    "retired": N_("%(n)s retired"),
    "restored": N_("%(n)s restored"),
}

#: A building file's format -> its name ('auto' when guessed).
FILE_FORMATS: dict[str, str] = {
    "auto": N_("by the file's name"),
    "geojson": N_("GeoJSON"),
    "imdf": N_("IMDF"),
    "cobie": N_("COBie"),
    "floorguide": N_("floor guide"),
}

#: Where a layout came from -> its word.
LAYOUT_ORIGINS: dict[str, str] = {
    "imported": N_("imported"),
    "edited": N_("edited"),
    "optimised": N_("optimised"),
    "proposal": N_("proposal"),
}

#: The login form's fields -> their labels.
LOGIN_FIELDS: dict[str, str] = {
    "username": N_("User ID or e-mail"),
    "password": N_("Password"),
}

#: A login field's fault -> the sentence, with ``%(field)s`` and ``%(most)s``.
LOGIN_FAULTS: dict[str, str] = {
    "too_long": N_("%(field)s is too long: at most %(most)s characters."),
    "nul": N_("%(field)s contains a character that cannot be used (NUL)."),
}

#: What a page of my bookings says after an action (``?done=``).
DONE: dict[str, str] = {
    "cancelled": N_("The booking is cancelled."),
    "checked_in": N_("You are checked in."),
    "stopped": N_("Your calendar link no longer works."),
}

#: An error page's kind -> its headline.
ERROR_PAGES: dict[str, str] = {
    "error.back": N_("Back"),
    "error.csrf": N_("This form was out of date. Go back, reload the page and try again."),
    "error.invalid": N_("The request could not be read"),
    "error.login": N_("Please log in"),
    "error.forbidden": N_("You may not open this page"),
    "error.not_found": N_("Not found"),
    "error.conflict": N_("That cannot be done now"),
    "error.refused": N_("That cannot be done"),
    "error.busy": N_("The service is busy. Please try again in a few seconds."),
    "error.too_large": N_("That is more than this site takes at once"),
    "error.archive_too_large": N_("The archive unpacks to more than this site takes"),
    "error.server": N_("Something went wrong on our side. It has been logged; please try again later."),
}

#: A refusal to act on a booking in the wrong state (``refused`` member) -> the sentence, with ``%(state)s``.
STATE_REFUSALS: dict[str, str] = {
    "cancel": N_("This booking is %(state)s: there is nothing to cancel."),
    "check_in": N_("This booking is %(state)s: it cannot be checked in."),
}

#: A pydantic error type -> the sentence for it, naming ``%(field)s``.
INPUT_FAULTS: dict[str, str] = {
    "date_out_of_range": N_("“%(field)s”: the date must be from %(first)s to %(last)s."),
    "local_time": N_("“%(field)s”: not a local time (HH:MM, without a UTC offset)."),
    "string_nul": N_("“%(field)s” contains a character that cannot be used (NUL)."),
    "string_too_long": N_("“%(field)s” is too long: at most %(most)s characters."),
    "string_too_short": N_("“%(field)s” must not be empty."),
    "missing": N_("“%(field)s” is missing."),
    "span_reversed": N_("“%(field)s” must not be before %(first)s."),
    "span_too_long": N_("“%(field)s”: a span covers at most %(most)s days, not %(days)s."),
    "unknown_country": N_("“%(field)s”: no public holidays are known for %(country)s."),
    "too_long": N_("“%(field)s”: at most %(most)s values."),
    "int_parsing": N_("“%(field)s”: not a whole number."),
    "int_parsing_size": N_("“%(field)s”: not a whole number."),
    "int_from_float": N_("“%(field)s”: not a whole number."),
    "int_type": N_("“%(field)s”: not a whole number."),
    "float_parsing": N_("“%(field)s”: not a number."),
    "float_type": N_("“%(field)s”: not a number."),
    "greater_than_equal": N_("“%(field)s”: must be at least %(low)s."),
    "greater_than": N_("“%(field)s”: must be at least %(low)s."),
    "less_than_equal": N_("“%(field)s”: must be at most %(high)s."),
    "less_than": N_("“%(field)s”: must be at most %(high)s."),
}

#: The stack plan editor's figures -> their labels.
FIGURE_LABELS: dict[str, str] = {
    "travel_hours_per_week": N_("Travel, person-hours"),
    "vertical_hours_per_week": N_("of which vertical"),
    "vertical_trips_per_week": N_("Vertical trips"),
    "people_moved": N_("People moved"),
}

#: A floor's note in the stack plan editor -> its word.
FLOOR_NOTES: dict[str, str | Contextual] = {
    "closed": NP_("floor", "closed"),
    "unavailable": N_("other departments"),
}

#: The stack plan editor script's words: its name -> the message.
SCRIPT_WORDS: dict[str, str | Contextual] = {
    "block": N_("%(unit)s: %(seats)s seats on %(floor)s"),
    "over": N_("(+%(n)s over)"),
    "closed": NP_("floor", "closed"),
    "unavailable": N_("other departments"),
    "choose": N_("Choose a unit"),
    "selected": N_(
        "Selected %(unit)s, %(seats)s seats on %(floor)s. Choose a floor with the arrow keys, then press Enter."
    ),
    "target": N_("To %(floor)s."),
    "moved": N_("%(unit)s: %(seats)s seats moved from %(from)s to %(to)s."),
    "undone": N_("Undone."),
    "redone": N_("Redone."),
    "deselected": N_("Selection cleared."),
    "choose_first": N_("Choose a unit first."),
    "same_floor": N_("Choose another floor."),
    "score_failed": N_("The figures could not be scored: %(detail)s"),
    "travel_now": N_("Travel %(hours)s person-hours a week (%(change)s against the baseline)."),
    "list_separator": NP_("editor", ", "),
    "violation_fixed": N_("%(unit)s is on %(floors)s, but is fixed to %(allowed)s."),
    "violation_available": N_("%(unit)s is on %(floors)s, outside the scenario's floors."),
    "violation_closed": N_("%(unit)s is on the closed floor %(floors)s."),
    "violation_max_floors": N_("%(unit)s is on %(count)s floors (%(floors)s), more than %(limit)s."),
    "violation_adjacent": N_("%(unit)s is on %(floors)s, which are not adjacent."),
    "violation_apart": N_("%(unit)s and %(other)s are to be kept apart but share %(floors)s."),
}
