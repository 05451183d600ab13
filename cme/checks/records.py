"""The checks run on a child's cases, with their candidates and the officer's decisions.

The sources themselves (school rolls, the home education register) are the council's copies
of other registers, not this child's record, and are not part of it. A lost pupil record is,
once it is tied to the child (confirmed as them, its file stored against them, or the referral
it made is theirs): its CTF file is the child's, and goes with them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.forms.models import model_to_dict

from cme.core.child_records import ChildRecords

from .models import CandidateDecision, Check, CheckCandidate, LostPupil, LostPupilMatch


def _export_case(case: Any) -> dict[str, Any]:
    return {
        "checks": [
            model_to_dict(check, fields=["source", "run_at", "candidate_count"])
            for check in Check.objects.filter(case=case)
        ]
    }


def _remove(child: Any) -> None:
    candidates = CheckCandidate.objects.filter(check_run__case__child=child)
    CandidateDecision.objects.filter(candidate__in=candidates).delete()
    candidates.delete()
    Check.objects.filter(case__child=child).delete()
    LostPupilMatch.objects.filter(case__child=child).delete()
    LostPupil.objects.filter(
        Q(stored_file__child=child) | Q(found_child=child) | Q(referral__child=child)
    ).delete()


CHILD_RECORDS = ChildRecords(
    models=(Check, CheckCandidate, CandidateDecision, LostPupil, LostPupilMatch),
    remove=_remove,
    export_case=_export_case,
)
