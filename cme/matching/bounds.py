"""Bounds on a pair's match weight from codes alone, so that a lookup scores in full only the
candidates that can still reach its top matches (`MatchIndex.search`).

Every level of a comparison is reached through a cascade of conditions (`comparisons.py`).
Most are code equalities or group lookups, known exactly from the int32 codes; the rest are
string similarities (Jaro-Winkler of names, Levenshtein of addresses), which cost a decode
and a string comparison per distinct pair. Here a string condition is "possible" unless a
cheap test rules it out, and a level is reachable when its condition is possible and no
earlier condition is known to hold. The highest and lowest weight among a pair's reachable
levels bound its weight; the swap of forename and surname only raises a weight (it is
bounded the same way on the exchanged sides), and the sibling guard only lowers one.

The cheap test for Jaro-Winkler is an upper bound from each name's letters: the characters
two strings match can be no more than the letters they have in common (a multiset
intersection), and the Winkler bonus no more than their common prefix. A name's letter
counts, length and first bytes (`NameSignatures`) are made once per string table, in numpy
over its buffer, and for the few strings outside the table (a query's own, records added
since the file was built) when a lookup meets them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cme.matching.comparisons import (
    COMPARISONS,
    MIDDLE_NEAR,
    Context,
    dob_levels,
    given_as_middle,
    middle_pairs,
    sex_levels,
    upn_levels,
)
from cme.matching.features import Side, Vocab, Vocabularies
from cme.matching.model import Model
from cme.matching.scorer import TF_MIN_RECORDS, TermFrequencies, tf_weight

_LETTERS = 27  # a-z, then every other byte in one bucket
_PREFIX = 4  # the Winkler bonus counts at most four characters
_FEW_STRINGS = 8  # signatures made in Python up to this many strings
# Floating point: a bound and the weight it bounds are sums taken in different orders.
EPSILON = 1e-6


@dataclass
class NameSignatures:
    """Per string: letter counts, length in characters, length in bytes, first bytes."""

    counts: np.ndarray  # (n, 27) uint8 or uint16
    chars: np.ndarray  # (n,) int32
    size: np.ndarray  # (n,) int32, bytes
    prefix: np.ndarray  # (n, 4) uint8, zero past the end

    @classmethod
    def of_buffer(cls, blob: np.ndarray, offsets: np.ndarray) -> NameSignatures:
        """Signatures of the strings `blob[offsets[i]:offsets[i + 1]]` (UTF-8)."""
        n = len(offsets) - 1
        sizes = np.diff(offsets).astype(np.int64)
        owner = np.repeat(np.arange(n, dtype=np.int64), sizes)
        letter = blob.astype(np.int64) - ord("a")
        bucket = np.where((letter >= 0) & (letter < 26), letter, 26)
        counts = np.bincount(owner * _LETTERS + bucket, minlength=n * _LETTERS)
        counts = counts.reshape(n, _LETTERS)
        # Continuation bytes (10xxxxxx) do not start a character.
        starts = (blob & 0xC0) != 0x80
        chars = np.bincount(owner, weights=starts, minlength=n).astype(np.int32)
        prefix = np.zeros((n, _PREFIX), dtype=np.uint8)
        for i in range(_PREFIX):
            has = sizes > i
            prefix[has, i] = blob[offsets[:-1][has] + i]
        dtype = np.uint8 if (counts.max() if counts.size else 0) <= 255 else np.uint16
        return cls(counts.astype(dtype), chars, sizes.astype(np.int32), prefix)

    @classmethod
    def of_strings(cls, strings: list[str]) -> NameSignatures:
        encoded = [s.encode() for s in strings]
        if len(encoded) <= _FEW_STRINGS:
            return cls._of_few(encoded)
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        return cls.of_buffer(blob, offsets)

    @classmethod
    def _of_few(cls, encoded: list[bytes]) -> NameSignatures:
        """`of_buffer`'s signatures for a few strings (a query's own names), in plain Python:
        a dozen array operations cost more than counting a few letters."""
        counts = np.zeros((len(encoded), _LETTERS), dtype=np.int64)
        prefix = np.zeros((len(encoded), _PREFIX), dtype=np.uint8)
        chars = []
        for i, data in enumerate(encoded):
            row = [0] * _LETTERS
            for byte in data:
                letter = byte - 97  # ord("a")
                row[letter if 0 <= letter < 26 else 26] += 1
            counts[i] = row
            prefix[i, : min(len(data), _PREFIX)] = list(data[:_PREFIX])
            chars.append(sum(1 for byte in data if byte & 0xC0 != 0x80))
        dtype = np.uint8 if (counts.max() if counts.size else 0) <= 255 else np.uint16
        sizes = np.array([len(data) for data in encoded], dtype=np.int32)
        return cls(counts.astype(dtype), np.array(chars, dtype=np.int32), sizes, prefix)

    def take(self, at: np.ndarray) -> NameSignatures:
        return NameSignatures(self.counts[at], self.chars[at], self.size[at], self.prefix[at])


def table_signatures(names: Vocab) -> NameSignatures | None:
    """The signatures of a frozen names table, made once and kept on the table."""
    table = getattr(names, "table", None)
    if table is None:
        return None
    found: NameSignatures | None = getattr(table, "signatures", None)
    if found is None:
        found = NameSignatures.of_buffer(table.arrays()["blob"], table.offsets)
        table.signatures = found
    return found


def signatures(names: Vocab, codes: np.ndarray) -> NameSignatures:
    """Signatures of these codes (none missing): from the table, or made for the others."""
    table = table_signatures(names)
    size = table.counts.shape[0] if table is not None else 0
    if table is not None and (not codes.size or int(codes.max()) < size):
        return table.take(codes)
    outside = codes >= size
    if table is None or not size:
        return NameSignatures.of_strings(names.texts(codes))
    made = NameSignatures.of_strings(names.texts(codes[outside]))
    inside = table.take(np.where(outside, 0, codes))
    if made.counts.dtype.itemsize > inside.counts.dtype.itemsize:
        inside.counts = inside.counts.astype(made.counts.dtype)
    for name in ("counts", "chars", "size", "prefix"):
        getattr(inside, name)[outside] = getattr(made, name)
    return inside


def _similarity_bound(
    sa: NameSignatures, sb: NameSignatures, common: np.ndarray | None = None
) -> np.ndarray:
    """Upper bound on Jaro-Winkler for each pair of the two (broadcast) sets of signatures:
    Jaro counts matching characters, which are at most the letters in common, and Winkler
    adds 0.1 * (1 - Jaro) per character of common prefix, at most four (rapidfuzz adds it
    only above a Jaro of 0.7, which this need not know to stay an upper bound)."""
    if common is None:
        common = np.minimum(sa.counts, sb.counts).sum(axis=-1, dtype=np.int64)
    la, lb = sa.chars.astype(np.float64), sb.chars.astype(np.float64)
    common = np.minimum(common, np.minimum(la, lb))
    with np.errstate(divide="ignore", invalid="ignore"):
        jaro = np.where(common > 0, (common / la + common / lb + 1.0) / 3.0, 0.0)
    # Common prefix in bytes, up to four and within both strings: at least the common prefix
    # in characters. The four first bytes read as one big-endian number, the bytes that agree
    # from the start are the leading zero bytes of the two numbers' exclusive or.
    differ = _first_bytes(sa.prefix) ^ _first_bytes(sb.prefix)
    agree = (differ < 1 << 24).astype(np.int64)
    agree += differ < 1 << 16
    agree += differ < 1 << 8
    agree += differ == 0
    prefix = np.minimum(agree, np.minimum(sa.size, sb.size))
    return jaro + 0.1 * prefix * (1.0 - jaro)


def _first_bytes(prefix: np.ndarray) -> np.ndarray:
    """(..., 4) uint8 as (...) uint32, the first byte the most significant."""
    return np.ascontiguousarray(prefix).view(">u4")[..., 0].astype(np.uint32)


def _common_letters(few: np.ndarray, many: np.ndarray) -> np.ndarray:
    """sum(min(few[i], many[j])) over the letters, for each pair of rows of two count
    matrices: the sum over t >= 1 of [few >= t] . [many >= t], a matrix product per count up
    to the largest in `few` (a name's letters repeat two or three times at most)."""
    common = np.zeros((len(few), len(many)), dtype=np.float64)
    for t in range(1, int(few.max(initial=0)) + 1):
        # only the letters that `few` has t times (a name has a dozen letters, fewer twice)
        letters = np.flatnonzero((few >= t).any(axis=0))
        mine = (few[:, letters] >= t).astype(np.float64)
        theirs = (many[:, letters] >= t).astype(np.float64)
        common += mine @ theirs.T
    return common


def _distinct(codes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(codes, return_inverse=True)` for codes in -1..size-1: by a table as long
    as the vocabulary when that is short beside the codes (a tenth of the time)."""
    if size > 8 * codes.size:
        distinct, spread = np.unique(codes, return_inverse=True)
        return distinct, spread.reshape(-1)
    seen = np.zeros(size + 1, dtype=bool)
    shifted = codes + 1
    seen[shifted] = True
    rank = np.cumsum(seen) - 1
    return np.flatnonzero(seen) - 1, np.take(rank, shifted)


def _signatures_or_blank(names: Vocab, codes: np.ndarray) -> NameSignatures:
    """Signatures of codes that may be missing (-1: all zero)."""
    present = codes >= 0
    k = len(codes)
    if not present.any():
        return NameSignatures(
            np.zeros((k, _LETTERS), dtype=np.uint8),
            np.zeros(k, dtype=np.int32),
            np.zeros(k, dtype=np.int32),
            np.zeros((k, _PREFIX), dtype=np.uint8),
        )
    # Every code's signature in one gather (code 0's where one is missing, then blanked):
    # at most one of a lookup's distinct names is missing, so this is a row or none.
    out = signatures(names, np.where(present, codes, 0).astype(np.int64))
    missing = np.flatnonzero(~present)
    if missing.size:
        for name in ("counts", "chars", "size", "prefix"):
            getattr(out, name)[missing] = 0
    return out


class JaroWinklerBound:
    """Upper bounds on the Jaro-Winkler similarity of pairs of name codes.

    A lookup compares the query's forename, middle names and surname with the candidates'
    each way round (the swap check exchanges them), so the bounds of those four against
    every distinct name among the candidates are made at once, on first use."""

    _COLUMNS = ("fn", "mid", "mid2", "sn")

    def __init__(self, names: Vocab, x: Side, y: Side) -> None:
        self.names, self.x, self.y = names, x, y
        self._ready = False
        self._at: dict[int, np.ndarray] = {}  # by id of the candidates' column
        # results by the ids of the two arrays, which are held so that their ids stay theirs
        self._found: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def _place(self, a: np.ndarray, b: np.ndarray) -> tuple[int, np.ndarray] | None:
        """(query name, candidates' positions among the distinct names) for a pair of columns
        of the batch, or None."""
        if not self._ready:
            self._ready = True
            if len(self.x.fn) == 1:
                self._batch()
        at = self._at.get(id(b))
        if at is None:
            return None
        for i, name in enumerate(self._COLUMNS):
            if self.x.arrays[name] is a:
                return i, at
        return None

    def __call__(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """For broadcastable code arrays; where either side is missing the result is 0."""
        key = (id(a), id(b))
        found = self._found.get(key)
        if found is not None:
            return found[0]
        place = self._place(a, b)
        if place is None:
            out = self._compute(*np.broadcast_arrays(a, b))
        else:
            out = self._bound[place[0]][place[1]]
        self._found[key] = (out, a, b)
        return out

    def _batch(self) -> None:
        xs = [self.x.arrays[c] for c in self._COLUMNS]
        ys = [self.y.arrays[c] for c in self._COLUMNS]
        n = len(ys[0])
        codes = np.concatenate(ys)
        distinct, spread = _distinct(codes, len(self.names))
        present = distinct >= 0
        sy = _signatures_or_blank(self.names, distinct)
        query = np.array([int(c[0]) for c in xs])
        sx = _signatures_or_blank(self.names, query)
        bound = _similarity_bound(
            NameSignatures(
                sx.counts[:, None], sx.chars[:, None], sx.size[:, None], sx.prefix[:, None]
            ),
            sy,
            _common_letters(sx.counts, sy.counts),
        )
        bound[:, ~present] = 0.0
        bound[query < 0] = 0.0
        self._bound, self._sx, self._sy = bound, sx, sy
        self._at = {id(ya): spread[j * n : (j + 1) * n] for j, ya in enumerate(ys)}

    def take(self, rows: np.ndarray, y: Side) -> JaroWinklerBound:
        """The bounds for the candidates at `rows` (y: `self.y.take(rows)`), from this batch
        rather than one of their own: the same numbers, as a gather."""
        out = JaroWinklerBound(self.names, self.x, y)
        if self._ready and self._at:
            out._ready = True
            out._bound, out._sx, out._sy = self._bound, self._sx, self._sy
            out._at = {id(y.arrays[c]): self._at[id(self.y.arrays[c])][rows] for c in self._COLUMNS}
        return out

    def initial(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Pairs where one name may be the other's initial: either is one character long and
        their first bytes agree (for broadcastable code arrays)."""
        place = self._place(a, b)
        if place is not None:
            i, at = place
            one = (self._sx.chars[i] == 1) | (self._sy.chars[at] == 1)
            same = self._sy.prefix[at, 0] == self._sx.prefix[i, 0]
            return (a >= 0) & (b >= 0) & one & same
        a, b = np.broadcast_arrays(a, b)
        out = np.zeros(a.shape, dtype=bool)
        ok = np.flatnonzero((a >= 0) & (b >= 0))
        if ok.size:
            sa = signatures(self.names, a[ok].astype(np.int64))
            sb = signatures(self.names, b[ok].astype(np.int64))
            one = (sa.chars == 1) | (sb.chars == 1)
            out[ok] = one & (sa.prefix[:, 0] == sb.prefix[:, 0])
        return out

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = np.zeros(a.shape, dtype=np.float64)
        ok = (a >= 0) & (b >= 0)
        if not ok.any():
            return out
        pair = (a[ok].astype(np.int64) << np.int64(32)) | b[ok].astype(np.int64)
        distinct, spread = np.unique(pair, return_inverse=True)
        sa = signatures(self.names, (distinct >> np.int64(32)).astype(np.int64))
        sb = signatures(self.names, (distinct & np.int64(0xFFFFFFFF)).astype(np.int64))
        out[ok] = _similarity_bound(sa, sb)[spread.reshape(-1)]
        return out


def _eq(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a == b) & (a >= 0)


def _present(*arrays: np.ndarray) -> np.ndarray:
    mask = arrays[0] >= 0
    for a in arrays[1:]:
        mask = mask & (a >= 0)
    return mask


def _reach(n: int, present: np.ndarray, steps: list[tuple[np.ndarray, bool]]) -> np.ndarray:
    """The levels of a cascade each pair may reach, as a bit mask per pair (bit i: level i).

    `steps` gives per level its condition and whether that is known exactly (True) or only
    possible (False); the level after the last step is "else". A missing pair reaches none."""
    out = np.zeros(n, dtype=np.uint16)
    open_ = np.zeros(n, dtype=bool)
    open_ |= present
    for level, (condition, known) in enumerate(steps):
        out |= np.left_shift(open_ & condition, np.uint16(level), dtype=np.uint16)
        if known:
            open_ &= ~condition
    out |= np.left_shift(open_, np.uint16(len(steps)), dtype=np.uint16)
    return out


def _possible(bound: np.ndarray, threshold: float) -> np.ndarray:
    return bound + 1e-9 >= threshold


_TABLES: dict[tuple[float, ...], tuple[np.ndarray, np.ndarray]] = {}


def _extremes(mask: np.ndarray, weights: np.ndarray, levels: int) -> tuple[np.ndarray, np.ndarray]:
    """Highest and lowest weight over each pair's reachable levels (0 where none: missing),
    looked up in a table of every mask of `levels` bits."""
    key = tuple(weights[:levels].tolist())
    found = _TABLES.get(key)
    if found is None:
        # made anew for most lookups (a query's own name frequency sets the exact level's
        # weight), so by doubling: the masks with top bit i are those below it, with level i
        high = np.empty(1 << levels)
        low = np.empty(1 << levels)
        high[0], low[0] = -np.inf, np.inf
        for i, w in enumerate(key):
            np.maximum(high[: 1 << i], w, out=high[1 << i : 2 << i])
            np.minimum(low[: 1 << i], w, out=low[1 << i : 2 << i])
        high[0] = low[0] = 0.0
        found = (high, low)
        if len(_TABLES) > 64:  # a model per key; a register uses one or two
            _TABLES.clear()
        _TABLES[key] = found
    # np.take: indexing by an array of other than intp (these masks) costs twice as much
    return np.take(found[0], mask), np.take(found[1], mask)


class Bounder:
    """Reachable levels of one lookup's pairs (x one record, y the candidates), as bit masks."""

    def __init__(self, vocab: Vocabularies, x: Side, y: Side, n: int) -> None:
        self.vocab, self.x, self.y, self.n = vocab, x, y, n
        self.jw = JaroWinklerBound(vocab.names, x, y)

    def take(self, rows: np.ndarray) -> Bounder:
        """A Bounder of the candidates at `rows`, sharing this one's name bounds."""
        sub = Bounder.__new__(Bounder)
        sub.vocab, sub.x, sub.y, sub.n = self.vocab, self.x, self.y.take(rows), rows.size
        sub.jw = self.jw.take(rows, sub.y)
        return sub

    def _compatible(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        groups = self.vocab.groups
        if a.size != 1:
            return groups.compatible(*np.broadcast_arrays(a, b))
        # the query's one group set: its row of the matrix, looked up per candidate
        matrix = groups.matrix
        if a[0] < 0:  # the last row and column: not in the table, compatible with none
            return np.zeros(b.shape, dtype=bool)
        # a missing code (-1) indexes the last column, as it should
        return np.take(matrix[int(a[0])], b)

    def forename(self, x: Side, y: Side) -> np.ndarray:
        n = self.n
        sim = self.jw(x.fn, y.fn)
        given = given_as_middle(x, y)
        middle = np.zeros(n, dtype=bool)
        for a, b in given_as_middle(x, y, groups=True):
            middle |= self._compatible(a, b)
        near = np.zeros(n, dtype=bool)
        for f, m in given:
            middle |= _eq(f, m)
            near |= _present(f, m) & _possible(self.jw(f, m), MIDDLE_NEAR)
        steps = [
            (x.fn == y.fn, True),
            (self._compatible(x.fgs, y.fgs), True),
            (middle, True),
            (_possible(sim, 0.92), False),
            (_eq(x.fp, y.fp), True),
            (_possible(sim, 0.8), False),
            (near, False),
        ]
        return _reach(n, _present(x.fn, y.fn), steps)

    def surname(self, x: Side, y: Side) -> np.ndarray:
        sim = self.jw(x.sn, y.sn)
        shared = _eq(x.st1, y.st1) | _eq(x.st1, y.st2) | _eq(x.st2, y.st1) | _eq(x.st2, y.st2)
        steps = [
            (x.sn == y.sn, True),
            (shared, True),
            (_possible(sim, 0.92), False),
            (_eq(x.sp, y.sp), True),
            (_possible(sim, 0.8), False),
        ]
        return _reach(self.n, _present(x.sn, y.sn), steps)

    def middle(self) -> np.ndarray:
        x, y, n = self.x, self.y, self.n
        same = np.zeros(n, dtype=bool)
        initial = np.zeros(n, dtype=bool)
        near = np.zeros(n, dtype=bool)
        present_middle = _present(x.mid, y.mid)
        if not present_middle.any():
            return np.zeros(n, dtype=np.uint16)
        variant = np.zeros(n, dtype=bool)
        for a, b in middle_pairs(x, y, groups=True):
            variant |= self._compatible(a, b)
        for a, b in middle_pairs(x, y):
            present = _present(a, b)
            same |= _eq(a, b)
            # one is a single character and the first bytes agree: the first characters may
            initial |= present & self.jw.initial(a, b)
            near |= present & _possible(self.jw(a, b), 0.88)
        steps = [
            (same, True),
            (variant, True),
            (initial, False),
            (near, False),
        ]
        return _reach(n, present_middle, steps)

    def postcode(self) -> np.ndarray:
        x, y, n = self.x, self.y, self.n
        present = (_present(x.pcd) & _present(y.pcd)) | (_present(x.addr) & _present(y.addr))
        unit = _eq(x.pcu, y.pcu)
        same = _eq(x.addr, y.addr)
        near = _present(x.addr, y.addr) & ~same  # Levenshtein, not worked out here
        steps = [
            (unit & same, True),
            (unit & near, False),
            (unit, True),
            (same, True),
            (near, False),
            (_eq(x.pcs, y.pcs), True),
            (_eq(x.pcd, y.pcd), True),
        ]
        return _reach(n, present, steps)


_LEVELS = {"forename": 8, "surname": 6, "middle_names": 5, "postcode": 8}

# The comparisons and levels the cascades of `Bounder` mirror (and the integer ones it takes
# from `comparisons.py` as they are). A model or comparison with other levels is not bounded:
# `fits` is False and a search scores every candidate, so a change there cannot make
# pruning wrong before the bounds are brought up to date with it.
BOUNDED = {
    "forename": ("exact", "variant", "middle", "jw92", "phonetic", "jw80", "middle_near", "else"),
    "middle_names": ("exact", "variant", "initial", "jw88", "else"),
    "surname": ("exact", "part", "jw92", "phonetic", "jw80", "else"),
    "date_of_birth": ("exact", "swap", "year_digit", "transposed", "digit", "else"),
    "postcode": (
        "address",
        "address_near",
        "unit",
        "address_only",
        "address_near_only",
        "sector",
        "district",
        "else",
    ),
    "sex": ("exact", "else"),
    "upn": ("exact", "else"),
}


def fits(model: Model) -> bool:
    """Whether the bounds are made for this model's comparisons and levels."""
    ours = {c.name: tuple(level.key for level in c.levels) for c in COMPARISONS}
    theirs = {name: c.keys for name, c in model.comparisons.items()}
    return ours == BOUNDED and theirs == BOUNDED


def weight_bounds(
    model: Model,
    vocab: Vocabularies,
    x: Side,
    y: Side,
    n: int,
    tf: TermFrequencies | None = None,
    register_size: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(upper, lower) bounds on the weight `scorer.score` gives each pair, from codes alone.

    For the pairs of one record x (length 1) with n others; levels that are only integer
    work (date of birth, sex, UPN) are computed exactly.
    """
    bounder = Bounder(vocab, x, y, n)
    ctx = Context(vocab.names, vocab.groups, vocab.addresses)
    weights = {name: c.weights for name, c in model.comparisons.items()}
    if tf is not None and tf.total >= TF_MIN_RECORDS:
        for comp, counts, codes in (("forename", tf.forename, x.fn), ("surname", tf.surname, x.sn)):
            adjusted = tf_weight(model, comp, counts, tf.total, np.asarray(codes[:1]))
            weights[comp] = weights[comp].copy()
            weights[comp][0] = float(adjusted[0])
    high = np.full(n, model.prior_weight_for(register_size))
    exact = {
        "date_of_birth": dob_levels(ctx, x, y, n),
        "sex": sex_levels(ctx, x, y, n),
        "upn": upn_levels(ctx, x, y, n),
    }
    for name, levels in exact.items():
        high += np.take(weights[name], levels)
    low = high.copy()
    reach = {
        "forename": bounder.forename(x, y),
        "surname": bounder.surname(x, y),
        "middle_names": bounder.middle(),
        "postcode": bounder.postcode(),
    }
    for name, mask in reach.items():
        h, lo = _extremes(mask, weights[name], _LEVELS[name])
        high += h
        low += lo
    high += _swap_gain_bound(model, bounder, reach, weights)
    if model.sibling_guard:
        # the guard caps a pair whose forename ends at its last level and whose UPN differs
        last = np.uint16(1 << (_LEVELS["forename"] - 1))
        capped = ((reach["forename"] & last) != 0) & (exact["upn"] != 0)
        cap = np.log2(model.likely / (1 - model.likely)) - 0.01
        low = np.where(capped, np.minimum(low, cap), low)
    return high + EPSILON, low - EPSILON


def _swap_gain_bound(model: Model, bounder: Bounder, reach, weights) -> np.ndarray:
    """How much more the names can weigh read exchanged than the best normal reading (>= 0).

    A swap happens only where the forename lands past level 2 and the surname past level 1,
    and weighs the exchanged names' levels (no term-frequency adjustment: neither is exact)
    less the penalty; both of its levels must be before "else", so the exchanged surname
    (the candidate's forename against the query's surname, or the other way round) must be
    alike or sound alike. Only the pairs where that is possible are bounded in full.
    """
    x, y, jw, n = bounder.x, bounder.y, bounder.jw, bounder.n
    fn_mask, sn_mask = reach["forename"], reach["surname"]
    poor = ((fn_mask >> np.uint16(3)) != 0) & ((sn_mask >> np.uint16(2)) != 0)
    alike = _possible(jw(x.sn, y.fn), 0.8) | _possible(jw(x.fn, y.sn), 0.8)
    alike |= _eq(x.sp, y.fp) | _eq(x.fp, y.sp)
    alike |= _eq(x.st1, y.fn) | _eq(x.st2, y.fn) | _eq(x.fn, y.st1) | _eq(x.fn, y.st2)
    rows = np.flatnonzero(poor & alike)
    gain = np.zeros(n)
    if not rows.size:
        return gain
    fn_levels, sn_levels = _LEVELS["forename"], _LEVELS["surname"]
    normal = (
        _extremes(fn_mask[rows], weights["forename"], fn_levels)[0]
        + _extremes(sn_mask[rows], weights["surname"], sn_levels)[0]
    )
    sub = bounder.take(rows)
    plain_fn = model.comparisons["forename"].weights
    plain_sn = model.comparisons["surname"].weights
    not_last_fn = np.uint16((1 << (fn_levels - 1)) - 1)
    not_last_sn = np.uint16((1 << (sn_levels - 1)) - 1)
    best = np.full(rows.size, -np.inf)
    for a, b in ((x, sub.y.swapped_names()), (x.swapped_names(), sub.y)):
        f = sub.forename(a, b) & not_last_fn
        s = sub.surname(a, b) & not_last_sn
        w = (
            _extremes(f, plain_fn, fn_levels)[0]
            + _extremes(s, plain_sn, sn_levels)[0]
            - model.swap_penalty
        )
        best = np.where((f != 0) & (s != 0), np.maximum(best, w), best)
    gain[rows] = np.maximum(best - normal, 0.0)
    return gain
