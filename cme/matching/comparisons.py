"""The comparisons of the model: for each field, its levels (best first), each with the SQL
that Splink trains on and the vectorised Python that the fast scorer uses, and a reason.

Level -1 means "cannot compare" (a side is missing): it carries no weight. The SQL and the
Python must agree; tests/matching/test_matching_comparisons.py checks that they do.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler, Levenshtein

from cme.matching.features import MISSING, GroupSets, Side, Vocab


@dataclass(frozen=True)
class Level:
    key: str  # stable name, checked against the model file
    sql: str
    reason: str  # plain English; {a} and {b} are the two values shown to the officer
    tf: bool = False  # term-frequency adjusted (exact name agreement)


@dataclass(frozen=True)
class Comparison:
    name: str  # Splink output_column_name
    null_sql: str
    levels: tuple[Level, ...]
    tf_column: str | None = None


def _jw(col: str, threshold: float) -> str:
    return f"jaro_winkler_similarity({col}_l, {col}_r) >= {threshold}"


# A first name this close to the other record's middle name ("Kwmae" / middle name Kwame) is
# the middle name used as the first name and mistyped, not a sibling.
MIDDLE_NEAR = 0.88

# A record's middle names compared are its first two, `mid` and `mid2` (features.FIELDS), in
# either order: "Kwame John Paul" and "Kwame Paul John" or "Kwame Paul" share a middle name.
_MIDDLES = ("mid", "mid2")


def _any(template: str, left: tuple[str, ...], right: tuple[str, ...]) -> str:
    """`template` for each pair of columns (left side `_l`, right `_r`), OR-ed: NULL where a
    column is missing, so a pair with no middle name never meets a level by it."""
    terms = [template.format(a=f"{a}_l", b=f"{b}_r") for a in left for b in right]
    return " OR ".join(f"({t})" if " " in t and len(terms) > 1 else t for t in terms)


def _given_as_middle(template: str) -> str:
    """The first name against the other record's middle names, both ways."""
    one = [template.format(a="fn_l", b=f"{m}_r") for m in _MIDDLES]
    other = [template.format(a=f"{m}_l", b="fn_r") for m in _MIDDLES]
    return " OR ".join(one + other)


FORENAME = Comparison(
    "forename",
    "fn_l IS NULL OR fn_r IS NULL",
    (
        Level("exact", "fn_l = fn_r", "first name is the same: {a}", tf=True),
        Level(
            "variant",
            "list_has_any(fn_groups_l, fn_groups_r)",
            "first name is a known short form or variant: {a} / {b}",
        ),
        Level(
            "middle",
            _given_as_middle("{a} = {b}") + " OR list_has_any(fn_groups_l, mid_groups_r)"
            " OR list_has_any(mid_groups_l, fn_groups_r)",
            "a middle name is used as the first name: {a} / {b}",
        ),
        Level("jw92", _jw("fn", 0.92), "first name is spelt slightly differently: {a} / {b}"),
        Level("phonetic", "fn_phon_l = fn_phon_r", "first name sounds the same: {a} / {b}"),
        Level("jw80", _jw("fn", 0.8), "first name is similar: {a} / {b}"),
        Level(
            "middle_near",
            _given_as_middle(f"jaro_winkler_similarity({{a}}, {{b}}) >= {MIDDLE_NEAR}"),
            "first name is spelt like the other record's middle name: {a} / {b}",
        ),
        Level("else", "ELSE", "no given name is alike: {a} / {b}"),
    ),
    tf_column="fn",
)

