"""The sources a check searches, in the order they are shown. The registry itself is in
cme.cases.sources, below the steps, so that the enquiries step can search the same sources."""

from cme.cases.sources import all_sources, get_source, register

__all__ = ["all_sources", "get_source", "register"]
