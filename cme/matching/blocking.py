"""Blocking keys in a compact inverted index: sorted int64 keys with int32 row numbers.

Each record posts a handful of keys (UPN; date of birth; forename group with surname sound;
surname part with birth year; forename group with birth year; postcode unit; each given name,
first or middle, with each surname part).
A lookup probes the same keys for the query (plus day/month swapped date and swapped names)
and unions the rows found. New records go to a small pending list merged in batches.
"""

from __future__ import annotations

import numpy as np

from cme.matching.comparisons import swap_day_month
from cme.matching.features import FIELDS, Vocabularies

COL = {name: i for i, name in enumerate(FIELDS)}
_SHIFT = np.int64(28)
_MASK = np.int64((1 << 28) - 1)
_NAME_OFFSET = 1 << 20  # name keys of forenames not in the table: code + offset


def _key(kind: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a64 = a.astype(np.int64) & _MASK
    b64 = b.astype(np.int64) & _MASK
    return (np.int64(kind) << np.int64(56)) | (a64 << _SHIFT) | b64


_GROUP_IDS: dict[int, dict[str, int]] = {}


def _group_ids(vocab: Vocabularies) -> dict[str, int]:
    table = vocab.groups.table
    found = _GROUP_IDS.get(id(table))
    if found is None:
        found = {g: i for i, g in enumerate(sorted(table.kinds))}
        _GROUP_IDS[id(table)] = found
    return found


def name_keys(
    vocab: Vocabularies, fn: np.ndarray, fgs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) pairs: each variant group of a forename, or the forename itself."""
    group_ids = _group_ids(vocab)
    rows_out: list[np.ndarray] = []
    keys_out: list[np.ndarray] = []
    plain = np.flatnonzero((fgs < 0) & (fn >= 0))
    rows_out.append(plain)
    keys_out.append(fn[plain].astype(np.int64) + _NAME_OFFSET)
    for code in np.unique(fgs[fgs >= 0]).tolist():
        rows = np.flatnonzero(fgs == code)
        for group in vocab.groups.sets[code]:
            rows_out.append(rows)
            keys_out.append(np.full(rows.size, group_ids[group], dtype=np.int64))
    return np.concatenate(rows_out), np.concatenate(keys_out)


def record_keys(vocab: Vocabularies, data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (row, key) postings for the rows of an encoded matrix."""
    c = {name: data[:, i] for name, i in COL.items()}
    year = np.where(c["dob"] >= 0, c["dob"] // 10_000, -1)
    rows: list[np.ndarray] = []
    keys: list[np.ndarray] = []

    def post(kind: int, r: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
        ok = (a >= 0) & (b >= 0)
        rows.append(r[ok])
        keys.append(_key(kind, a[ok], b[ok]))

    every = np.arange(len(data))
    zero = np.zeros(len(data), dtype=np.int64)
    post(0, every, c["upn"], zero)
    post(1, every, c["dob"], zero)
    nrows, nkeys = name_keys(vocab, c["fn"], c["fgs"])
    post(2, nrows, nkeys, c["sp"][nrows])
    post(4, nrows, nkeys, year[nrows])
    post(3, every, c["st1"], year)
    post(3, every, c["st2"], year)
    post(5, every, c["pcu"], zero)  # a postcode unit holds a dozen or so households
    # A given name (first or middle) with a surname part, whatever the date: a child whose
    # surname was double-barrelled or changed and whose date of birth is mistyped, or who is
    # known by a middle name, shares no other key with their record once they have moved.
    given = [(nrows, nkeys)]
    given += [name_keys(vocab, c[m], c[g]) for m, g in (("mid", "mgs"), ("mid2", "mgs2"))]
    given_rows = np.concatenate([r for r, _ in given])
    given_keys = np.concatenate([k for _, k in given])
    post(6, given_rows, given_keys, c["st1"][given_rows])
    post(6, given_rows, given_keys, c["st2"][given_rows])
    return np.concatenate(rows).astype(np.int32), np.concatenate(keys)


def query_keys(vocab: Vocabularies, q: np.ndarray) -> np.ndarray:
    """The keys to probe for one encoded query (1-row matrix)."""
    _, keys = record_keys(vocab, q)
    extra = []
    c = {name: q[:, i] for name, i in COL.items()}
    swapped = swap_day_month(c["dob"].astype(np.int64))
    if swapped[0] >= 0:
        extra.append(_key(1, swapped, np.zeros(1, dtype=np.int64)))
    # forename and surname exchanged: surname as a forename key, with the forename's sound
    sn_text = vocab.names.lookup(int(c["sn"][0]))
    if sn_text and c["fp"][0] >= 0:
        gs = np.array([vocab.groups.code(sn_text)])
        _, nkeys = name_keys(vocab, c["sn"], gs)
        extra.append(_key(2, nkeys, np.full(nkeys.size, c["fp"][0])))
    return np.unique(np.concatenate([keys, *extra]))


class Postings:
    """An immutable inverted index in compressed-row form: `keys` sorted and distinct, the rows
    of key i are `rows[starts[i]:starts[i + 1]]` (ascending). Its arrays map from the index file."""

    def __init__(self, keys: np.ndarray, starts: np.ndarray, rows: np.ndarray) -> None:
        self.keys = keys
        self.starts = starts
        self.rows = rows

    @classmethod
    def build(cls, rows: np.ndarray, keys: np.ndarray) -> Postings:
        order = np.lexsort((rows, keys))
        keys, rows = keys[order], rows[order].astype(np.int32)
        first = np.ones(keys.size, dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        where = np.flatnonzero(first)
        starts = np.append(where, keys.size).astype(np.int64)
        return cls(keys[where], starts, rows)

    @classmethod
    def empty(cls) -> Postings:
        return cls(np.zeros(0, np.int64), np.zeros(1, np.int64), np.zeros(0, np.int32))

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Every (row, key) posting."""
        return self.rows, np.repeat(self.keys, np.diff(self.starts))

    def spans(self, probe: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each probe key: where its rows start and how many there are (0 if absent)."""
        at = np.searchsorted(self.keys, probe)
        inside = np.minimum(at, max(self.keys.size - 1, 0))
        hit = (at < self.keys.size) & (self.keys[inside] == probe) if self.keys.size else at < 0
        start = np.where(hit, self.starts[inside], 0)
        count = np.where(hit, self.starts[np.minimum(inside + 1, self.keys.size)] - start, 0)
        return start, count

    @property
    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.starts.nbytes + self.rows.nbytes)


class InvertedIndex:
    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)
        self.rows = np.zeros(0, dtype=np.int32)
        self.pending_keys: list[np.ndarray] = []
        self.pending_rows: list[np.ndarray] = []
        self.pending_size = 0

    def add(self, rows: np.ndarray, keys: np.ndarray) -> None:
        self.pending_keys.append(keys)
        self.pending_rows.append(rows)
        self.pending_size += keys.size
        if self.pending_size > max(50_000, self.keys.size // 20):
            self.merge()

    def merge(self) -> None:
        if not self.pending_size:
            return
        keys = np.concatenate([self.keys, *self.pending_keys])
        rows = np.concatenate([self.rows, *self.pending_rows])
        order = np.argsort(keys, kind="stable")
        self.keys, self.rows = keys[order], rows[order]
        self.pending_keys, self.pending_rows, self.pending_size = [], [], 0

    def counts(self, probe: np.ndarray) -> np.ndarray:
        """How many postings each probe key has (merged and pending)."""
        lo = np.searchsorted(self.keys, probe, side="left")
        hi = np.searchsorted(self.keys, probe, side="right")
        found = hi - lo
        if self.pending_size:
            keys = np.concatenate(self.pending_keys)
            found = found + (keys[None, :] == probe[:, None]).sum(axis=1)
        return found

    def rows_of(self, probe: np.ndarray) -> list[np.ndarray]:
        """The rows posted under each of the probe keys (in no particular order)."""
        lo = np.searchsorted(self.keys, probe, side="left")
        hi = np.searchsorted(self.keys, probe, side="right")
        parts = [self.rows[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
        if self.pending_size:
            keys = np.concatenate(self.pending_keys)
            rows = np.concatenate(self.pending_rows)
            parts.append(rows[np.isin(keys, probe)])
        return parts

    def lookup(self, probe: np.ndarray, cap: int) -> np.ndarray:
        lo = np.searchsorted(self.keys, probe, side="left")
        hi = np.searchsorted(self.keys, probe, side="right")
        parts = [
            self.rows[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b - a <= cap
        ]
        if self.pending_size:
            keys = np.concatenate(self.pending_keys)
            rows = np.concatenate(self.pending_rows)
            parts.append(rows[np.isin(keys, probe)])
        if not parts:
            return np.zeros(0, dtype=np.int32)
        return np.unique(np.concatenate(parts))

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        self.merge()
        return self.rows, self.keys

    @property
    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.rows.nbytes)
