"""Reading checks and the home education register: scoped, and every record shown audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import Http404

from cme.accounts.models import Role, User
from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record, audit_record_many
from cme.cases.models import Case
from cme.cases.scopes import case_scope
from cme.cases.selectors import case_get
from cme.core.errors import NotAllowed

from .models import (
    CandidateDecision,
    Check,
    CheckCandidate,
    Decision,
    HomeEducatedChild,
    HomeEducationStatus,
    LostPupilMatch,
)
from .sources import all_sources, child_record


@dataclass
class CheckPage:
    case: Case
    child_record: dict[str, Any]
    latest: list[Check] = field(default_factory=list)
    history: list[Check] = field(default_factory=list)
    ems_productive: bool | None = None


def ems_productive(checks: list[Check]) -> bool | None:
    """Did the on-roll search find the child? None if no on-roll source was searched."""
    on_roll = {s.name for s in all_sources() if s.on_roll}
    searched = [c for c in checks if c.source in on_roll]
    if not searched:
        return None
    candidates = CheckCandidate.objects.filter(check_run__in=searched)
    return candidates.filter(band="likely").exclude(decision=Decision.REJECTED).exists() or (
        candidates.filter(decision=Decision.CONFIRMED).exists()
    )


def check_page(*, user: Any, case_id: int) -> CheckPage:
    """The case (404 outside scope, audited) with its latest checks and their history."""
    if not can(user, Action.TRIAGE):
        raise NotAllowed
    case = case_get(user=user, case_id=case_id)
    candidates = CheckCandidate.objects.prefetch_related(
        Prefetch("decisions", queryset=CandidateDecision.objects.select_related("by"))
    ).select_related("decided_by")
    history = list(
        Check.objects.filter(case=case)
        .select_related("run_by")
        .prefetch_related(Prefetch("candidates", queryset=candidates))
        .order_by("-run_at", "id")
    )
    latest = [c for c in history if history and c.run_at == history[0].run_at]
    # Candidates from the register are other children's records: showing them is a read.
    shown = {
        int(candidate.source_record_id)
        for check in latest
        if check.source == "register"
        for candidate in check.candidates.all()
    }
    audit_record_many(
        actor=user,
        verb=Verb.SEARCH,
        subject_type="child",
        rows=[(child_id, child_id) for child_id in sorted(shown)],
    )
    return CheckPage(
        case=case,
        child_record=child_record(case.child),
        latest=latest,
        history=history,
        ems_productive=ems_productive(latest) if latest else None,
    )


def candidate_get(*, user: Any, candidate_id: int) -> CheckCandidate:
    """A candidate match on a case the user may see, for the CME team who decide on it; 404
    outside scope as for a missing one. The read is audited against the case's child."""
    if not can(user, Action.TRIAGE):
        raise NotAllowed
    candidate = (
        CheckCandidate.objects.filter(check_run__case__in=Case.objects.filter(case_scope(user)))
        .select_related("check_run__case")
        .filter(pk=candidate_id)
        .first()
    )
    if candidate is None:
        raise Http404
    audit_record(
        actor=user,
        verb=Verb.VIEW,
        subject=candidate,
        child_id=candidate.check_run.case.child_id,
    )
    return candidate


def paews_officers() -> Any:
    return User.objects.filter(role=Role.PAEWS_OFFICER, is_active=True).order_by(
        "last_name", "first_name"
    )


def home_education_page(*, user: Any, show_ended: bool, page_number: int | str) -> Page[Any]:
    if not can(user, Action.TRIAGE):
        raise NotAllowed
    qs = HomeEducatedChild.objects.all()
    if not show_ended:
        qs = qs.filter(status=HomeEducationStatus.ACTIVE)
    page = Paginator(qs.order_by("surname", "forename", "id"), settings.CME_PAGE_SIZE).get_page(
        page_number
    )
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="homeeducatedchild",
        rows=[(c.pk, None) for c in page.object_list],
    )
    return page


def home_education_get(*, user: Any, entry_id: int) -> HomeEducatedChild:
    """One entry of the home education register, for the CME team; 404 if there is none.
    Opening it is a read of a child's record, so it is audited like any other."""
    if not can(user, Action.TRIAGE):
        raise NotAllowed
    entry = HomeEducatedChild.objects.filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    audit_record(actor=user, verb=Verb.VIEW, subject=entry)
    return entry


def lost_pupil_match_get(*, user: Any, match_id: int) -> LostPupilMatch:
    """A lost pupil record offered on a case the user may see, for the CME team who decide on
    it; 404 outside scope as for a missing one. The read is audited against the case's child."""
    if not can(user, Action.TRIAGE):
        raise NotAllowed
    match = (
        LostPupilMatch.objects.filter(case__in=Case.objects.filter(case_scope(user)), pk=match_id)
        .select_related("case", "lost_pupil")
        .first()
    )
    if match is None:
        raise Http404
    audit_record(actor=user, verb=Verb.VIEW, subject=match, child_id=match.case.child_id)
    return match
