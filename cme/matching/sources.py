"""A source of child records to search: its rows as matcher records, an index cached per process.

Plain Python, so that any floor can offer one: the register's children (cme.cases.sources), a
check's sources (cme.checks.sources), earlier referrals (cme.referrals.known_children). To add
one, subclass Source and give it `name`, `label`, `version()`, `records()` and `details()`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from cme.matching.index import MatchIndex
from cme.matching.model import Model, active_model

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

# A source with a change log rebuilds only when more records changed than this since it last
# looked (a bulk load, a restore): applying them one by one would then cost more.
REBUILD_AFTER = 5000


@dataclass
class _Live:
    """A change-logged source's index in this process, and the last change applied to it."""

    index: MatchIndex
    applied: int
    # Each group (a child) and the record ids it put in the index (the child, former names).
    groups: dict[str, list[str]]
    lock: threading.Lock = field(default_factory=threading.Lock)
    # When this process last read the change log (monotonic seconds), to know whether changes
    # it has not applied may since have been pruned from it.
    looked_at: float = field(default_factory=time.monotonic)


_live: dict[str, _Live] = {}
# How many times each source's index was built from all its records in this process; a test
# of the change log asserts a change did not add one.
builds: dict[str, int] = {}


def group_of(record_id: str) -> str:
    return record_id.split("~", 1)[0]  # a former name is "<id>~<n>"


def _tracked(records: Iterable[dict[str, Any]], groups: dict[str, list[str]]) -> Iterable[Any]:
    for record in records:
        rid = str(record["id"])
        groups.setdefault(group_of(rid), []).append(rid)
        yield record


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

    # A source that logs its changes (the register) overrides these three; the index is then
    # built once per process and changed in place, never rebuilt for one change.
    def latest_change(self) -> int | None:
        """The id of the source's latest logged change; None: it keeps no change log."""
        return None

    def changes(self, *, after: int, limit: int) -> list[tuple[int, str]]:
        """Up to `limit` logged changes after `after`, oldest first: (change id, group)."""
        raise NotImplementedError

    def change_log_kept_seconds(self) -> float | None:
        """How long a logged change is kept before it is pruned; None: never pruned."""
        return None

    def records_of(self, groups: set[str]) -> Iterable[dict[str, Any]]:
        """The records of these groups as they stand now (none for a group removed)."""
        raise NotImplementedError

    def index(self) -> MatchIndex:
        """The index of this source's rows: changed in place from the change log for a
        source that has one, otherwise rebuilt only when `version()` changes."""
        return _scoring_with(active_model(), self._index())

    def _index(self) -> MatchIndex:
        live = _live.get(self.name)
        if live is not None:
            return self._caught_up(live)
        latest = self.latest_change()
        if latest is not None:
            return self._built(latest).index
        stamp = self.version()
        with _lock:
            cached = _cache.get(self.name)
            if cached is not None and cached[0] == stamp:
                return cached[1]
        index = self._build(self.records())
        with _lock:
            _cache[self.name] = (stamp, index)
        return index

    def _build(self, records: Iterable[dict[str, Any]]) -> MatchIndex:
        with _lock:
            builds[self.name] = builds.get(self.name, 0) + 1
        return MatchIndex(records, active_model())

    def _built(self, latest: int) -> _Live:
        # The latest change is read before the records, so a change made while they are read
        # is applied again next time (applying one twice changes nothing).
        groups: dict[str, list[str]] = {}
        live = _Live(self._build(_tracked(self.records(), groups)), latest, groups)
        with _lock:
            _live[self.name] = live
        return live

    def _stale(self, live: _Live, now: float) -> bool:
        """True when changes this process has not applied may have been pruned from the log:
        it has not looked for more than half the time a change is kept (the half allows for
        the clocks of the pruning job and of this server differing)."""
        kept = self.change_log_kept_seconds()
        return kept is not None and now - live.looked_at > kept / 2

    def _caught_up(self, live: _Live) -> MatchIndex:
        with live.lock:
            now = time.monotonic()
            if self._stale(live, now):
                latest = self.latest_change()
                return self._built(latest if latest is not None else live.applied).index
            live.looked_at = now
            rows = self.changes(after=live.applied, limit=REBUILD_AFTER + 1)
            if not rows:
                return live.index
            if len(rows) > REBUILD_AFTER:
                latest = self.latest_change() or rows[-1][0]
                return self._built(latest).index
            changed = {group for _, group in rows}
            for group in changed:
                for rid in live.groups.pop(group, []):
                    live.index.remove(rid)
            fresh = list(_tracked(self.records_of(changed), live.groups))
            if fresh:
                live.index.add(fresh)
            live.applied = rows[-1][0]
            return live.index

    def size(self) -> int:
        return len(self.index())

    def candidates(self, child_record: dict[str, Any], limit: int = 5) -> list[Candidate]:
        """The likely and possible matches for the child, best first, one per record."""
        skip = self.excluded(child_record)
        found: dict[str, Any] = {}
        for match in self.index().search(child_record, limit=limit + len(skip) + 5):
            record_id = group_of(match.id)
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


def _scoring_with(model: Model, index: MatchIndex) -> MatchIndex:
    """The index, scoring with `model`: it holds the records' features, which do not depend
    on the model, so a switch of model (cme match use) costs no rebuild."""
    if index.model is not model:
        index.model = model
    return index


def clear_cache() -> None:
    with _lock:
        _cache.clear()
        _live.clear()
