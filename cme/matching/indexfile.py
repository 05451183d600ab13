"""The match index as one file that every web worker maps, read-only and shared.

Layout: 8 magic bytes, the header's length (8 bytes, little-endian), the header as JSON, then
each array at a 64-byte aligned offset the header gives. Loading reads the header, checks it
against this code and model, and maps the file copy-on-write: the pages are the page cache's,
shared by every process that maps the file, and a process that removes a record copies only
the page of the `alive` flags it writes. Nothing is unpickled, so a file cannot run code.

What a file depends on, and is refused for (IndexFileError) when it differs:

* `FORMAT`, the layout of the file itself (bump it when this module changes what it writes);
* the layout fingerprint: the feature columns, and the codes and blocking keys that this code
  makes for a fixed set of awkward records (`PROBES`), so that a change to normalisation,
  phonetic keys, postcodes, UPN checking, the name table or blocking is caught without anyone
  remembering to bump a number;
* the model's comparison levels: a model of another version with other levels (v2 against
  v3) is refused. A retrained model with the same levels (`cme match retrain`, then `use`) is
  not: the file holds the records' features, which no model parameter changes, and the model
  in use is switched without a rebuild (`cme.matching.sources`).
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cme.matching.blocking import Postings, record_keys
from cme.matching.bounds import table_signatures
from cme.matching.errors import IndexFileError
from cme.matching.features import FIELDS, GroupSets, Vocabularies, encode_many
from cme.matching.model import Model
from cme.matching.strings import VOCAB_NAMES, FrozenVocab, StringTable

if TYPE_CHECKING:
    from cme.matching.index import MatchIndex

MAGIC = b"CMEIDX\x00\x01"
FORMAT = 1
ALIGN = 64

# Records that exercise every normalisation step the index's codes depend on.
PROBES = (
    {"id": "1", "forename": "Zoë", "middle_names": "Anne-Marie", "surname": "O'Brien-McDonald",
     "date_of_birth": "2014-03-07", "sex": "F", "postcode": "ls6 2ab", "address": "1a High St.",
     "upn": "P207000016049"},
    {"id": "2", "forename": "Alfie", "middle_names": "J", "surname": "van der Berg",
     "date_of_birth": "2013-12-01", "sex": "male", "postcode": "SW1A1AA",
     "address": "Flat 2, 10 Łódź Road", "upn": "X207000016049"},
    {"id": "3", "forename": "Muhammad", "surname": "Smith Jones", "date_of_birth": "2015-07-03",
     "sex": "M", "postcode": "LS6", "address": "", "upn": ""},
    {"id": "4", "forename": "Mohammed", "middle_names": "Yusuf Ali", "surname": "MacDonald",
     "date_of_birth": "", "sex": "", "postcode": "B1 1AA", "address": "3 Straße Lane"},
)  # fmt: skip


@cache
def layout_fingerprint() -> str:
    """A digest of what this code makes of the probe records: codes, strings, blocking keys."""
    vocab = Vocabularies()
    encoded = encode_many(vocab, PROBES)
    rows, keys = record_keys(vocab, encoded)
    parts: list[Any] = [
        FORMAT,
        list(FIELDS),
        encoded.tolist(),
        rows.tolist(),
        keys.tolist(),
        {name: getattr(vocab, name).strings for name in VOCAB_NAMES},
        [sorted(s) for s in vocab.groups.sets],
        len(vocab.groups.table.groups),
    ]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def model_layout(model: Model) -> dict[str, Any]:
    return {
        "version": model.version,
        "levels": {name: list(c.keys) for name, c in model.comparisons.items()},
    }


def _arrays(index: MatchIndex) -> dict[str, np.ndarray]:
    base = index._base
    out = {
        "data": base.data,
        "ids": base.ids,
        "alive": base.alive,
        "id_order": base.id_order,
        "postings.keys": base.postings.keys,
        "postings.starts": base.postings.starts,
        "postings.rows": base.postings.rows,
        "fn_counts": index._fn_counts,
        "sn_counts": index._sn_counts,
    }
    for name in VOCAB_NAMES:
        table = getattr(index.vocab, name)
        if not isinstance(table, FrozenVocab) or len(table.extra):  # consolidate() froze it
            raise IndexFileError("the index has strings outside its tables; consolidate it")
        for part, array in table.table.arrays().items():
            out[f"{name}.{part}"] = array
    return out


def save(index: MatchIndex, path: str | Path) -> None:
    """Write `index` to `path` via a temporary file renamed into place, so that a worker that
    has the old file mapped keeps it, and one that opens the path gets a whole file."""
    if index._n:
        index.consolidate()
    arrays = _arrays(index)
    directory: dict[str, Any] = {}
    offset = 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        directory[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset}
        offset += -(-array.nbytes // ALIGN) * ALIGN
    header = {
        "format": FORMAT,
        "fingerprint": layout_fingerprint(),
        "fields": list(FIELDS),
        "model": model_layout(index.model),
        "records": len(index._base),
        "live": index._live,
        "groups": {
            "sets": [sorted(s) for s in index.vocab.groups.sets],
            "codes": index.vocab.groups.codes,
        },
        "meta": {"saved_at": time.time(), **index.meta},
        "arrays": directory,
    }
    raw = json.dumps(header).encode()
    start = -(-(len(MAGIC) + 8 + len(raw)) // 4096) * 4096
    target = Path(path)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with open(partial, "wb") as out:
            out.write(MAGIC + len(raw).to_bytes(8, "little") + raw)
            out.write(b"\0" * (start - out.tell()))
            for name, array in arrays.items():
                out.seek(start + directory[name]["offset"])
                out.write(np.ascontiguousarray(array).tobytes(order="C"))
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def read_header(path: str | Path) -> tuple[dict[str, Any], int]:
    """The header of an index file and where its arrays start (IndexFileError if not one)."""
    where = str(path)
    try:
        with open(path, "rb") as handle:
            magic = handle.read(len(MAGIC))
            if magic != MAGIC:
                raise IndexFileError(f"{where} is not a match index file (cme match build-index).")
            size = int.from_bytes(handle.read(8), "little")
            header = json.loads(handle.read(size))
    except OSError as exc:
        raise IndexFileError(
            f"the match index file {where} cannot be read: {exc.strerror}."
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise IndexFileError(f"{where} is damaged: its header is not readable.") from None
    return header, -(-(len(MAGIC) + 8 + size) // 4096) * 4096


def check(header: dict[str, Any], model: Model, where: str) -> None:
    """Refuse a file that another version of the code or another model built."""
    rebuild = f"Build it again with: cme match build-index --out {where}"
    if header.get("format") != FORMAT:
        raise IndexFileError(
            f"the match index file {where} has file format {header.get('format')}, "
            f"this code reads format {FORMAT}. {rebuild}"
        )
    if header.get("fingerprint") != layout_fingerprint() or header.get("fields") != list(FIELDS):
        raise IndexFileError(
            f"the match index file {where} was built by a version of the code that encodes "
            f"records differently (normalisation, name table or blocking keys changed). {rebuild}"
        )
    built_for, ours = header.get("model", {}), model_layout(model)
    if built_for.get("levels") != ours["levels"]:
        raise IndexFileError(
            f"the match index file {where} was built for model {built_for.get('version')!r}, "
            f"whose comparison levels differ from model {ours['version']!r} in use. {rebuild}"
        )


def load(path: str | Path, model: Model) -> MatchIndex:
    from cme.matching.index import Base, MatchIndex

    where = str(path)
    header, start = read_header(path)
    check(header, model, where)
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY)
    directory = header["arrays"]
    end = max(
        (start + d["offset"] + int(np.prod(d["shape"])) * np.dtype(d["dtype"]).itemsize)
        for d in directory.values()
    )
    if end > size:
        raise IndexFileError(f"{where} is damaged: it is shorter than its header says.")

    def array(name: str, writable: bool = False) -> np.ndarray:
        d = directory[name]
        dtype = np.dtype(d["dtype"])
        count = int(np.prod(d["shape"]))
        out = np.frombuffer(mapped, dtype=dtype, count=count, offset=start + d["offset"])
        out = out.reshape(d["shape"])
        out.flags.writeable = writable
        return out

    index = MatchIndex.__new__(MatchIndex)
    index.model = model
    index.block_cap = 5000
    index.one_child = True
    index.vocab = Vocabularies()
    for name in VOCAB_NAMES:
        table = StringTable(
            mapped,
            array(f"{name}.offsets"),
            array(f"{name}.hashes"),
            array(f"{name}.order"),
            start=start + directory[f"{name}.blob"]["offset"],
        )
        setattr(index.vocab, name, FrozenVocab(table))
    groups = GroupSets()
    groups.sets = [frozenset(s) for s in header["groups"]["sets"]]
    groups.codes = dict(header["groups"]["codes"])
    index.vocab.groups = groups
    _ = groups.matrix  # made once here, before any fork, and shared
    index._base = Base(
        array("data"),
        array("ids"),
        array("alive", writable=True),
        array("id_order"),
        Postings(array("postings.keys"), array("postings.starts"), array("postings.rows")),
    )
    index._reset_delta()
    index._live = int(header["live"])
    # small, and changed in place by every record added or removed: private copies
    index._fn_counts = np.array(array("fn_counts"))
    index._sn_counts = np.array(array("sn_counts"))
    index.meta = dict(header.get("meta", {}))
    index.meta["file"] = where
    index._building = False
    # the names' letter counts for search's bounds: made in the process that maps the file,
    # before it forks its workers, so that they share them
    table_signatures(index.vocab.names)
    return index
