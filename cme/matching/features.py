"""Records turned into compact integer features (numpy arrays over interned strings).

Both the interactive index and the pair scorer work on these; the Splink training and bulk
paths use `splink_frame`, which holds the same normalised values as strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from cme.matching.names import name_table
from cme.matching.normalise import (
    date_key,
    name_tokens,
    normalise_address,
    normalise_forename,
    phonetic,
    postcode_parts,
    surname_parts,
    swapped_date_key,
)
from cme.matching.records import Record, check_date, field
from cme.matching.upn import normalise_upn, valid_upn_mask

MISSING = -1


class Vocab:
    """Strings interned to dense integer codes; code -1 is the empty string."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.strings: list[str] = []

    def code(self, text: str) -> int:
        if not text:
            return MISSING
        found = self.codes.get(text)
        if found is None:
            found = len(self.strings)
            self.codes[text] = found
            self.strings.append(text)
        return found

    def lookup(self, code: int) -> str:
        return self.strings[code] if code >= 0 else ""

    def texts(self, codes: np.ndarray) -> list[str]:
        """The strings of an array of codes (none missing)."""
        strings = self.strings
        return [strings[i] for i in codes.tolist()]

    def all_strings(self) -> list[str]:
        return list(self.strings)

    def mark(self) -> int:
        return len(self.strings)

    def rollback(self, size: int) -> None:
        """Forget the strings interned since `mark()` returned `size` (a query's own)."""
        for text in self.strings[size:]:
            del self.codes[text]
        del self.strings[size:]

    def __len__(self) -> int:
        return len(self.strings)


