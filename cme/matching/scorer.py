"""Vectorised Fellegi-Sunter scoring of pairs of encoded records, and the reasons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cme.matching.comparisons import COMPARISONS, LEVEL_FUNCTIONS, Context
from cme.matching.features import Side, Vocabularies
from cme.matching.model import Model, probability
from cme.matching.records import child_id

# A name's frequency replaces its u only in a register this large: in a smaller one a count of
# one or two says little about how common the name is.
TF_MIN_RECORDS = 1000


@dataclass
class TermFrequencies:
    """Counts of each names-vocabulary code as a forename and as a surname."""

    forename: np.ndarray
    surname: np.ndarray
    total: int


@dataclass
class Scored:
    weight: np.ndarray
    probability: np.ndarray
    levels: dict[str, np.ndarray]
    swapped: np.ndarray
    # bits taken off each pair's weight because other candidates fit the same child too
    # (`share_among_candidates`); zero until that is applied
    shared: np.ndarray | None = None


# A candidate this unlikely on its own evidence (a pair probability under 1%) is not counted
# as a rival: each could move another's probability by under 1%, and both paths find every
# candidate above it.
RIVAL_MIN_WEIGHT = float(np.log2(0.01 / 0.99))
# Rivals that take at least this much off a candidate's probability are given as a reason.
SHARED_REASON_DROP = 0.01


def tf_weight(model: Model, comp: str, counts: np.ndarray, total: int, codes: np.ndarray):
    m_exact = model.comparisons[comp].m[0]
    safe = np.minimum(np.maximum(codes, 0), max(len(counts) - 1, 0))  # np.clip, for less
    found = np.where(codes < len(counts), counts[safe] if len(counts) else 0, 0)
    tf = np.maximum(found / max(total, 1), model.tf_minimum_u)
    return np.log2(m_exact / tf)


def _name_weight(model: Model, levels: dict[str, np.ndarray]) -> np.ndarray:
    total = model.comparisons["forename"].weights[levels["forename"]]
    return total + model.comparisons["surname"].weights[levels["surname"]]


def score(
    model: Model,
    vocab: Vocabularies,
    x: Side,
    y: Side,
    n: int,
    tf: TermFrequencies | None = None,
    register_size: int | None = None,
) -> Scored:
    """Score n pairs (x[i], y[i]); either side may have length 1 and broadcast.

    `register_size` (the number of records searched) scales the prior (`Model.prior_for`).
    """
    ctx = Context(vocab.names, vocab.groups, vocab.addresses)
    levels = {c.name: LEVEL_FUNCTIONS[c.name](ctx, x, y, n) for c in COMPARISONS}
    weight = np.full(n, model.prior_weight_for(register_size))
    for c in COMPARISONS:
        weight = weight + model.comparisons[c.name].weights[levels[c.name]]
    if tf is not None and tf.total >= TF_MIN_RECORDS:
        for comp, counts, codes in (
            ("forename", tf.forename, x.fn),
            ("surname", tf.surname, x.sn),
        ):
            exact = levels[comp] == 0
            if exact.any():
                cw = model.comparisons[comp]
                # a lookup's one query name: its weight once, for every pair
                wide = codes if codes.size == 1 else np.broadcast_to(codes, (n,))
                adjusted = tf_weight(model, comp, counts, tf.total, wide)
                weight = weight + np.where(exact, adjusted - cw.weights[0], 0.0)
    swapped = _swap(model, ctx, x, y, n, levels, weight)
    weight = _sibling_guard(model, levels, weight)
    return Scored(weight, probability(weight), levels, swapped)


def same_child(query: np.ndarray, keys: list[np.ndarray], strong: np.ndarray) -> np.ndarray:
    """Label each pair with the child its candidate is, within its referral (`query`).

    Strong candidates (`strong`: the possible rivals) linked by any of `keys` (each an int64
    array per pair, or (n, k) rows; -1 in the first column: no key) are one child, directly
    or through each other: the same child recorded twice (a dual registration, a duplicate in
    a source, a former name), not rivals for the referral. A candidate too weak to be a rival
    is a child of its own. Labels are row numbers, so they never cross referrals.
    """
    n = query.size
    label = np.arange(n, dtype=np.int64)
    rows = np.flatnonzero(strong)
    if rows.size < 2:
        return label
    sub = np.arange(rows.size, dtype=np.int64)
    columns = [k.reshape(n, -1)[rows] for k in keys]
    q = query[rows]
    for _ in range(8):  # labels settle in a step or two: a child has a record or three
        before = sub.copy()
        for k in columns:
            has = np.flatnonzero(k[:, 0] >= 0)
            if has.size < 2:
                continue
            group = _same_rows(np.column_stack([q[has], k[has]]))
            least = np.full(int(group.max()) + 1, rows.size, dtype=np.int64)
            np.minimum.at(least, group, sub[has])
            sub[has] = least[group]
            sub = sub[sub]
        if np.array_equal(sub, before):
            break
    label[rows] = rows[sub]
    return label


def _same_rows(matrix: np.ndarray) -> np.ndarray:
    """A group number per row of an int matrix, the same for equal rows: what
    `np.unique(matrix, axis=0, return_inverse=True)` partitions them into (numbered in
    another order), by a lexicographic sort of the columns, in a quarter of its time."""
    order = np.lexsort(matrix.T[::-1])
    ordered = matrix[order]
    starts = np.ones(len(matrix), dtype=np.int64)
    starts[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    group = np.empty(len(matrix), dtype=np.int64)
    group[order] = np.cumsum(starts) - 1
    return group


def duplicate_keys(y: Side, n: int) -> list[np.ndarray]:
    """The keys that say two candidates are one child: the first name, surname and date of
    birth where all three are known (twins never share a first name), and a valid UPN."""
    full = (y.fn >= 0) & (y.sn >= 0) & (y.dob >= 0)
    person = np.column_stack(
        [
            np.where(full, np.broadcast_to(y.fn, (n,)), -1),
            np.broadcast_to(y.sn, (n,)),
            np.broadcast_to(y.dob, (n,)),
        ]
    ).astype(np.int64)
    upn = np.broadcast_to(y.upn, (n,)).astype(np.int64)
    return [person, upn]


def share_among_candidates(
    scored: Scored,
    child: np.ndarray,
    query: np.ndarray | None = None,
    own: np.ndarray | None = None,
) -> None:
    """Share each referral's probability among the children it could be (in place).

    A referral is one child, so it is the register's record of at most one child. The pair
    weight says how well one candidate fits on its own; with rivals k for the same referral
    the chance that candidate j is the child is 2^w_j / (1 + 2^w_j + sum of 2^w_k), i.e. its
    weight less log2(1 + sum of 2^w_k). With no rival that is the pair probability itself.
    A sibling who fits nearly as well as the child (same surname, address and birthday) is
    then no longer "likely" beside the child, and a child two records fit equally gets an even
    share, for an officer to decide. Candidates with the same `child` label (`same_child`) are
    one child (their strongest counts once); `own` marks records that are no rival (the
    searched record itself, in a deduplication); rivals weaker than `RIVAL_MIN_WEIGHT` are not
    counted. `query` says which referral each pair belongs to (bulk); a lookup's pairs all
    belong to one.
    """
    n = scored.weight.size
    weight = scored.weight
    query = np.zeros(n, dtype=np.int64) if query is None else query.astype(np.int64)
    rivals = np.zeros(n)
    strong = weight >= RIVAL_MIN_WEIGHT
    if own is not None:
        strong &= ~own.astype(bool)
    rows = np.flatnonzero(strong)
    if rows.size:
        # Over the strong candidates only (a handful per referral): each child's strongest,
        # relative to the strongest of its referral so that nothing overflows.
        kids, at = np.unique(child[rows], return_inverse=True)
        at = at.reshape(-1)
        refs, ref_at = np.unique(query[rows], return_inverse=True)
        ref_at = ref_at.reshape(-1)
        top = np.full(refs.size, -np.inf)
        np.maximum.at(top, ref_at, weight[rows])
        mass = np.zeros(kids.size)
        np.maximum.at(mass, at, np.exp2(weight[rows] - top[ref_at]))
        kid_ref = np.zeros(kids.size, dtype=np.int64)
        kid_ref[at] = ref_at
        # The other children's masses are summed without taking a child's own from a total
        # (which would lose a strong candidate's small rivals to rounding).
        order = np.lexsort((-mass, kid_ref))
        first = np.ones(order.size, dtype=bool)
        first[1:] = kid_ref[order][1:] != kid_ref[order][:-1]
        best = np.full(refs.size, -1, dtype=np.int64)
        best[kid_ref[order][first]] = order[first]
        others = np.ones(kids.size, dtype=bool)
        others[best] = False
        rest = np.zeros(refs.size)
        np.add.at(rest, kid_ref[others], mass[others])
        # every pair of a referral with a strong candidate: where its child is among them
        ref_of = np.searchsorted(refs, query)
        has = (ref_of < refs.size) & (refs[np.minimum(ref_of, refs.size - 1)] == query)
        r = np.minimum(ref_of, refs.size - 1)
        kid_of = np.searchsorted(kids, child)
        kid_of_c = np.minimum(kid_of, kids.size - 1)
        is_kid = (kid_of < kids.size) & (kids[kid_of_c] == child) & strong
        own_mass = np.where(is_kid, mass[kid_of_c], 0.0)
        is_best = is_kid & (best[r] == kid_of_c)
        scaled = np.where(is_best, rest[r], mass[best[r]] + np.maximum(rest[r] - own_mass, 0.0))
        if own is not None:
            has &= ~own.astype(bool)
        with np.errstate(divide="ignore"):
            log_rivals = np.where(has & (scaled > 0), np.log2(np.maximum(scaled, 1e-300)), -np.inf)
        rivals = np.where(np.isfinite(log_rivals), np.logaddexp2(0.0, log_rivals + top[r]), 0.0)
    scored.shared = rivals
    scored.weight = weight - rivals
    scored.probability = probability(scored.weight)


def share_for_one_child(
    scored: Scored,
    y: Side,
    ids_of: Callable[[list[int]], list[str]],
    *,
    query: np.ndarray | None = None,
    not_rival: np.ndarray | None = None,
    excluded: frozenset[str] = frozenset(),
) -> None:
    """`share_among_candidates` with the candidates' children worked out, as both the lookup
    and bulk do it (in place). `ids_of(rows)` gives the record ids of candidate rows: only
    strong candidates' ids are read, to tell a child's records (former names, "<id>~<n>",
    `records.child_id`) from other children's. `not_rival` marks the searched record itself;
    children in `excluded` are no rivals either."""
    n = scored.weight.size
    query = np.zeros(n, dtype=np.int64) if query is None else query.astype(np.int64)
    rival = scored.weight >= RIVAL_MIN_WEIGHT
    skip = np.zeros(n, dtype=bool) if not_rival is None else not_rival.astype(bool)
    group = np.full(n, -1, dtype=np.int64)
    strong = np.flatnonzero(rival)
    if strong.size:
        children = [child_id(r) for r in ids_of(strong.tolist())]
        codes = {c: k for k, c in enumerate(dict.fromkeys(children))}
        group[strong] = [codes[c] for c in children]
        if excluded:
            skip[strong] |= np.array([c in excluded for c in children])
    rival &= ~skip
    child = same_child(query, [*duplicate_keys(y, n), group], rival)
    share_among_candidates(scored, child, query=query, own=skip)


def _sibling_guard(model: Model, levels: dict[str, np.ndarray], weight: np.ndarray) -> np.ndarray:
    """A pair with no given name alike is at most "possible" unless the UPN agrees.

    Twins and siblings agree on surname, address and often birthday, which a model that
    treats fields as independent reads as overwhelming evidence; the given names are what
    tell them apart. "No given name alike" is the forename comparison's last level: the
    first names differ and neither is spelt like the other record's middle name, so a
    middle name used as the first name and mistyped ("Kwmae") is not taken for a sibling.
    This guard is a rule, not a trained parameter (see docs/matching.md); a model for data
    without siblings can turn it off ("sibling_guard": false in the model file).
    """
    if not model.sibling_guard:
        return weight
    different = (levels["forename"] == len(model.comparisons["forename"].keys) - 1) & (
        levels["upn"] != 0
    )
    cap = np.log2(model.likely / (1 - model.likely)) - 0.01
    return np.where(different, np.minimum(weight, cap), weight)


def _swap(model, ctx, x, y, n, levels, weight) -> np.ndarray:
    """Where forename and surname read better exchanged, use that (symmetric in x and y)."""
    poor = (levels["forename"] > 2) & (levels["surname"] > 1)
    swapped = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(poor)
    if not rows.size:
        return swapped
    xs = x.take(rows) if len(x.fn) > 1 else x
    ys = y.take(rows) if len(y.fn) > 1 else y
    k = rows.size
    normal = _name_weight(model, {k2: levels[k2][rows] for k2 in ("forename", "surname")})
    best = np.full(k, -np.inf)
    best_levels: dict[str, np.ndarray] = {}
    for a, b in ((xs, ys.swapped_names()), (xs.swapped_names(), ys)):
        alt = {
            "forename": LEVEL_FUNCTIONS["forename"](ctx, a, b, k),
            "surname": LEVEL_FUNCTIONS["surname"](ctx, a, b, k),
        }
        w = _name_weight(model, alt)
        better = w > best
        best = np.where(better, w, best)
        for name, lv in alt.items():
            best_levels[name] = np.where(better, lv, best_levels.get(name, lv))
    gain = best - model.swap_penalty - normal
    last_fn = len(model.comparisons["forename"].keys) - 1
    last_sn = len(model.comparisons["surname"].keys) - 1
    both = (best_levels["forename"] < last_fn) & (best_levels["surname"] < last_sn)
    use = (gain > 0) & both
    if use.any():
        chosen = rows[use]
        weight[chosen] += gain[use]
        levels["forename"][chosen] = best_levels["forename"][use]
        levels["surname"][chosen] = best_levels["surname"][use]
        swapped[chosen] = True
    return swapped


# forename levels that match a first name against a middle name: both are shown
_GIVEN_LEVELS = frozenset({"middle", "middle_near"})


def _show(vocab: Vocabularies, comp: str, x: Side, i: int) -> str:
    def v(name: str) -> int:
        arr = getattr(x, name)
        return int(arr[i] if len(arr) > 1 else arr[0])

    if comp in ("forename", "surname"):
        return vocab.names.lookup(v("fn" if comp == "forename" else "sn")).title()
    middles = " ".join(vocab.names.lookup(v(m)).title() for m in ("mid", "mid2") if v(m) >= 0)
    if comp == "middle_names":
        return middles
    if comp == "given_names":  # the first name with the middle names, when they are compared
        first = vocab.names.lookup(v("fn")).title()
        label = "middle names" if " " in middles else "middle name"
        return f"{first} ({label} {middles})" if middles else first
    if comp == "date_of_birth":
        d = v("dob")
        return f"{d // 10000:04d}-{d // 100 % 100:02d}-{d % 100:02d}" if d >= 0 else ""
    if comp == "postcode":
        return vocab.postcodes.lookup(v("pcu")) or vocab.postcodes.lookup(v("pcd"))
    if comp == "upn":
        return vocab.upns.lookup(v("upn"))
    return ""


def reasons(
    model: Model, vocab: Vocabularies, scored: Scored, x: Side, y: Side, i: int
) -> list[str]:
    """Plain-English reasons for pair i, strongest evidence (for or against) first."""
    out: list[tuple[float, str]] = []
    if scored.swapped[i]:
        out.append((99.0, "forename and surname are swapped"))
    if scored.shared is not None and (
        float(probability(scored.weight[i] + scored.shared[i]) - scored.probability[i])
        >= SHARED_REASON_DROP
    ):
        out.append(
            (
                98.0,
                "another record here fits this child nearly as well or better, so the chance "
                "is shared with it (a brother or sister, or the child recorded twice)",
            )
        )
    for comp in COMPARISONS:
        level = int(scored.levels[comp.name][i])
        if level < 0:
            continue
        shown = comp.name
        if comp.name == "forename" and comp.levels[level].key in _GIVEN_LEVELS:
            shown = "given_names"
        reason = comp.levels[level].reason
        # only the values the reason shows are looked up (most show one or none)
        a = _show(vocab, shown, x, i) if "{a}" in reason else ""
        b = ""
        if "{b}" in reason:
            b = _show(vocab, shown, y, i)
            if scored.swapped[i] and comp.name in ("forename", "surname"):
                other = "surname" if comp.name == "forename" else "forename"
                b = _show(vocab, other, y, i)
        text = reason.format(a=a, b=b)
        out.append((abs(float(model.comparisons[comp.name].weights[level])), text))
    return [text for _, text in sorted(out, key=lambda t: -t[0])]
