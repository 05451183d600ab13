"""A source of child records to search: its rows as matcher records, an index cached per process.

Plain Python, so that any floor can offer one: the register's children (cme.cases.sources), a
check's sources (cme.checks.sources), earlier referrals (cme.referrals.known_children). To add
one, subclass Source and give it `name`, `label`, `version()`, `records()` and `details()`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from cme.matching.errors import IndexFileError
from cme.matching.index import MatchIndex
from cme.matching.model import Model, active_model
from cme.matching.records import child_id

log = logging.getLogger(__name__)

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
    lock: threading.Lock = field(default_factory=threading.Lock)
    # When this process last read the change log (monotonic seconds), to know whether changes
    # it has not applied may since have been pruned from it.
    looked_at: float = field(default_factory=time.monotonic)
    # For an index mapped from its file: the file's identity, to notice a newer one.
    file_stamp: tuple[int, int] | None = None


_live: dict[str, _Live] = {}
# How many times each source's index was built from all its records in this process; a test
# of the change log asserts a change did not add one.
builds: dict[str, int] = {}


def group_of(record_id: str) -> str:
    return child_id(record_id)  # a former name is "<id>~<n>"


def group_ids(index: MatchIndex, group: str) -> list[str]:
    """The ids a group (a child) has in the index: its own and its former names'."""
    own = [group] if group in index else []
    return own + index.ids_starting(f"{group}~")


def _file_stamp(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_ino, found.st_mtime_ns)


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

    def index_file(self) -> str | None:
        """A file `write_index_file` made for this source, to map instead of building the
        index from the records in every process (a change-logged source only); None: none."""
        return None

    def write_index_file(self, path: str | Path) -> MatchIndex:
        """Build the index from every record and save it to `path` with the latest change it
        includes, so that a process mapping it applies only the changes made since."""
        latest = self.latest_change()
        if latest is None:
            raise IndexFileError(f"the {self.name} source keeps no change log to catch up from.")
        built_at = time.time()  # before the records are read, as `latest` is
        index = MatchIndex(self.records(), active_model())
        index.meta = {"source": self.name, "applied": latest, "built_at": built_at}
        index.save(path)
        return index

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
        path = self.index_file()
        if path:
            mapped = self._mapped(path)
            if mapped is not None:
                return mapped
        # The latest change is read before the records, so a change made while they are read
        # is applied again next time (applying one twice changes nothing).
        live = _Live(self._build(self.records()), latest)
        with _lock:
            _live[self.name] = live
        return live

    def _mapped(self, path: str) -> _Live | None:
        """The index mapped from its file and brought up to date from the change log; None
        (and the reason logged) when the file cannot be used, so the records are read instead."""
        stamp = _file_stamp(path)
        try:
            index = MatchIndex.load(path, active_model())
        except IndexFileError as exc:
            log.error("match index file not used: %s", exc, extra={"source": self.name})
            return None
        applied, built_at = index.meta.get("applied"), index.meta.get("built_at")
        if index.meta.get("source") != self.name or not isinstance(applied, int):
            log.error(
                "match index file not used: %s was not built from the %s source",
                path,
                self.name,
                extra={"source": self.name},
            )
            return None
        kept = self.change_log_kept_seconds()
        if kept is not None and (built_at is None or time.time() - float(built_at) > kept / 2):
            log.error(
                "match index file not used: %s is older than half the time the change log is "
                "kept, so changes since it was built may be gone; build it again "
                "(cme match build-index)",
                path,
                extra={"source": self.name},
            )
            return None
        live = _Live(index, applied, file_stamp=stamp)
        while True:  # every change since the file was built, however many: no rebuild here
            rows = self.changes(after=live.applied, limit=REBUILD_AFTER)
            if not rows:
                break
            self._apply(live, rows)
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
            path = self.index_file()
            if live.file_stamp is not None and path:
                stamp = _file_stamp(path)
                if stamp is not None and stamp != live.file_stamp:  # a newer file was built
                    latest = self.latest_change()
                    return self._built(latest if latest is not None else live.applied).index
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
            self._apply(live, rows)
            return live.index

    def _apply(self, live: _Live, rows: list[tuple[int, str]]) -> None:
        """Re-read the groups these changes touched and put them in the index as they are now."""
        changed = {group for _, group in rows}
        for group in changed:
            for rid in group_ids(live.index, group):
                live.index.remove(rid)
        fresh = list(self.records_of(changed))
        if fresh:
            live.index.add(fresh)
        live.applied = rows[-1][0]

    def size(self) -> int:
        return len(self.index())

    def candidates(self, child_record: dict[str, Any], limit: int = 5) -> list[Candidate]:
        """The likely and possible matches for the child, best first, one per record."""
        skip = self.excluded(child_record)
        found: dict[str, Any] = {}
        # the child's own records are left out of the search, so never rivals of the others
        for match in self.index().search(child_record, limit=limit + 5, exclude=skip):
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
