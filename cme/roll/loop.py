"""New pupil returns close the loop (issue 11 item 5): each is matched against the children
of open cases and the pupils on the watch list with the matching engine the Check step uses
(`cme.matching`); the officer confirms or rejects each likely or possible match. A confirmed
case match closes the case as on roll at the new school (`case_close_on_roll`, under the
closing rules of cme/cases/closing.py); a confirmed watch-list match ends the watch.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.cases.models import OPEN_STATUSES, Case
from cme.cases.services import case_close_on_roll
from cme.cases.sources import child_record
from cme.core.errors import NotAllowed
from cme.matching import MatchIndex
from cme.matching.model import active_model
from cme.matching.sources import SHOWN_BANDS

from .models import ActionStatus, NewPupilReturn
from .notices import roll_notice_may_delete
from .watch import watch_stopped
from .watch_models import MatchDecision, NewPupilMatch, WatchedPupil, WatchStatus

OFFERS = 3


def _record(row: Any, rid: str) -> dict[str, Any]:
    return {
        "id": rid,
        "forename": row.forename,
        "middle_names": row.middle_names,
        "surname": row.surname,
        "date_of_birth": row.date_of_birth,
        "sex": "" if row.sex == "U" else row.sex,
        "postcode": row.postcode,
        "address": row.address_line_1,
        "upn": row.upn,
    }


def _index(school: Any) -> tuple[MatchIndex, dict[str, Case], dict[str, WatchedPupil]]:
    cases: dict[str, Case] = {}
    records = []
    for case in Case.objects.filter(status__in=OPEN_STATUSES).select_related("child"):
        record = child_record(case.child)
        rid = f"case:{case.pk}"
        records.append({**record, "id": rid})
        cases[rid] = case
    watched: dict[str, WatchedPupil] = {}
    # A pupil watched at another school: the new school's roll is where they went.
    for pupil in WatchedPupil.objects.filter(status=WatchStatus.WATCHING).exclude(school=school):
        rid = f"watched:{pupil.pk}"
        records.append(_record(pupil, rid))
        watched[rid] = pupil
    return MatchIndex(records, active_model()), cases, watched


def new_pupil_matches_find(record: NewPupilReturn) -> list[NewPupilMatch]:
    """Offer the return's likely and possible matches to the officer; inside the return's
    transaction. The action on the return says how many."""
    index, cases, watched = _index(record.school)
    if not len(index):
        return []
    found = []
    for match in index.search(_record(record, f"return:{record.pk}"), limit=OFFERS + 2):
        if match.band not in SHOWN_BANDS:
            continue
        case, pupil = cases.get(match.id), watched.get(match.id)
        if case is None and pupil is None:
            continue
        found.append(
            NewPupilMatch.objects.create(
                new_pupil_return=record,
                case=case,
                watched=pupil,
                child=case.child if case else pupil.child if pupil else None,
                band=match.band,
                probability=match.probability,
                reasons=list(match.reasons),
            )
        )
        if len(found) == OFFERS:
            break
    return found


def _decided(match: NewPupilMatch, *, by: Any, decision: str, reason: str) -> None:
    match.decision = decision
    match.decided_by = by
    match.decided_at = timezone.now()
    match.reason = reason
    match.save(update_fields=["decision", "decided_by", "decided_at", "reason"])
    audit_record(
        actor=by,
        verb=Verb.CANDIDATE_CONFIRMED
        if decision == MatchDecision.CONFIRMED
        else Verb.CANDIDATE_REJECTED,
        subject=match,
        child_id=match.child_id,
        details={"new_pupil_return": match.new_pupil_return_id, "band": match.band},
    )


def _locked(match: NewPupilMatch, by: Any) -> NewPupilMatch:
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    locked = NewPupilMatch.objects.select_for_update().get(pk=match.pk)
    if locked.decision != MatchDecision.PENDING:
        raise ValidationError("This match has already been decided.")
    return locked


def _return_done(record: NewPupilReturn, *, by: Any, note: str) -> None:
    if record.action_status == ActionStatus.DONE:
        return
    if NewPupilMatch.objects.filter(
        new_pupil_return=record, decision=MatchDecision.PENDING
    ).exists():
        return
    record.action_status = ActionStatus.DONE
    record.action_done_by = by
    record.action_done_at = timezone.now()
    record.action_note = note
    record.save(update_fields=["action_status", "action_done_by", "action_done_at", "action_note"])


@transaction.atomic
def new_pupil_match_confirm(*, match: NewPupilMatch, by: Any, reason: str = "") -> NewPupilMatch:
    """The officer confirms the return is this case's child (the case closes as on roll at
    the return's school) or this watched pupil (the watch ends). The other pending matches
    of the same return are rejected: one pupil is one child."""
    locked = _locked(match, by)
    record = locked.new_pupil_return
    school = record.school
    started = f"{record.admitted_on:%-d %B %Y}"
    if locked.case is not None:
        case_close_on_roll(
            case=locked.case,
            school=school,
            by=by,
            note=f"On roll at {school.name} from {started} (new pupil return).",
            reason=reason,
        )
        if record.child_id is None:
            record.child_id = locked.case.child_id
            record.save(update_fields=["child"])
    elif locked.watched is not None and locked.watched.status == WatchStatus.WATCHING:
        watch_stopped(locked.watched, by=by, reason=f"On roll at {school.name} from {started}.")
        roll_notice_may_delete(watched=locked.watched, record=record, by=by)
    _decided(locked, by=by, decision=MatchDecision.CONFIRMED, reason=reason.strip())
    for other in NewPupilMatch.objects.select_for_update().filter(
        new_pupil_return=record, decision=MatchDecision.PENDING
    ):
        _decided(other, by=by, decision=MatchDecision.REJECTED, reason="Another match confirmed.")
    _return_done(record, by=by, note="Match confirmed.")
    return locked


@transaction.atomic
def new_pupil_match_reject(*, match: NewPupilMatch, by: Any, reason: str) -> NewPupilMatch:
    locked = _locked(match, by)
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this is not the same child"]})
    _decided(locked, by=by, decision=MatchDecision.REJECTED, reason=reason.strip())
    _return_done(locked.new_pupil_return, by=by, note="No match was the child.")
    return locked
