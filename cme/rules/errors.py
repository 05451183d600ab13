"""Exceptions raised by the rules engine.

Every rule refuses bad input with one of these rather than answer wrongly; each message names
the problem so that the web app can show it to an officer as it stands.
"""


class RulesError(ValueError):
    """Base class: any input the rules engine cannot answer for."""


class InvalidDate(RulesError):
    """A date that is impossible, of the wrong type, out of order or outside a rule's reach."""


class InvalidArgument(RulesError):
    """An argument of the right type whose value no rule can use (e.g. adding 0 school days)."""


class UnknownGround(RulesError):
    """A deletion ground that is in neither rule set."""


class CalendarError(RulesError):
    """A malformed school calendar: overlapping terms, a bad file, an unknown row kind."""


class OutsideCalendar(CalendarError):
    """A question about a day the calendar does not cover, so any answer would be a guess."""


class InvalidUpn(RulesError):
    """A string that cannot be used to compute a UPN check letter."""
