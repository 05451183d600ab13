"""Pluggable sources for the Check step. A new one is a Source subclass with @register."""

from .base import Candidate, Source, all_sources, clear_cache, get_source, register
from .builtin import EmsSource, HomeEducationSource, LostPupilSource, RegisterSource, child_record

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