SURNAME = Comparison(
    "surname",
    "sn_l IS NULL OR sn_r IS NULL",
    (
        Level("exact", "sn_l = sn_r", "surname is the same: {a}", tf=True),
        Level(
            "part",
            "list_has_any(sn_parts_l, sn_parts_r)",
            "surnames share a part (double-barrelled or changed): {a} / {b}",
        ),
        Level("jw92", _jw("sn", 0.92), "surname is spelt slightly differently: {a} / {b}"),
        Level("phonetic", "sn_phon_l = sn_phon_r", "surname sounds the same: {a} / {b}"),
        Level("jw80", _jw("sn", 0.8), "surname is similar: {a} / {b}"),
        Level("else", "ELSE", "surname is different: {a} / {b}"),
    ),
    tf_column="sn",
)

MIDDLE = Comparison(
    "middle_names",
    "mid_l IS NULL OR mid_r IS NULL",
    (
        Level(
            "exact", _any("{a} = {b}", _MIDDLES, _MIDDLES), "a middle name is the same: {a} / {b}"
        ),
        Level(
            "variant",
            "list_has_any(mid_groups_l, mid_groups_r)",
            "a middle name is a known short form or variant: {a} / {b}",
        ),
        Level(
            "initial",
            _any(
                "(length({a}) = 1 OR length({b}) = 1) AND left({a}, 1) = left({b}, 1)",
                _MIDDLES,
                _MIDDLES,
            ),
            "a middle name is given as its initial: {a} / {b}",
        ),
        Level(
            "jw88",
            _any("jaro_winkler_similarity({a}, {b}) >= 0.88", _MIDDLES, _MIDDLES),
            "a middle name is spelt slightly differently: {a} / {b}",
        ),
        Level("else", "ELSE", "middle names are different: {a} / {b}"),
    ),
)

# Dates of birth as YYYYMMDD strings: the typed errors a CME team meets, each its own level so
# that training weighs each by how often it happens to the same child.
DOB = Comparison(
    "date_of_birth",
    "dob_l IS NULL OR dob_r IS NULL",
    (
        Level("exact", "dob_l = dob_r", "date of birth is the same: {a}"),
        Level(
            "swap", "dob_swapped_l = dob_r", "date of birth has day and month swapped: {a} / {b}"
        ),
        Level(
            "year_digit",
            "hamming(dob_l, dob_r) = 1 AND substr(dob_l, 5) = substr(dob_r, 5)",
            "date of birth has one digit of the year different: {a} / {b}",
        ),
        Level(
            "transposed",
            "hamming(dob_l, dob_r) = 2 AND damerau_levenshtein(dob_l, dob_r) = 1",
            "date of birth has two digits transposed: {a} / {b}",
        ),
        Level(
            "digit",
            "hamming(dob_l, dob_r) = 1",
            "date of birth has one digit of the day or month different: {a} / {b}",
        ),
        Level("else", "ELSE", "date of birth is different: {a} / {b}"),
    ),
)


def _near(col: str) -> str:
    """Levenshtein similarity of at least 0.8 (distance at most a fifth of the longer)."""
    return f"levenshtein({col}_l, {col}_r) * 5 <= greatest(length({col}_l), length({col}_r))"


ADDRESS_NEAR = 5  # distance * ADDRESS_NEAR <= longer length: similarity >= 0.8

POSTCODE = Comparison(
    "postcode",
    # compared when both records have a postcode, or both an address
    "(pc_district_l IS NULL OR pc_district_r IS NULL) AND (address_l IS NULL OR address_r IS NULL)",
    (
        Level(
            "address",
            "pc_unit_l = pc_unit_r AND address_l = address_r",
            "address and postcode are the same: {a}",
        ),
        Level(
            "address_near",
            f"pc_unit_l = pc_unit_r AND {_near('address')}",
            "postcode is the same and the address nearly so: {a}",
        ),
        Level("unit", "pc_unit_l = pc_unit_r", "postcode is the same: {a}"),
        Level(
            "address_only",
            "address_l = address_r",
            "address is the same, postcode different or missing: {a} / {b}",
        ),
        Level(
            "address_near_only",
            _near("address"),
            "address is nearly the same, postcode different or missing: {a} / {b}",
        ),
        Level("sector", "pc_sector_l = pc_sector_r", "postcode is in the same sector: {a} / {b}"),
        Level(
            "district",
            "pc_district_l = pc_district_r",
            "postcode is in the same district: {a} / {b}",
        ),
        Level("else", "ELSE", "postcode and address are different: {a} / {b}"),
    ),
)

