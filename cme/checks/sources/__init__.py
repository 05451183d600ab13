"""Pluggable sources for the Check step. A new one is a Source subclass with @register."""

from cme.matching.sources import Candidate, Source, clear_cache

from .builtin import EmsSource, HomeEducationSource, LostPupilSource, RegisterSource, child_record
from .registry import all_sources, get_source, register

__all__ = [
    "Candidate",
    "EmsSource",
    "HomeEducationSource",
    "LostPupilSource",
    "RegisterSource",
    "Source",
    "all_sources",
    "child_record",
    "clear_cache",
    "get_source",
    "register",
]
