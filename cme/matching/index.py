"""MatchIndex: find the records in a register most likely to be a given child."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from cme.matching.blocking import InvertedIndex, Postings, query_keys, record_keys
from cme.matching.bounds import fits, table_signatures, weight_bounds
from cme.matching.features import (
    FIELDS,
    Vocabularies,
    encode_many,
    side_from_matrix,
    vocab_mark,
    vocab_rollback,
)
from cme.matching.model import Model, default_model, probability
from cme.matching.records import Record, child_id, read_csv
from cme.matching.records import field as record_field
from cme.matching.scorer import (
    RIVAL_MIN_WEIGHT,
    TermFrequencies,
    reasons,
    score,
    share_for_one_child,
)
from cme.matching.strings import VOCAB_NAMES, FrozenVocab, freeze

_COL = {name: i for i, name in enumerate(FIELDS)}
# Below this many candidates scoring them all costs no more than bounding them first.
PRUNE_FROM = 64


@dataclass(frozen=True)
class Match:
    """One candidate: its id, the match probability, the band and the reasons."""

    id: str
    probability: float
    band: str
    reasons: list[str] = field(default_factory=list)
    match_weight: float = 0.0


@dataclass
class Base:
    """The records as built: columnar arrays that never change once built (mapped read-only
    from the index file, or made by `MatchIndex.consolidate`), except `alive`, whose pages a
    process copies only when it removes a record (the file is mapped copy-on-write)."""

    data: np.ndarray  # (n, len(FIELDS)) int32 codes
    ids: np.ndarray  # (n,) fixed-width bytes
    alive: np.ndarray  # (n,) bool
    id_order: np.ndarray  # (n,) int32: rows in the order of their ids
    postings: Postings

    @classmethod
    def empty(cls) -> Base:
        return cls(
            np.zeros((0, len(FIELDS)), dtype=np.int32),
            np.zeros(0, dtype="S1"),
            np.zeros(0, dtype=bool),
            np.zeros(0, dtype=np.int32),
            Postings.empty(),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def first_at_least(self, key: bytes) -> int:
        """Position in id order of the first id >= key (a binary search, no sorted copy)."""
        ids, order = self.ids, self.id_order
        lo, hi = 0, len(order)
        while lo < hi:
            mid = (lo + hi) // 2
            if ids[order[mid]] < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def rows_between(self, low: bytes, high: bytes | None) -> np.ndarray:
        """Rows whose id is >= low and < high (high None: equal to low)."""
        start = self.first_at_least(low)
        if high is None:
            stop = start
            while stop < len(self.id_order) and self.ids[self.id_order[stop]] == low:
                stop += 1
        else:
            stop = self.first_at_least(high)
        return np.asarray(self.id_order[start:stop], dtype=np.int64)

    @property
    def nbytes(self) -> int:
        arrays = (self.data, self.ids, self.alive, self.id_order)
        return int(sum(a.nbytes for a in arrays) + self.postings.nbytes)


def _prefix_end(prefix: bytes) -> bytes | None:
    """The smallest bytes string greater than every string that starts with prefix."""
    for i in range(len(prefix) - 1, -1, -1):
        if prefix[i] < 255:
            return prefix[:i] + bytes([prefix[i] + 1])
    return None


T = TypeVar("T")


def _one_at_a_time(method: Callable[..., T]) -> Callable[..., T]:
    """A search interns the query's strings in the shared vocabulary and forgets them after;
    a change adds rows. Threads of one web worker (gunicorn's gthread) share the index, so
    each of these runs alone: otherwise one thread's rollback deletes another's strings
    mid-search and it scores against the wrong names. A search takes milliseconds."""

    @functools.wraps(method)
    def guarded(self: MatchIndex, *args: Any, **kwargs: Any) -> T:
        # setdefault is atomic, and covers an index made by the file loader's __new__ too.
        with self.__dict__.setdefault("_guard", threading.RLock()):
            return method(self, *args, **kwargs)

    return guarded


class MatchIndex:
    """An index of records, searched one child at a time.

    Records are dicts with the columns of `cme.matching.records.COLUMNS` (any may be empty).
    Once built, storage is columnar: an int32 matrix of interned codes, a bytes array of ids,
    string tables (`cme.matching.strings`) and blocking keys as sorted arrays (`Postings`),
    with no Python object per record, so that it can be saved to a file that every web worker
    maps (`save`, `load`; `cme.matching.indexfile`). Records added or removed later go to a
    small in-memory part beside it. `block_cap` skips any blocking key shared by more records
    than that.

    `one_child` (the default) reads a search as looking for one child, who is at most one of
    the records (`scorer.share_among_candidates`): turn it off to find duplicates within the
    index's own records, where a record may have several.
    """

    def __init__(
        self,
        records: Iterable[Record] = (),
        model: Model | None = None,
        *,
        block_cap: int = 5000,
        one_child: bool = True,
    ) -> None:
        self.model = model or default_model()
        self.block_cap = block_cap
        self.one_child = one_child
        self.vocab = Vocabularies()
        self._base = Base.empty()
        self._reset_delta()
        self._live = 0
        self._fn_counts = np.zeros(0, dtype=np.int32)
        self._sn_counts = np.zeros(0, dtype=np.int32)
        # What built the index (the source and the change it had reached), kept in its file.
        self.meta: dict[str, Any] = {}
        self._building = True
        self.add(records)
        self.consolidate()
        self._building = False

    def _reset_delta(self) -> None:
        self._data = np.zeros((0, len(FIELDS)), dtype=np.int32)
        self._ids = np.zeros(0, dtype="S1")
        self._alive = np.zeros(0, dtype=bool)
        self._n = 0
        self._blocks = InvertedIndex()

    @classmethod
    def from_csv(cls, path: str | Path, model: Model | None = None) -> MatchIndex:
        return cls(read_csv(path), model)

    @classmethod
    def load(cls, path: str | Path, model: Model | None = None) -> MatchIndex:
        """The index saved at `path`, mapped read-only (IndexFileError if it does not fit)."""
        from cme.matching.indexfile import load

        return load(path, model or default_model())

    def save(self, path: str | Path) -> None:
        """Write the index to `path` (atomically: a reader sees the old file or the new)."""
        from cme.matching.indexfile import save

        save(self, path)

    def __len__(self) -> int:
        return self._live

    # -- changes ---------------------------------------------------------------------------
    @_one_at_a_time
    def add(self, records: Iterable[Record] | Record, chunk: int = 100_000) -> None:
        """Add records (a dict or an iterable of dicts); an id already present is replaced."""
        items: Iterable[Record] = [records] if isinstance(records, dict) else records  # type: ignore[assignment]
        batch: list[Record] = []
        for record in items:
            batch.append(record)
            if len(batch) >= chunk:
                self._add_batch(batch)
                batch = []
        if batch:
            self._add_batch(batch)

    def _add_batch(self, batch: list[Record]) -> None:
        ids = [record_field(r, "id") for r in batch]
        if not self._building:  # while building, `consolidate` drops the earlier of a repeat
            self._drop_existing(ids)
        encoded = encode_many(self.vocab, batch).astype(np.int32)
        start, n = self._n, len(batch)
        self._grow(start + n)
        self._data[start : start + n] = encoded
        id_bytes = np.array([i.encode() for i in ids])
        if id_bytes.dtype.itemsize > self._ids.dtype.itemsize:
            self._ids = self._ids.astype(id_bytes.dtype)
        self._ids[start : start + n] = id_bytes
        self._alive[start : start + n] = True
        self._n += n
        self._live += n
        rows, keys = record_keys(self.vocab, encoded)
        self._blocks.add(rows + start + len(self._base), keys)
        self._count(encoded, +1)

    def _drop_existing(self, ids: list[str]) -> None:
        if not self._live:
            return
        if len(ids) < 100 or not self._n:
            for rid in ids:
                self.remove(rid)
            return
        for rid in ids:
            self._remove_rows(self._base_rows(rid.encode()))
        new = np.array([i.encode() for i in ids])
        present = np.isin(self._ids[: self._n], new) & self._alive[: self._n]
        self._remove_rows(np.flatnonzero(present) + len(self._base))

    def _grow(self, size: int) -> None:
        if size <= len(self._data):
            return
        capacity = max(size, int(len(self._data) * 1.5), 1024)
        data = np.zeros((capacity, len(FIELDS)), dtype=np.int32)
        data[: self._n] = self._data[: self._n]
        ids = np.zeros(capacity, dtype=self._ids.dtype)
        ids[: self._n] = self._ids[: self._n]
        alive = np.zeros(capacity, dtype=bool)
        alive[: self._n] = self._alive[: self._n]
        self._data, self._ids, self._alive = data, ids, alive

    def _count(self, encoded: np.ndarray, sign: int) -> None:
        size = len(self.vocab.names)
        for attr, col in (("_fn_counts", "fn"), ("_sn_counts", "sn")):
            counts = getattr(self, attr)
            if len(counts) < size:
                counts = np.concatenate([counts, np.zeros(size - len(counts), dtype=np.int32)])
            codes = encoded[:, _COL[col]]
            np.add.at(counts, codes[codes >= 0], sign)
            setattr(self, attr, counts)

    def _base_rows(self, key: bytes) -> np.ndarray:
        rows = self._base.rows_between(key, None)
        return rows[self._base.alive[rows]]

    def _find(self, rid: str) -> np.ndarray:
        key = rid.encode()
        mine = np.flatnonzero((self._ids[: self._n] == key) & self._alive[: self._n])
        return np.concatenate([self._base_rows(key), mine + len(self._base)])

    def _remove_rows(self, rows: np.ndarray) -> None:
        if not rows.size:
            return
        rows = np.sort(rows)
        nb = len(self._base)
        base, mine = rows[rows < nb], rows[rows >= nb] - nb
        if base.size:
            self._base.alive[base] = False
        self._alive[mine] = False
        self._live -= rows.size
        self._count(self._take(self._base.data, self._data, rows), -1)

    @_one_at_a_time
    def remove(self, rid: str) -> bool:
        """Remove the record with this id; False if there was none."""
        rows = self._find(rid)
        self._remove_rows(rows)
        return bool(rows.size)

    def __contains__(self, rid: object) -> bool:
        return isinstance(rid, str) and bool(self._find(rid).size)

    @_one_at_a_time
    def ids_starting(self, prefix: str) -> list[str]:
        """The ids of the records present whose id starts with `prefix`, in id order."""
        key = prefix.encode()
        rows = self._base.rows_between(key, _prefix_end(key))
        found = [i.decode() for i in self._base.ids[rows[self._base.alive[rows]]].tolist()]
        mine = self._ids[: self._n]
        hit = np.char.startswith(mine, key) & self._alive[: self._n]
        found += [i.decode() for i in mine[hit].tolist()]
        return sorted(found)

    @_one_at_a_time
    def consolidate(self) -> None:
        """Fold the records added since the index was built into its columnar base (a copy of
        every array, so done once after building, not after each change)."""
        base, n = self._base, self._n
        width = max(base.ids.dtype.itemsize, self._ids.dtype.itemsize)
        ids = np.concatenate([base.ids.astype(f"S{width}"), self._ids[:n].astype(f"S{width}")])
        data = np.concatenate([base.data, self._data[:n]])
        alive = np.concatenate([base.alive, self._alive[:n]])
        order = np.argsort(ids, kind="stable").astype(np.int32)
        # An id added twice while building: the later record replaces the earlier, as `add`
        # does for one already present.
        ordered = ids[order]
        repeated = np.flatnonzero(ordered[1:] == ordered[:-1])
        replaced = order[repeated]
        replaced = replaced[alive[replaced]]
        if replaced.size:
            alive[replaced] = False
            self._live -= replaced.size
            self._count(data[replaced], -1)
        old_rows, old_keys = base.postings.pairs()
        new_rows, new_keys = self._blocks.pairs()
        postings = Postings.build(
            np.concatenate([old_rows, new_rows]).astype(np.int32),
            np.concatenate([old_keys, new_keys]),
        )
        self._base = Base(data, ids, alive, order, postings)
        self._reset_delta()
        freeze(self.vocab)
        table_signatures(self.vocab.names)  # made once here, before any fork, and shared
        self._count(np.zeros((0, len(FIELDS)), dtype=np.int32), 0)  # counts as long as names

    # -- search ----------------------------------------------------------------------------
    @staticmethod
    def _take(base: np.ndarray, mine: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Rows (ascending) of the base and of the part added since, as one array (by
        `np.take`, which copies a matrix's rows whole: a third of the time of indexing)."""
        nb = len(base)
        split = int(np.searchsorted(rows, nb))
        if split == rows.size:
            return np.take(base, rows, axis=0)
        return np.concatenate(
            [np.take(base, rows[:split], axis=0), np.take(mine, rows[split:] - nb, axis=0)]
        )

    @_one_at_a_time
    def candidates(self, record: Record) -> np.ndarray:
        """Rows sharing a blocking key with the record (for diagnostics and benchmarks)."""
        mark = vocab_mark(self.vocab)
        try:
            q = encode_many(self.vocab, [record]).astype(np.int32)
            return self._candidates(q)
        finally:
            vocab_rollback(self.vocab, mark)

    def _candidates(self, q: np.ndarray) -> np.ndarray:
        probe = query_keys(self.vocab, q)
        postings = self._base.postings
        start, count = postings.spans(probe)
        total = count + (self._blocks.counts(probe) if self._n else 0)
        small = total <= self.block_cap
        parts = [
            postings.rows[a : a + c]
            for a, c in zip(start[small].tolist(), count[small].tolist(), strict=True)
            if c
        ]
        if self._n:
            parts += self._blocks.rows_of(probe[small])
        if not parts:
            return np.zeros(0, dtype=np.int64)
        # sorted and distinct (np.unique's hashing costs five times this sort at this size)
        rows = np.sort(np.concatenate(parts)).astype(np.int64)
        if rows.size > 1:
            rows = rows[np.concatenate([[True], rows[1:] != rows[:-1]])]
        return rows[self._take(self._base.alive, self._alive, rows)]

    @_one_at_a_time
    def search(
        self,
        record: Record,
        limit: int = 10,
        min_probability: float = 0.0,
        exclude: Collection[str] = (),
    ) -> list[Match]:
        """The most likely matches for a record, best first.

        `exclude`: ids of children (`records.child_id`) whose records are not candidates at
        all, such as the child's own record on the register: neither returned nor rivals.

        Only the candidates whose weight can still reach the top `limit` (or
        `min_probability`), and those that could be rivals, are scored in full
        (`_worth_scoring`): the answer is the one scoring every candidate gives
        (`_search(..., prune=False)`), for a fraction of the string work.
        """
        return self._search(record, limit, min_probability, exclude, prune=True)

    def _search(
        self,
        record: Record,
        limit: int,
        min_probability: float,
        exclude: Collection[str] = (),
        prune: bool = True,
    ) -> list[Match]:
        mark = vocab_mark(self.vocab)
        try:
            q = encode_many(self.vocab, [record]).astype(np.int32)
            rows = self._candidates(q)
            if not rows.size:
                return []
            x = side_from_matrix(q)
            # by column: every comparison reads a column at a time
            data = np.asfortranarray(self._take(self._base.data, self._data, rows))
            y = side_from_matrix(data)
            tf = TermFrequencies(self._fn_counts, self._sn_counts, self._live)
            excluded = frozenset(exclude)
            own_id = record_field(record, "id").encode()
            if prune and rows.size > PRUNE_FROM and limit > 0 and fits(self.model):
                scored, kept, ids, own = self._worth_scoring(
                    x, y, rows, tf, limit, min_probability, own_id, excluded
                )
                y = y.take(kept)
            else:
                scored = score(self.model, self.vocab, x, y, rows.size, tf, self._live)
                ids = self._take(self._base.ids, self._ids, rows)
                own = ids == own_id
                if self.one_child:
                    self._share(scored, y, ids, own, excluded)
            order = np.lexsort((-own.astype(np.int8), -scored.weight))
            order = order[scored.probability[order] >= min_probability]
            found: list[Match] = []
            for i in order.tolist():
                if len(found) == limit:
                    break
                if excluded and child_id(ids[i].decode()) in excluded:
                    continue
                found.append(self._match(scored, x, y, i, ids))
            return found
        finally:
            vocab_rollback(self.vocab, mark)

    def _worth_scoring(self, x, y, rows, tf, limit, min_probability, own_id, excluded):
        """Score the candidates that can matter, and share the probability among them as
        scoring every candidate would: (scored, their positions, ids, own).

        Every candidate's pair weight is bounded (`bounds.weight_bounds`). Those whose bound
        reaches `RIVAL_MIN_WEIGHT` could be rivals in the sharing
        (`scorer.share_among_candidates`); they are scored, with the searched record itself.
        Sharing takes the same off every other candidate (none is a rival, and a candidate
        too weak to be one is a child of its own), so among those the order is their pair
        weights': one whose upper bound is below the `limit`-th highest lower bound of the
        others not excluded has `limit` candidates above it, and one below `min_probability`
        on its bound alone is below it after sharing. The rest are scored too, and sharing
        applied to all those scored gives what it gives applied to all (every rival is
        among them)."""
        n = rows.size
        high, low = weight_bounds(self.model, self.vocab, x, y, n, tf, self._live)
        mine = self._find(own_id.decode())  # the searched record's rows: most often none
        own = np.isin(rows, mine) if mine.size else np.zeros(n, dtype=bool)
        must = own.copy()
        if self.one_child:
            must |= high >= RIVAL_MIN_WEIGHT
        others = ~must
        floor = self._floor(np.where(others, low, -np.inf), rows, limit, excluded)
        wanted = others & (high >= floor)
        if min_probability > 0:
            wanted &= probability(high) >= min_probability
        kept = np.flatnonzero(wanted | must)
        scored = score(self.model, self.vocab, x, y.take(kept), kept.size, tf, self._live)
        ids = self._take(self._base.ids, self._ids, rows[kept])
        if self.one_child and kept.size:
            self._share(scored, y.take(kept), ids, own[kept], excluded)
        return scored, kept, ids, own[kept]

    def _floor(self, low, rows, limit, excluded) -> float:
        """The `limit`-th highest of `low` among the candidates not excluded (-inf if fewer)."""
        if low.size < limit:
            return -np.inf
        if not excluded:
            return float(np.partition(low, low.size - limit)[low.size - limit])
        counted = 0
        for i in np.argsort(-low, kind="stable").tolist():
            if low[i] == -np.inf:
                break
            rid = self._take(self._base.ids, self._ids, rows[i : i + 1])[0]
            if child_id(bytes(rid).decode()) not in excluded:
                counted += 1
                if counted == limit:
                    return float(low[i])
        return -np.inf

    @staticmethod
    def _share(scored, y, ids: np.ndarray, own: np.ndarray, excluded: frozenset[str]) -> None:
        """A referral is one child (`scorer.share_for_one_child`); ids are read as asked."""
        share_for_one_child(
            scored, y, lambda at: [ids[i].decode() for i in at], not_rival=own, excluded=excluded
        )

    def _match(self, scored, x, y, i: int, ids: np.ndarray) -> Match:
        p = float(scored.probability[i])
        return Match(
            id=ids[i].decode(),
            probability=p,
            band=self.model.band(p),
            reasons=reasons(self.model, self.vocab, scored, x, y, i),
            match_weight=float(scored.weight[i]),
        )

    @property
    def nbytes(self) -> int:
        """Bytes held in the numpy arrays and string tables (mapped or not)."""
        arrays = (self._data, self._ids, self._alive, self._fn_counts, self._sn_counts)
        tables = sum(
            t.nbytes
            for t in (getattr(self.vocab, n) for n in VOCAB_NAMES)
            if isinstance(t, FrozenVocab)
        )
        return int(sum(a.nbytes for a in arrays) + self._blocks.nbytes + self._base.nbytes + tables)


def compare(a: Record, b: Record, model: Model | None = None) -> Match:
    """Score one pair of records (no term-frequency adjustment); the id is b's."""
    model = model or default_model()
    vocab = Vocabularies()
    x = side_from_matrix(encode_many(vocab, [a]))
    y = side_from_matrix(encode_many(vocab, [b]))
    scored = score(model, vocab, x, y, 1)
    p = float(scored.probability[0])
    return Match(
        id=record_field(b, "id"),
        probability=p,
        band=model.band(p),
        reasons=reasons(model, vocab, scored, x, y, 0),
        match_weight=float(scored.weight[0]),
    )