SEX = Comparison(
    "sex",
    "sex_l IS NULL OR sex_r IS NULL",
    (
        Level("exact", "sex_l = sex_r", "sex is the same"),
        Level("else", "ELSE", "sex is different"),
    ),
)

UPN = Comparison(
    "upn",
    "upn_l IS NULL OR upn_r IS NULL",
    (
        Level("exact", "upn_l = upn_r", "UPN is the same: {a}"),
        Level("else", "ELSE", "UPN is different: {a} / {b}"),
    ),
)

COMPARISONS: tuple[Comparison, ...] = (FORENAME, MIDDLE, SURNAME, DOB, POSTCODE, SEX, UPN)
NAME_COMPARISONS = ("forename", "surname")


class Context:
    """What the level functions need besides the two sides: the string tables."""

    def __init__(self, names: Vocab, groups: GroupSets, addresses: Vocab | None = None) -> None:
        self.names = names
        self.groups = groups
        self.addresses = addresses if addresses is not None else Vocab()


def _present(*arrays: np.ndarray) -> np.ndarray:
    mask = arrays[0] >= 0
    for a in arrays[1:]:
        mask = mask & (a >= 0)
    return mask


def _eq(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a == b) & (a >= 0)


_MASK32 = np.int64(0xFFFFFFFF)
# Up to this many pairs (the survivors of a lookup's pruning) the strings are compared as they
# come: finding the distinct pairs would cost more than it saves.
_FEW_PAIRS = 64