class GroupSets:
    """Interned sets of forename variant groups, with a compatibility matrix between them."""

    def __init__(self) -> None:
        self.table = name_table()
        self.sets: list[frozenset[str]] = []
        self.codes: dict[str, int] = {}
        self._matrix = np.zeros((0, 0), dtype=bool)

    def code(self, name: str) -> int:
        if name not in self.table.groups:
            return MISSING
        found = self.codes.get(name)
        if found is None:
            found = self._intern(frozenset(self.table.groups[name]))
            self.codes[name] = found
        return found

    @property
    def matrix(self) -> np.ndarray:
        n = len(self.sets)
        if self._matrix.shape[0] != n + 1:
            m = np.zeros((n + 1, n + 1), dtype=bool)  # last row/column: "not in table"
            for i, a in enumerate(self.sets):
                for j, b in enumerate(self.sets):
                    m[i, j] = bool(a & b)
            self._matrix = m
        return self._matrix

    def _intern(self, groups: frozenset[str]) -> int:
        for i, existing in enumerate(self.sets):
            if existing == groups:
                return i
        self.sets.append(groups)
        return len(self.sets) - 1

    def compatible(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Element-wise: do group sets a and b share a group (missing never does)."""
        m = self.matrix
        return m[np.where(a < 0, len(m) - 1, a), np.where(b < 0, len(m) - 1, b)]


FIELDS = (
    "fn",  # forename code (names vocab)
    "fgs",  # forename group-set code
    "fp",  # forename phonetic code (phonetic vocab)
    "mid",  # first middle name code (names vocab)
    "mid2",  # second middle name code (a third and later are not compared)
    "mgs",  # first middle name group-set code
    "mgs2",  # second middle name group-set code
    "sn",  # whole surname code (names vocab)
    "st1",  # first surname part code
    "st2",  # second surname part code
    "sp",  # surname phonetic code
    "dob",  # YYYYMMDD
    "sex",  # 0 female, 1 male, -1 unknown
    "pcu",  # postcode unit code
    "pcs",  # postcode sector code
    "pcd",  # postcode district code
    "upn",  # valid UPN code
    "addr",  # address code
)

_SEX = {"f": 0, "female": 0, "g": 0, "girl": 0, "m": 1, "male": 1, "b": 1, "boy": 1}


def parse_sex(text: str) -> int:
    return _SEX.get(text.strip().lower(), MISSING)


class Vocabularies:
    """The interning tables shared by all the records of one index."""

    def __init__(self) -> None:
        self.names = Vocab()
        self.phonetic = Vocab()
        self.postcodes = Vocab()
        self.upns = Vocab()
        self.addresses = Vocab()
        self.groups = GroupSets()

    def encode(self, record: Record) -> tuple[int, ...]:
        """One record's feature codes in FIELDS order (raises MatchingInputError on bad dates)."""
        forename = normalise_forename(field(record, "forename"))
        first, second = (*middle_names(field(record, "middle_names")), "", "")[:2]
        parts = surname_parts(field(record, "surname"))
        surname = " ".join(parts)
        unit, sector, district = postcode_parts(field(record, "postcode"))
        dob = date_key(check_date(field(record, "date_of_birth")))
        names = self.names
        return (
            names.code(forename),
            self.groups.code(forename),
            self.phonetic.code(phonetic(forename)),
            names.code(first),  # the empty string codes as MISSING in both tables
            names.code(second),
            self.groups.code(first),
            self.groups.code(second),
            names.code(surname),
            names.code(parts[0]) if parts else MISSING,
            names.code(parts[1]) if len(parts) > 1 else MISSING,
            self.phonetic.code(phonetic(surname)),
            dob,
            parse_sex(field(record, "sex")),
            self.postcodes.code(unit),
            self.postcodes.code(sector),
            self.postcodes.code(district),
            self.upns.code(normalise_upn(field(record, "upn"))),
            self.addresses.code(normalise_address(field(record, "address"))),
        )


@dataclass
class Side:
    """One side of a set of pairs: an array per field (length 1 broadcasts)."""

    arrays: dict[str, np.ndarray]

    def __post_init__(self) -> None:
        # Each array an attribute of its own: a lookup reads them hundreds of times, and
        # __getattr__, called only once the usual lookup has failed, costs ten times as much.
        self.__dict__.update(self.arrays)

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["arrays"][name]
        except KeyError:
            raise AttributeError(name) from None

    def take(self, rows: np.ndarray) -> Side:
        return Side({k: v[rows] for k, v in self.arrays.items()})

    def swapped_names(self) -> Side:
        """The same records with forename and surname exchanged (for the swap check)."""
        a = dict(self.arrays)
        a["fn"], a["sn"] = self.arrays["sn"], self.arrays["fn"]
        a["st1"], a["st2"] = self.arrays["fn"], np.full_like(self.arrays["st2"], MISSING)
        a["fp"], a["sp"] = self.arrays["sp"], self.arrays["fp"]
        a["fgs"] = np.full_like(self.arrays["fgs"], MISSING)
        a["mid"] = np.full_like(self.arrays["mid"], MISSING)
        a["mid2"] = np.full_like(self.arrays["mid2"], MISSING)
        a["mgs"] = np.full_like(self.arrays["mgs"], MISSING)
        a["mgs2"] = np.full_like(self.arrays["mgs2"], MISSING)
        return Side(a)


def encode_many(vocab: Vocabularies, records: Iterable[Record]) -> np.ndarray:
    """Records as an (n, len(FIELDS)) int64 array."""
    rows = [vocab.encode(r) for r in records]
    if not rows:
        return np.zeros((0, len(FIELDS)), dtype=np.int64)
    return np.asarray(rows, dtype=np.int64)


def side_from_matrix(matrix: np.ndarray) -> Side:
    return Side({name: matrix[:, i] for i, name in enumerate(FIELDS)})


def middle_names(text: str) -> tuple[str, ...]:
    """The middle names compared: the first two ("Anne-Marie" is two), in the order given."""
    return name_tokens(text)[:2]


def _groups_of(table: Any, names: Sequence[str]) -> list[str]:
    """The variant groups of any of the names, sorted (a stable list for Splink's column)."""
    return sorted(set().union(*(table.groups.get(n, ()) for n in names))) if names else []


def splink_rows(records: Sequence[Record]) -> list[dict[str, Any]]:
    """The normalised values for Splink, one dict per record (the reference for `splink_frame`)."""
    table = name_table()
    rows = []
    for r in records:
        forename = normalise_forename(field(r, "forename"))
        middles = middle_names(field(r, "middle_names"))
        parts = surname_parts(field(r, "surname"))
        surname = " ".join(parts)
        unit, sector, district = postcode_parts(field(r, "postcode"))
        dob = date_key(check_date(field(r, "date_of_birth")))
        swapped = swapped_date_key(dob)
        sex = parse_sex(field(r, "sex"))
        rows.append(
            {
                "unique_id": field(r, "id"),
                "fn": forename or None,
                "fn_groups": list(table.groups.get(forename, ())),
                "fn_phon": phonetic(forename) or None,
                "mid": middles[0] if middles else None,
                "mid2": middles[1] if len(middles) > 1 else None,
                "mid_groups": _groups_of(table, middles),
                "sn": surname or None,
                "sn_parts": list(parts[:2]),
                "sn_first": parts[0] if parts else None,
                "sn_last": parts[-1] if parts else None,
                "dob_year": str(dob // 10_000) if dob > 0 else None,
                "dob_ym": str(dob // 100) if dob > 0 else None,
                "sn_phon": phonetic(surname) or None,
                "dob": f"{dob:08d}" if dob > 0 else None,
                "dob_swapped": f"{swapped:08d}" if swapped > 0 else None,
                "sex": str(sex) if sex >= 0 else None,
                "pc_unit": unit or None,
                "pc_sector": sector or None,
                "pc_district": district or None,
                "upn": normalise_upn(field(r, "upn")) or None,
                "address": normalise_address(field(r, "address")) or None,
            }
        )
    return rows


def _text(value: object) -> str:
    """`records.field` for one raw value (None and NaN are empty)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _factorised(raw: Any, name: str, n: int) -> tuple[np.ndarray, list[str]]:
    """Codes per record and the distinct field texts, so each distinct value is done once."""
    import pandas as pd

    if name not in raw:
        return np.zeros(n, dtype=np.int64), [""]
    codes, uniques = pd.factorize(raw[name].to_numpy(dtype=object), use_na_sentinel=False)
    return codes, [_text(u) for u in uniques]


def splink_frame(records: Sequence[Record]) -> Any:
    """A pyarrow Table of normalised values for Splink (training and bulk linkage).

    Each column is computed once per distinct raw value and spread to the records with an
    Arrow `take`, so a million records cost what their distinct names, dates, postcodes and
    addresses cost (UPNs, which are distinct, are checked in numpy). The values are the same
    as `splink_rows` gives; a test checks that.
    """
    import pandas as pd
    import pyarrow as pa

    n = len(records)
    raw = pd.DataFrame.from_records(records) if n else pd.DataFrame()
    out: dict[str, Any] = {}
    strings = pa.string()
    lists = pa.list_(pa.string())

    def put(name: str, codes: np.ndarray, values: list[Any], kind: Any = strings) -> None:
        out[name] = pa.array(values, type=kind).take(pa.array(codes))

    ids = raw["id"].to_numpy(dtype=object) if "id" in raw else np.full(n, "", dtype=object)
    out["unique_id"] = pa.array([_text(v) for v in ids], type=strings)

    table = name_table()
    codes, texts = _factorised(raw, "forename", n)
    fns = [normalise_forename(t) for t in texts]
    put("fn", codes, [f or None for f in fns])
    put("fn_groups", codes, [list(table.groups.get(f, ())) for f in fns], lists)
    put("fn_phon", codes, [phonetic(f) or None for f in fns])

    codes, texts = _factorised(raw, "middle_names", n)
    mids = [middle_names(t) for t in texts]
    put("mid", codes, [m[0] if m else None for m in mids])
    put("mid2", codes, [m[1] if len(m) > 1 else None for m in mids])
    put("mid_groups", codes, [_groups_of(table, m) for m in mids], lists)

    codes, texts = _factorised(raw, "surname", n)
    parts = [surname_parts(t) for t in texts]
    surnames = [" ".join(p) for p in parts]
    put("sn", codes, [s or None for s in surnames])
    put("sn_parts", codes, [list(p[:2]) for p in parts], lists)
    put("sn_first", codes, [p[0] if p else None for p in parts])
    put("sn_last", codes, [p[-1] if p else None for p in parts])
    put("sn_phon", codes, [phonetic(s) or None for s in surnames])

    codes, texts = _factorised(raw, "date_of_birth", n)
    dobs = [date_key(check_date(t)) for t in texts]
    put("dob_year", codes, [str(d // 10_000) if d > 0 else None for d in dobs])
    put("dob_ym", codes, [str(d // 100) if d > 0 else None for d in dobs])
    # eight digits always, so that hamming() compares like with like (year 214 is "02140307")
    put("dob", codes, [f"{d:08d}" if d > 0 else None for d in dobs])
    swapped = [swapped_date_key(d) for d in dobs]
    put("dob_swapped", codes, [f"{d:08d}" if d > 0 else None for d in swapped])

    codes, texts = _factorised(raw, "sex", n)
    put("sex", codes, [str(s) if s >= 0 else None for s in map(parse_sex, texts)])

    codes, texts = _factorised(raw, "postcode", n)
    pcs = [postcode_parts(t) for t in texts]
    for i, name in enumerate(("pc_unit", "pc_sector", "pc_district")):
        put(name, codes, [p[i] or None for p in pcs])

    codes, texts = _factorised(raw, "upn", n)
    cleaned = np.array(["".join(t.split()).upper() for t in texts], dtype=object)
    valid = valid_upn_mask(cleaned.astype(str)) & (cleaned != "")
    upns = zip(cleaned.tolist(), valid.tolist(), strict=True)
    put("upn", codes, [c if ok else None for c, ok in upns])

    codes, texts = _factorised(raw, "address", n)
    put("address", codes, [normalise_address(t) or None for t in texts])

    order = list(splink_rows([{}])[0]) if n else list(out)
    return pa.table({name: out[name] for name in order})


def vocab_mark(vocab: Vocabularies) -> tuple[int, ...]:
    """The sizes of the string tables, to roll back codes a query added."""
    return tuple(v.mark() for v in _tables(vocab))


def vocab_rollback(vocab: Vocabularies, mark: tuple[int, ...]) -> None:
    for table, size in zip(_tables(vocab), mark, strict=True):
        table.rollback(size)


def _tables(vocab: Vocabularies) -> tuple[Vocab, ...]:
    return (vocab.names, vocab.phonetic, vocab.postcodes, vocab.upns, vocab.addresses)
