"""MatchIndex: find the records in a register most likely to be a given child."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cme.matching.blocking import InvertedIndex, query_keys, record_keys
from cme.matching.features import (
    FIELDS,
    Vocabularies,
    encode_many,
    side_from_matrix,
    vocab_mark,
    vocab_rollback,
)
from cme.matching.model import Model, default_model
from cme.matching.records import Record, read_csv
from cme.matching.records import field as record_field
from cme.matching.scorer import TermFrequencies, reasons, score

_COL = {name: i for i, name in enumerate(FIELDS)}


@dataclass(frozen=True)
class Match:
    """One candidate: its id, the match probability, the band and the reasons."""

    id: str
    probability: float
    band: str
    reasons: list[str] = field(default_factory=list)
    match_weight: float = 0.0


class MatchIndex:
    """An in-memory index of records, searched one child at a time.

    Records are dicts with the columns of `cme.matching.records.COLUMNS` (any may be empty).
    Storage is an int32 matrix of interned codes, a bytes array of ids and a sorted inverted
    index of blocking keys; `block_cap` skips any blocking key shared by more records than that.
    """

    def __init__(
        self, records: Iterable[Record] = (), model: Model | None = None, *, block_cap: int = 5000
    ) -> None:
        self.model = model or default_model()
        self.block_cap = block_cap
        self.vocab = Vocabularies()
        self._data = np.zeros((0, len(FIELDS)), dtype=np.int32)
        self._ids = np.zeros(0, dtype="S1")
        self._alive = np.zeros(0, dtype=bool)
        self._n = 0
        self._live = 0
        self._blocks = InvertedIndex()
        self._fn_counts = np.zeros(0, dtype=np.int32)
        self._sn_counts = np.zeros(0, dtype=np.int32)
        self.add(records)
        self._blocks.merge()

    @classmethod
    def from_csv(cls, path: str | Path, model: Model | None = None) -> MatchIndex:
        return cls(read_csv(path), model)

    def __len__(self) -> int:
        return self._live

    # -- changes ---------------------------------------------------------------------------
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
        self._blocks.add(rows + start, keys)
        self._count(encoded, +1)

    def _drop_existing(self, ids: list[str]) -> None:
        if not self._live:
            return
        if len(ids) < 100:
            for rid in ids:
                self.remove(rid)
            return
        new = np.array([i.encode() for i in ids])
        present = np.isin(self._ids[: self._n], new) & self._alive[: self._n]
        for row in np.flatnonzero(present).tolist():
            self.remove(self._ids[row].decode())

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

    def _find(self, rid: str) -> np.ndarray:
        key = rid.encode()
        return np.flatnonzero((self._ids[: self._n] == key) & self._alive[: self._n])

    def remove(self, rid: str) -> bool:
        """Remove the record with this id; False if there was none."""
        rows = self._find(rid)
        if not rows.size:
            return False
        self._alive[rows] = False
        self._live -= rows.size
        self._count(self._data[rows], -1)
        return True

    # -- search ----------------------------------------------------------------------------
    def candidates(self, record: Record) -> np.ndarray:
        """Rows sharing a blocking key with the record (for diagnostics and benchmarks)."""
        mark = vocab_mark(self.vocab)
        try:
            q = encode_many(self.vocab, [record]).astype(np.int32)
            return self._candidates(q)
        finally:
            vocab_rollback(self.vocab, mark)

    def _candidates(self, q: np.ndarray) -> np.ndarray:
        rows = self._blocks.lookup(query_keys(self.vocab, q), self.block_cap)
        return rows[self._alive[rows]]

    def search(self, record: Record, limit: int = 10, min_probability: float = 0.0) -> list[Match]:
        """The most likely matches for a record, best first."""
        mark = vocab_mark(self.vocab)
        try:
            q = encode_many(self.vocab, [record]).astype(np.int32)
            rows = self._candidates(q)
            if not rows.size:
                return []
            x = side_from_matrix(q)
            y = side_from_matrix(self._data[rows])
            tf = TermFrequencies(self._fn_counts, self._sn_counts, self._live)
            scored = score(self.model, self.vocab, x, y, rows.size, tf, register_size=self._live)
            own = (self._ids[rows] == record_field(record, "id").encode()).astype(np.int8)
            order = np.lexsort((-own, -scored.weight))
            order = order[scored.probability[order] >= min_probability][:limit]
            return [self._match(scored, x, y, int(i), rows) for i in order]
        finally:
            vocab_rollback(self.vocab, mark)

    def _match(self, scored, x, y, i: int, rows: np.ndarray) -> Match:
        p = float(scored.probability[i])
        return Match(
            id=self._ids[rows[i]].decode(),
            probability=p,
            band=self.model.band(p),
            reasons=reasons(self.model, self.vocab, scored, x, y, i),
            match_weight=float(scored.weight[i]),
        )

    @property
    def nbytes(self) -> int:
        """Bytes held in the numpy arrays (not counting the string tables)."""
        arrays = (self._data, self._ids, self._alive, self._fn_counts, self._sn_counts)
        return int(sum(a.nbytes for a in arrays) + self._blocks.nbytes)


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
