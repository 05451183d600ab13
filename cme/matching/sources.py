"""A source of child records to search: its rows as matcher records, an index cached per process.

Plain Python, so that any floor can offer one: the register's children (cme.cases.sources), a
check's sources (cme.checks.sources), earlier referrals (cme.referrals.known_children). To add
one, subclass Source and give it `name`, `label`, `version()`, `records()` and `details()`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from cme.matching.index import MatchIndex

# Only candidates an officer should look at are kept; "unlikely" ones would bury them.
SHOWN_BANDS = frozenset({"likely", "possible"})


@dataclass(frozen=True)
class Candidate:
    """A record a source found for a child, with what to show beside the child."""

    source: str
    record_id: str
    probability: float
    band: str
    reasons: list[str]
    details: dict[str, Any] = field(default_factory=dict)


_cache: dict[str, tuple[Any, MatchIndex]] = {}
_lock = threading.Lock()


class Source:
    name: ClassVar[str]
    label: ClassVar[str]
    # True for a school roll (EMS): no likely match there prompts the check's PAEWS referral.
    on_roll: ClassVar[bool] = False

    def version(self) -> Any:
        """A cheap stamp that changes whenever the rows do (e.g. count and latest update)."""
        raise NotImplementedError

    def records(self) -> Iterable[dict[str, Any]]:
        """Every row as a matcher record (cme.matching.COLUMNS; `id` unique in the source)."""
        raise NotImplementedError

    def details(self, record_ids: list[str]) -> dict[str, dict[str, Any]]:
        """What the check page shows for each found record, keyed by its id."""
        raise NotImplementedError

    def excluded(self, child_record: dict[str, Any]) -> set[str]:
        """Record ids never to offer for this child (the child's own record)."""
        return set()

    def index(self) -> MatchIndex:
        """The index of this source's rows, rebuilt only when `version()` changes."""
        stamp = self.version()
        with _lock:
            cached = _cache.get(self.name)
            if cached is not None and cached[0] == stamp:
                return cached[1]
        index = MatchIndex(self.records())
        with _lock:
            _cache[self.name] = (stamp, index)
        return index

    def size(self) -> int:
        return len(self.index())

    def candidates(self, child_record: dict[str, Any], limit: int = 5) -> list[Candidate]:
        """The likely and possible matches for the child, best first, one per record."""
        skip = self.excluded(child_record)
        found: dict[str, Any] = {}
        for match in self.index().search(child_record, limit=limit + len(skip) + 5):
            record_id = match.id.split("~", 1)[0]  # a former name is "<id>~<n>"
            if record_id in skip or record_id in found or match.band not in SHOWN_BANDS:
                continue
            found[record_id] = match
        details = self.details(list(found))
        # A record gone since the index was built (removed, or another test's) is never offered.
        chosen = [(rid, m) for rid, m in found.items() if rid in details][:limit]
        return [
            Candidate(
                source=self.name,
                record_id=rid,
                probability=m.probability,
                band=m.band,
                reasons=list(m.reasons),
                details=details[rid],
            )
            for rid, m in chosen
        ]


def clear_cache() -> None:
    with _lock:
        _cache.clear()
