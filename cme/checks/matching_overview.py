"""What the CME manager's matching models page reads: every model a search could use, what
its retrain measured, whether it still fits the code, the one in use and the switches.

Nothing here names a child: the figures are counts. docs/matching.md, "Learning from the
officers".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from cme.accounts.permissions import Action, can
from cme.core.errors import NotAllowed
from cme.matching.model import default_model

from .matching_models import SHIPPED, in_use, parse_model
from .models import MatchingModel, MatchingModelSwitch

# The retrain's report names each comparison base/new; the page says where it was measured.
MEASURED_ON = (
    ("decisions", "The council's own decisions"),
    ("benchmark", "The generated benchmark"),
)

RETRAIN_COMMAND = "cme match retrain --by YOUR-USERNAME"


@dataclass(frozen=True)
class Figure:
    """Precision or recall at the likely band: a share and the counts behind it."""

    share: float | None  # None: nothing to divide by (no pair marked likely, or no match)
    count: int
    out_of: int

    @property
    def text(self) -> str:
        if self.share is None:
            return "Cannot say (none to count)"
        return f"{self.share:.1%} ({self.count:,} of {self.out_of:,})"


@dataclass(frozen=True)
class Comparison:
    """One place the retrain measured, the model it started from against the new one."""

    measured_on: str
    precision_before: Figure
    precision_after: Figure
    recall_before: Figure
    recall_after: Figure


@dataclass(frozen=True)
class Entry:
    """One model a manager may see: the shipped one (row None) or one kept."""

    version: str
    choice: str  # what the switch form sends: "shipped" or the version
    row: MatchingModel | None
    note: str
    likely: float | None
    in_use: bool
    problem: str = ""  # why it cannot be used with this code; empty when it can
    base: str = ""  # the model it was retrained from
    confirmed: int | None = None
    rejected: int | None = None
    folds: int | None = None
    left_out_missing: int = 0
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class Overview:
    entries: list[Entry]
    in_use: Entry
    # A kept model was chosen but no longer fits the code: searches use the shipped one.
    chosen_but_unusable: Entry | None
    latest_switch: MatchingModelSwitch | None
    switches: list[MatchingModelSwitch]
    # The version the latest switch chose (the switch service's "from"), even if unusable.
    chosen_version: str


def _figures(scores: dict[str, Any]) -> tuple[Figure, Figure]:
    predicted = int(scores.get("predicted_likely", 0))
    hits = int(scores.get("true_positives", 0))
    matches = int(scores.get("matches", 0))
    return (
        Figure(scores.get("precision"), hits, predicted),
        Figure(scores.get("recall"), hits, matches),
    )


def _comparisons(report: dict[str, Any]) -> list[Comparison]:
    out = []
    for key, label in MEASURED_ON:
        before, after = report.get(f"{key}_base"), report.get(f"{key}_new")
        if not isinstance(before, dict) or not isinstance(after, dict):
            continue
        (p0, r0), (p1, r1) = _figures(before), _figures(after)
        out.append(Comparison(label, p0, p1, r0, r1))
    return out


def _problem(row: MatchingModel) -> tuple[str, float | None]:
    """Why a kept model cannot be used with this code ("" if it can), and its likely band."""
    try:
        model = parse_model(row.content)
    except ValidationError as exc:
        why = str(exc.__cause__) if exc.__cause__ else " ".join(exc.messages)
        return (
            "It cannot be used with this version of the register: it was made for other "
            f"comparison levels ({why}). Retrain to make a model that fits, with "
            f"{RETRAIN_COMMAND}, then switch to the new one.",
            None,
        )
    return "", model.likely


def _kept(row: MatchingModel, current: MatchingModel | None) -> Entry:
    problem, likely = _problem(row)
    report = row.report if isinstance(row.report, dict) else {}
    decisions = report.get("decisions") or {}
    if likely is None and isinstance(report.get("likely"), int | float):
        likely = float(report["likely"])
    return Entry(
        version=row.version,
        choice=row.version,
        row=row,
        note=row.note,
        likely=likely,
        in_use=current is not None and current.pk == row.pk,
        problem=problem,
        base=str(report.get("base", "")),
        confirmed=decisions.get("confirmed"),
        rejected=decisions.get("rejected"),
        folds=report.get("folds"),
        left_out_missing=int(report.get("left_out_missing") or 0),
        comparisons=_comparisons(report),
    )


def matching_models_overview(*, user: Any) -> Overview:
    """Every model, the one in use and the switches, for a CME manager (NotAllowed else)."""
    if not can(user, Action.MANAGE_MATCHING):
        raise NotAllowed
    shipped_model = default_model()
    chosen_version, current = in_use()
    kept = [_kept(row, current) for row in MatchingModel.objects.select_related("added_by")]
    shipped = Entry(
        version=shipped_model.version,
        choice=SHIPPED,
        row=None,
        note=str(shipped_model.meta.get("trained_on", "")),
        likely=shipped_model.likely,
        in_use=current is None,
    )
    chosen = next((e for e in kept if e.in_use), None)
    unusable = chosen if chosen is not None and not chosen.usable else None
    switches = list(MatchingModelSwitch.objects.select_related("model", "by").order_by("-number"))
    return Overview(
        entries=[shipped, *kept],
        in_use=shipped if chosen is None or unusable else chosen,
        chosen_but_unusable=unusable,
        latest_switch=switches[0] if switches else None,
        switches=switches,
        chosen_version=chosen_version,
    )
