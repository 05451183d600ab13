"""Partner extracts: aggregate tables for circulation outside the CME team, with small numbers
hidden so that no child can be picked out (cme.rules.suppression), by suppression or by DfE's
rounding, chosen per extract in settings.CME_EXTRACTS. Made by a CME manager only
(Action.PUBLISH_EXTRACTS); never a child's details, never an unprotected count."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from cme.rules.dfe_return import SEXES, YEAR_GROUPS
from cme.rules.suppression import Method, Published, Table, publish

from .dfe_return import cme_children_on
from .pack import Section, closures, referrals_by, register_status


@dataclass(frozen=True)
class Extract:
    slug: str
    title: str
    what: str
    table: Callable[[date, date], Table]


def _one_way(section: Section) -> Table:
    return Table.one_way([label for label, _ in section.rows], [v[0] for _, v in section.rows])


def _cme_by_year_group_and_sex(first: date, last: date) -> Table:
    counts = Counter((group, sex) for _, sex, group, _, _ in cme_children_on(last).values())
    return Table(
        YEAR_GROUPS,
        SEXES,
        tuple(tuple(counts.get((g, s), 0) for s in SEXES) for g in YEAR_GROUPS),
    )


EXTRACTS: tuple[Extract, ...] = (
    Extract(
        "cme-by-year-group-and-sex",
        "Children missing education by year group and sex",
        "Children missing education at the end of the period's last day, as DfE's return "
        "counts them.",
        _cme_by_year_group_and_sex,
    ),
    Extract(
        "register-status",
        "Children on the register by status",
        "Children on the CME register at the end of the period's last day, by the status of "
        "their case.",
        lambda first, last: _one_way(register_status(last)),
    ),
    Extract(
        "referrals-by-route",
        "New referrals by route",
        "Referrals received in the period, by how they reached the CME team.",
        lambda first, last: _one_way(referrals_by(first, last, "route")),
    ),
    Extract(
        "closures-by-outcome",
        "Closures by outcome",
        "Cases closed in the period, by outcome.",
        lambda first, last: _one_way(closures(first, last)),
    ),
)


def extract_by_slug(slug: str) -> Extract:
    for extract in EXTRACTS:
        if extract.slug == slug:
            return extract
    raise KeyError(slug)


def method_for(extract: Extract) -> tuple[Method, int]:
    method, threshold = settings.CME_EXTRACTS.get(extract.slug, ("suppress", 5))
    return Method(method), int(threshold)


def extract_publish(extract: Extract, first: date, last: date) -> Published:
    method, threshold = method_for(extract)
    return publish(extract.table(first, last), method=method, threshold=threshold)


def how_protected(published: Published) -> str:
    if published.method is Method.ROUND:
        return (
            "Rounded to the nearest 10 as DfE rounds; 'low' is 1 to 4 children. Totals are "
            "rounded from the true totals, so they may not add up."
        )
    return (
        f"Counts of 1 to {published.threshold - 1 if published.threshold else 0} children, "
        "and any other count that would give one back from a total, are shown as 'c'."
    )


def is_one_way(published: Published) -> bool:
    return len(published.rows) == 1


def extract_lines(published: Published) -> tuple[list[str], list[list[str]]]:
    """The header and the lines, as the page and the CSV show them: a one-way breakdown one
    line per value, a two-way table its rows with a total column and a total row."""
    if is_one_way(published):
        values = [*published.columns, "Total"]
        return ["", "Number"], [[v, c] for v, c in zip(values, published.cells[0], strict=True)]
    labels = [*published.rows, "Total"]
    return (
        ["", *published.columns, "Total"],
        [[label, *cells] for label, cells in zip(labels, published.cells, strict=True)],
    )


def extract_csv(extract: Extract, published: Published, first: date, last: date) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header, lines = extract_lines(published)
    writer.writerow(header)
    writer.writerows(lines)
    writer.writerow([])
    writer.writerow([f"{extract.title}, {first.isoformat()} to {last.isoformat()}."])
    writer.writerow([how_protected(published)])
    return out.getvalue()