def _both(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.broadcast_arrays(a, b)` for the 1-d arrays of a side, in a fraction of its time
    (a few microseconds each, dozens of times a lookup): one of length 1 is repeated."""
    if a.shape == b.shape:
        return a, b
    if a.size == 1 and b.ndim == 1:
        return a.repeat(b.size), b
    if b.size == 1 and a.ndim == 1:
        return a, b.repeat(a.size)
    return np.broadcast_arrays(a, b)  # type: ignore[return-value]


def per_distinct_pair(
    vocab: Vocab,
    a: np.ndarray,
    b: np.ndarray,
    compute: Callable[[list[str], list[str]], Any],
) -> np.ndarray:
    """`compute(left strings, right strings)` for two equal-length arrays of codes (none
    missing), done once per distinct pair of codes and spread back to every pair.

    A lookup compares one child against thousands of candidates whose names repeat a lot (and
    often one side is that one child), so this turns most of the string work into a gather.
    """
    if a.size <= _FEW_PAIRS:
        return np.asarray(compute(vocab.texts(a), vocab.texts(b)))
    if (a == a[0]).all():
        distinct, spread = np.unique(b, return_inverse=True)
        left, right = [vocab.lookup(int(a[0]))] * distinct.size, vocab.texts(distinct)
    elif (b == b[0]).all():
        distinct, spread = np.unique(a, return_inverse=True)
        left, right = vocab.texts(distinct), [vocab.lookup(int(b[0]))] * distinct.size
    else:
        key = (a.astype(np.int64) << np.int64(32)) | (b.astype(np.int64) & _MASK32)
        distinct, spread = np.unique(key, return_inverse=True)
        left = vocab.texts(distinct >> np.int64(32))
        right = vocab.texts(distinct & _MASK32)
    return np.asarray(compute(left, right))[spread.reshape(-1)]


def _jw_lists(left: list[str], right: list[str]) -> np.ndarray:
    return process.cpdist(left, right, scorer=JaroWinkler.normalized_similarity, workers=1)


def _jaro_winkler(vocab: Vocab, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Similarity of the strings behind two equal-length code arrays."""
    return per_distinct_pair(vocab, a, b, _jw_lists)


def _assign(levels: np.ndarray, undecided: np.ndarray, hit: np.ndarray, level: int) -> None:
    chosen = undecided & hit
    levels[chosen] = level
    undecided &= ~hit


def _string_levels(
    levels: np.ndarray,
    undecided: np.ndarray,
    vocab: Vocab,
    pair: tuple[np.ndarray, np.ndarray],
    phon: tuple[np.ndarray, np.ndarray],
    first: int,
    last: bool = True,
) -> None:
    """The shared tail of both name comparisons: jw >= .92, same sound, jw >= .80, else.

    With `last` False the rows left undecided stay so, for a level after these.
    """
    a, b = pair
    rows = np.flatnonzero(undecided)
    if rows.size:
        sim = np.zeros(len(levels))
        sim[rows] = _jaro_winkler(vocab, a[rows], b[rows])
        _assign(levels, undecided, sim >= 0.92, first)
        _assign(levels, undecided, _eq(*phon), first + 1)
        _assign(levels, undecided, sim >= 0.8, first + 2)
    if last:
        levels[undecided] = first + 3


def _full(shape: int) -> np.ndarray:
    return np.full(shape, MISSING, dtype=np.int8)


def forename_levels(ctx: Context, x: Side, y: Side, n: int) -> np.ndarray:
    a, b = _both(x.fn, y.fn)
    levels = _full(n)
    undecided = _present(a, b).copy()
    _assign(levels, undecided, a == b, 0)
    compat = ctx.groups.compatible
    _assign(levels, undecided, compat(*_both(x.fgs, y.fgs)), 1)
    given = given_as_middle(x, y)
    middle = np.zeros(n, dtype=bool)
    for fn, mid in given:
        middle |= _eq(fn, mid)
    for fgs, mgs in given_as_middle(x, y, groups=True):
        middle |= compat(*np.broadcast_arrays(fgs, mgs))
    _assign(levels, undecided, middle, 2)
    fp = _both(x.fp, y.fp)
    _string_levels(levels, undecided, ctx.names, (a, b), (fp[0], fp[1]), 3, last=False)
    near = np.zeros(n, dtype=bool)
    for fn, mid in given:
        f, m = np.broadcast_arrays(fn, mid)
        rows = np.flatnonzero(undecided & _present(f, m))
        if rows.size:
            near[rows] |= _jaro_winkler(ctx.names, f[rows], m[rows]) >= MIDDLE_NEAR
    _assign(levels, undecided, near, 6)
    levels[undecided] = 7
    return levels


Pairs = list[tuple[np.ndarray, np.ndarray]]


def _missing_column(a: np.ndarray) -> bool:
    """One record's column (length 1, broadcast to every pair) with nothing in it."""
    return a.size == 1 and int(a.reshape(-1)[0]) < 0


def _comparable(pairs: Pairs) -> Pairs:
    """The pairs of columns less those where one side is a single record's missing name (a
    lookup's query without a second middle name): nothing there can meet a level."""
    return [(a, b) for a, b in pairs if not (_missing_column(a) or _missing_column(b))]


# Each middle name's column of codes and of variant groups. The SQL holds a record's middle
# names' groups as one list, so its "share a group" is the OR over these pairs.
_GROUPS = {"mid": "mgs", "mid2": "mgs2", "fn": "fgs"}


def _columns(x: Side, y: Side, pairs: list[tuple[str, str]], groups: bool) -> Pairs:
    def col(side: Side, name: str) -> np.ndarray:
        return getattr(side, _GROUPS[name] if groups else name)

    return _comparable([(col(x, a), col(y, b)) for a, b in pairs])


def given_as_middle(x: Side, y: Side, groups: bool = False) -> Pairs:
    """(first name, middle name) pairs of columns (of their group sets with `groups`): each
    side's first name against each of the other side's middle names."""
    pairs = [("fn", m) for m in _MIDDLES] + [(m, "fn") for m in _MIDDLES]
    return _columns(x, y, pairs, groups)


def middle_pairs(x: Side, y: Side, groups: bool = False) -> Pairs:
    """Each of x's middle names against each of y's, in the SQL's order (or their group
    sets, with `groups`)."""
    return _columns(x, y, [(a, b) for a in _MIDDLES for b in _MIDDLES], groups)


def middle_levels(ctx: Context, x: Side, y: Side, n: int) -> np.ndarray:
    levels = _full(n)
    undecided = _present(*np.broadcast_arrays(x.mid, y.mid)).copy()
    if not undecided.any():
        return levels
    pairs = [np.broadcast_arrays(a, b) for a, b in middle_pairs(x, y)]
    _assign(levels, undecided, np.logical_or.reduce([_eq(a, b) for a, b in pairs]), 0)
    variant = np.zeros(n, dtype=bool)
    for a, b in middle_pairs(x, y, groups=True):
        variant |= ctx.groups.compatible(*np.broadcast_arrays(a, b))
    _assign(levels, undecided, variant, 1)
    initial = np.zeros(n, dtype=bool)
    sim = np.zeros(n)
    for a, b in pairs:
        rows = np.flatnonzero(undecided & _present(a, b))
        if rows.size:
            found = per_distinct_pair(ctx.names, a[rows], b[rows], _initial_and_jw)
            initial[rows] |= found[:, 0] > 0
            sim[rows] = np.maximum(sim[rows], found[:, 1])
    _assign(levels, undecided, initial, 2)
    _assign(levels, undecided, sim >= 0.88, 3)
    levels[undecided] = 4
    return levels


def _initial_and_jw(left: list[str], right: list[str]) -> np.ndarray:
    """Per pair: (one is the other's initial, Jaro-Winkler similarity), as float64 columns."""
    initial = [
        (len(s) == 1 or len(t) == 1) and s[0] == t[0] for s, t in zip(left, right, strict=True)
    ]
    out = np.zeros((len(left), 2))
    out[:, 0] = initial
    out[:, 1] = _jw_lists(left, right)
    return out


def surname_levels(ctx: Context, x: Side, y: Side, n: int) -> np.ndarray:
    a, b = _both(x.sn, y.sn)
    levels = _full(n)
    undecided = _present(a, b).copy()
    _assign(levels, undecided, a == b, 0)
    shared = _eq(x.st1, y.st1) | _eq(x.st1, y.st2) | _eq(x.st2, y.st1) | _eq(x.st2, y.st2)
    _assign(levels, undecided, np.broadcast_to(shared, (n,)), 1)
    sp = _both(x.sp, y.sp)
    _string_levels(levels, undecided, ctx.names, (a, b), (sp[0], sp[1]), 2)
    return levels


# The four digits of 0..9999, last digit first: a date's digits by two lookups, not eight
# divisions.
_DIGITS = ((np.arange(10_000)[:, None] // 10 ** np.arange(4)) % 10).astype(np.int8)


def _digits(d: np.ndarray) -> np.ndarray:
    """YYYYMMDD integers as (n, 8) digits, column 0 the last digit of the day."""
    d = d.astype(np.int64)
    return np.concatenate([_DIGITS[d % 10_000], _DIGITS[d // 10_000 % 10_000]], axis=1)


def typed_date_errors(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """For YYYYMMDD integers: (one year digit wrong, two adjacent digits transposed, one day or
    month digit wrong), as the SQL's hamming and Damerau-Levenshtein on the strings."""
    da = _digits(a)
    db = _digits(b)
    diff = da != db
    count = diff.sum(axis=1)
    adjacent = diff[:, 1:] & diff[:, :-1]
    crossed = (da[:, 1:] == db[:, :-1]) & (da[:, :-1] == db[:, 1:])
    transposed = (count == 2) & (adjacent & crossed).any(axis=1)
    one = count == 1
    in_year = diff[:, 4:].any(axis=1)
    return one & in_year, transposed, one & ~in_year


def swap_day_month(dob: np.ndarray) -> np.ndarray:
    year, month, day = dob // 10_000, dob // 100 % 100, dob % 100
    ok = (dob >= 0) & (day <= 12) & (day != month)
    return np.where(ok, year * 10_000 + day * 100 + month, MISSING)


def _pick(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """values[rows], or values itself when it is one value for every pair."""
    return values if values.size == 1 else values[rows]


_EIGHT_DIGITS = 100_000_000


@functools.lru_cache(maxsize=256)
def _dates_near(date: int, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """The dates `dob_levels` gives a level other than "else" against `date` (0 <= date <
    10^8): the date itself, its day and month swapped, and every date one typed error away
    (one year digit wrong, two adjacent digits transposed, one day or month digit wrong, as
    `typed_date_errors` reads the eight digits), at most 81. As a hash table without
    collisions: the date in slot `d % len(table)` and its level (5 where no date is)."""
    digits = [date // 10**p % 10 for p in range(7, -1, -1)]  # YYYYMMDD, first digit first
    found: dict[int, int] = {}
    for i, d in enumerate(digits):
        place = 10 ** (7 - i)
        for v in range(10):
            if v != d:
                found[date + (v - d) * place] = 2 if i < 4 else 4
    for i in range(7):
        high, low = digits[i], digits[i + 1]
        if high != low:  # exchanged: each moves one place
            found[date + (low - high) * 10 ** (7 - i) + (high - low) * 10 ** (6 - i)] = 3
    # the earlier levels of the cascade win where a date is two of these
    month, day = date // 100 % 100, date % 100
    if day <= 12 and day != month:  # as `swap_day_month`
        found[date - date % 10_000 + day * 100 + month] = 1
    found[date] = 0
    # The first table size from 1031 that gives every date its own slot: a prime, which
    # divides no difference of one digit's (c * 10^k), so most often the first; one past the
    # largest date always does.
    size = 1031
    while len({k % size for k in found}) < len(found):
        size += 1
    keys = np.array(list(found), dtype=np.int64)
    table = np.full(size, MISSING - 1, dtype=dtype)  # no date: no candidate's is -2
    levels = np.full(size, 5, dtype=np.int8)
    table[keys % size] = keys
    levels[keys % size] = list(found.values())
    return table, levels


def dob_levels(ctx: Context, x: Side, y: Side, n: int) -> np.ndarray:
    # One side is usually the single query: it is taken apart once, not once per pair.
    a, b = np.asarray(x.dob), np.asarray(y.dob)
    lookup = a.size == 1 and b.size > 1
    if lookup and int(a[0]) < _EIGHT_DIGITS and int(b.max()) < _EIGHT_DIGITS:
        # A lookup: the few dates near the query's are listed, and each candidate's looked
        # up among them (for dates of up to eight digits, all that `_digits` reads).
        if a[0] < 0:
            return _full(n)
        table, found = _dates_near(int(a[0]), b.dtype.str)
        slot = b % table.size
        levels = np.where(np.take(table, slot) == b, np.take(found, slot), np.int8(5))
        levels[b < 0] = MISSING
        return levels
    levels = _full(n)
    present = np.broadcast_to((a >= 0) & (b >= 0), (n,))
    exact = present & (a == b)
    swap = present & ~exact & _eq(swap_day_month(a), b)
    rest = present & ~exact & ~swap
    levels[exact] = 0
    levels[swap] = 1
    levels[rest] = 5
    # A typed error leaves at most two digits different: the year, or the month and day, or
    # (two digits transposed across them) the day and the first three digits of the year
    # agree. Only those pairs are taken apart digit by digit.
    close = (a // 10_000 == b // 10_000) | (a % 10_000 == b % 10_000)
    close |= (a % 100 == b % 100) & (a // 100_000 == b // 100_000)
    rows = np.flatnonzero(rest & close)
    if rows.size:
        year, transposed, digit = typed_date_errors(_pick(a, rows), _pick(b, rows))
        found = np.full(rows.size, 5, dtype=np.int8)  # the three are never two at once
        found[digit] = 4
        found[transposed] = 3
        found[year] = 2
        levels[rows] = found
    return levels


def address_near(vocab: Vocab, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Both addresses present and Levenshtein similarity at least 0.8 (as `_near` in SQL)."""
    out = np.zeros(len(a), dtype=bool)
    rows = np.flatnonzero((a >= 0) & (b >= 0))
    if rows.size:
        out[rows] = per_distinct_pair(vocab, a[rows], b[rows], _near_lists)
    return out


def _near_lists(left: list[str], right: list[str]) -> np.ndarray:
    distance = process.cpdist(left, right, scorer=Levenshtein.distance, workers=1)
    longer = np.maximum([len(t) for t in left], [len(t) for t in right])
    return distance * ADDRESS_NEAR <= longer


def postcode_levels(ctx: Context, x: Side, y: Side, n: int) -> np.ndarray:
    levels = _full(n)
    xa, ya = _both(x.addr, y.addr)
    both_postcode = _present(x.pcd) & _present(y.pcd)
    undecided = np.broadcast_to(both_postcode | (_present(x.addr) & _present(y.addr)), (n,))
    undecided = undecided.copy()
    unit = np.broadcast_to(_eq(x.pcu, y.pcu), (n,))
    same = _eq(xa, ya)
    near = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(undecided & ~same)
    if rows.size:
        near[rows] = address_near(ctx.addresses, xa[rows], ya[rows])
    _assign(levels, undecided, unit & same, 0)
    _assign(levels, undecided, unit & near, 1)
    _assign(levels, undecided, unit, 2)
    _assign(levels, undecided, same, 3)
    _assign(levels, undecided, near, 4)
    _assign(levels, undecided, np.broadcast_to(_eq(x.pcs, y.pcs), (n,)), 5)
    _assign(levels, undecided, np.broadcast_to(_eq(x.pcd, y.pcd), (n,)), 6)
    levels[undecided] = 7
    return levels


def _binary(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    a, b = _both(a, b)
    levels = _full(n)
    present = _present(a, b)
    levels[present] = np.where(a[present] == b[present], 0, 1)
    return levels


def sex_levels(ctx: Context, x: Side, y: Side, n: int) -> np.ndarray:
    return _binary(x.sex, y.sex, n)


def upn_levels(ctx: Context, x: Side, y: Side, n: int) -> np.ndarray:
    return _binary(x.upn, y.upn, n)


LevelFunction = Callable[[Context, Side, Side, int], np.ndarray]

LEVEL_FUNCTIONS: dict[str, LevelFunction] = {
    "forename": forename_levels,
    "middle_names": middle_levels,
    "surname": surname_levels,
    "date_of_birth": dob_levels,
    "postcode": postcode_levels,
    "sex": sex_levels,
    "upn": upn_levels,
}


def splink_comparisons() -> list[dict[str, Any]]:
    """The comparisons as Splink settings dictionaries."""
    out = []
    for comp in COMPARISONS:
        levels: list[dict[str, Any]] = [
            {"sql_condition": comp.null_sql, "label_for_charts": "null", "is_null_level": True}
        ]
        for level in comp.levels:
            entry: dict[str, Any] = {"sql_condition": level.sql, "label_for_charts": level.key}
            if level.tf and comp.tf_column:
                entry["tf_adjustment_column"] = comp.tf_column
                entry["tf_adjustment_weight"] = 1.0
            levels.append(entry)
        out.append(
            {
                "output_column_name": comp.name,
                "comparison_description": comp.name,
                "comparison_levels": levels,
            }
        )
    return out
