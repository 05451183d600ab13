"""Exceptions raised by the matching package."""

from __future__ import annotations


class MatchingError(Exception):
    """Base class for errors raised by cme.matching."""


class MatchingInputError(MatchingError):
    """Input that cannot be used: malformed CSV, unknown columns, impossible dates.

    `line` is the 1-based line number in the file (the header is line 1) when known.
    """

    def __init__(self, reason: str, *, line: int | None = None, source: str | None = None):
        self.reason = reason
        self.line = line
        self.source = source
        where = ""
        if source:
            where += f"{source}: "
        if line is not None:
            where += f"line {line}: "
        super().__init__(f"{where}{reason}")


class ModelError(MatchingError):
    """A model file that cannot be read or does not fit this version of the code."""


class IndexFileError(MatchingError):
    """A match index file that cannot be used: not one, damaged, or built by other code or
    for another model (it says so, and how to build it again)."""
