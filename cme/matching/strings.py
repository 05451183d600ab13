"""String tables without a Python object per string: one buffer, offsets, a sorted hash array.

An index of 9 million children interns about 20 million strings (a UPN each, an address per
household, names, postcodes). As a dict and a list that is roughly 150 bytes of Python objects
a string, in every process that holds the index, and copy-on-write after a fork does not keep
them shared (reference counts write to every object). A `StringTable` keeps the same strings
in three numpy arrays and a buffer, which map straight from the index file
(`cme.matching.indexfile`) and stay shared between the web workers: about 12 bytes a string
besides its text.

`FrozenVocab` puts a table behind the interface of `features.Vocab` (`code`, `lookup`,
`texts`, `mark`, `rollback`), with the strings that records added later bring in a small
dict on top, so an index can still change in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import blake2b
from typing import Any

import numpy as np

from cme.matching.features import MISSING, Vocab, Vocabularies


def text_hash(data: bytes) -> int:
    """A 64-bit hash that is the same in every process (Python's own `hash` is salted)."""
    return int.from_bytes(blake2b(data, digest_size=8).digest(), "little")


class StringTable:
    """Immutable strings by code: `blob[offsets[c]:offsets[c + 1]]` is string c in UTF-8.

    `hashes` is sorted, `order[i]` the code whose hash is `hashes[i]`; equal hashes (a
    collision) sit side by side and are told apart by comparing the text.
    """

    def __init__(
        self,
        blob: Any,
        offsets: np.ndarray,
        hashes: np.ndarray,
        order: np.ndarray,
        start: int = 0,
    ):
        # bytes, or the mmap of the index file with the strings from `start`: slicing either
        # gives bytes (a memoryview's slices are three times slower to decode)
        self.blob = blob
        self.start = start
        self.offsets = offsets
        self.hashes = hashes
        self.order = order
        self.size = len(offsets) - 1

    @classmethod
    def build(cls, strings: Sequence[str]) -> StringTable:
        encoded = [s.encode() for s in strings]
        n = len(encoded)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=n), out=offsets[1:])
        hashes = np.fromiter(map(text_hash, encoded), dtype=np.uint64, count=n)
        order = np.argsort(hashes, kind="stable")
        return cls(b"".join(encoded), offsets, hashes[order], order.astype(np.int32))

    def arrays(self) -> dict[str, np.ndarray]:
        count = int(self.offsets[-1])
        blob = np.frombuffer(self.blob, dtype=np.uint8, count=count, offset=self.start)
        return {"blob": blob, "offsets": self.offsets, "hashes": self.hashes, "order": self.order}

    def _raw(self, code: int) -> bytes:
        at = self.start
        return self.blob[at + int(self.offsets[code]) : at + int(self.offsets[code + 1])]

    def text(self, code: int) -> str:
        return self._raw(code).decode()

    def texts(self, codes: np.ndarray) -> list[str]:
        # a lookup asks for a few dozen strings at a time, dozens of times: arrays only to
        # read the offsets, the start added in Python
        starts = self.offsets[codes].tolist()
        ends = self.offsets[codes + 1].tolist()
        blob, at = self.blob, self.start
        return [blob[at + a : at + b].decode() for a, b in zip(starts, ends, strict=True)]

    def find(self, text: str) -> int:
        """The code of `text`, or MISSING."""
        data = text.encode()
        h = np.uint64(text_hash(data))
        i = int(np.searchsorted(self.hashes, h))
        while i < self.size and self.hashes[i] == h:
            code = int(self.order[i])
            if self._raw(code) == data:
                return code
            i += 1
        return MISSING

    @property
    def nbytes(self) -> int:
        return int(self.offsets[-1] + self.offsets.nbytes + self.hashes.nbytes + self.order.nbytes)


class _Strings:
    """`vocab.strings[i]` for a FrozenVocab (the level functions index it like a list)."""

    def __init__(self, vocab: FrozenVocab) -> None:
        self.vocab = vocab

    def __getitem__(self, code: int) -> str:
        return self.vocab.lookup(code)

    def __len__(self) -> int:
        return len(self.vocab)


class FrozenVocab(Vocab):
    """A StringTable, plus the strings added since it was built (codes from its size up)."""

    def __init__(self, table: StringTable) -> None:
        super().__init__()
        self.table = table
        self.extra = Vocab()  # its codes are offset by the table's size
        self.strings = _Strings(self)  # type: ignore[assignment]

    def code(self, text: str) -> int:
        if not text:
            return MISSING
        found = self.table.find(text)
        if found >= 0:
            return found
        return self.table.size + self.extra.code(text)

    def lookup(self, code: int) -> str:
        if code < 0:
            return ""
        if code < self.table.size:
            return self.table.text(code)
        return self.extra.strings[code - self.table.size]

    def texts(self, codes: np.ndarray) -> list[str]:
        codes = np.asarray(codes)
        if not codes.size or int(codes.max()) < self.table.size:
            return self.table.texts(codes)
        return [self.lookup(c) for c in codes.tolist()]

    def all_strings(self) -> list[str]:
        return self.table.texts(np.arange(self.table.size)) + list(self.extra.strings)

    def mark(self) -> int:
        return len(self)

    def rollback(self, size: int) -> None:
        self.extra.rollback(size - self.table.size)

    def __len__(self) -> int:
        return self.table.size + len(self.extra)

    @property
    def nbytes(self) -> int:
        return self.table.nbytes


VOCAB_NAMES = ("names", "phonetic", "postcodes", "upns", "addresses")


def freeze(vocab: Vocabularies) -> None:
    """Replace each dict-backed string table of `vocab` by a StringTable, keeping the codes."""
    for name in VOCAB_NAMES:
        current = getattr(vocab, name)
        strings = current.all_strings() if isinstance(current, FrozenVocab) else current.strings
        setattr(vocab, name, FrozenVocab(StringTable.build(strings)))
