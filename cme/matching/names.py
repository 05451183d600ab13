"""The forename variant table (diminutives, spelling variants, transliterations).

The table is data (``data/names.tsv``) with the source of each line; see docs/matching.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from cme.matching.normalise import fold


@dataclass(frozen=True)
class NameTable:
    groups: dict[str, tuple[str, ...]]  # folded name -> group names it belongs to (sorted)
    kinds: dict[str, str]  # group -> kind
    sources: dict[str, str]  # group -> source code

    def groups_of(self, name: str) -> tuple[str, ...]:
        """Groups a normalised forename belongs to; a name not in the table is its own group."""
        return self.groups.get(name, (name,)) if name else ()

    def shared_group(self, a: str, b: str) -> str | None:
        """A group both names belong to, or None."""
        common = set(self.groups_of(a)) & set(self.groups_of(b))
        return min(common) if common else None


def parse_table(text: str) -> NameTable:
    groups: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    sources: dict[str, str] = {}
    for raw in text.splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        group, names, kind, source = raw.split("\t")
        kinds[group] = kind
        sources[group] = source
        for name in names.split(","):
            groups.setdefault(fold(name).replace(" ", ""), set()).add(group)
    return NameTable(
        groups={name: tuple(sorted(gs)) for name, gs in groups.items()},
        kinds=kinds,
        sources=sources,
    )


@cache
def name_table() -> NameTable:
    """The shipped table."""
    text = resources.files("cme.matching").joinpath("data/names.tsv").read_text("utf-8")
    return parse_table(text)
