"""The checks run on a child's cases, with their candidates and the officer's decisions.

The sources themselves (school rolls, the home education register) are the council's copies
of other registers, not this child's record, and are not part of it, except an entry of the
home education register once it is linked to the child (a check confirmed it, or unsuitable
education opened a case): that entry and its notices are theirs. A lost pupil record is,
once it is tied to the child (confirmed as them, its file stored against them, or the referral
it made is theirs): its CTF file is the child's, and goes with them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.forms.models import model_to_dict

from cme.core.child_records import ChildRecords

from .models import (
    CandidateDecision,
    Check,
    CheckCandidate,
    HomeEducatedChild,
    HomeEducationNotice,
    LostPupil,
    LostPupilMatch,
)

HOME_EDUCATION_FIELDS = [
    "started_on",
    "ended_on",
    "status",
    "returned_to_school",
    "reason",
    "previous_school_name",
    "suitability",
    "suitability_judged_on",
    "notes",
]


def _export(child: Any) -> dict[str, Any]:
    """Entries of the home education register linked to the child, with their notices."""
    return {
        "home_education": [
            {
                **model_to_dict(entry, fields=HOME_EDUCATION_FIELDS),
                "previous_school": entry.previous_school_label,
                "notices": [
                    {"kind": n.get_kind_display(), "on": n.on.isoformat(), "note": n.note}
                    for n in entry.notices.all()
                ],
            }
            for entry in HomeEducatedChild.objects.filter(child=child).select_related(
                "previous_school"
            )
        ]
    }


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
    # A linked home education entry is the child's: it goes with them.
    HomeEducationNotice.objects.filter(entry__child=child).delete()
    HomeEducatedChild.objects.filter(child=child).delete()


CHILD_RECORDS = ChildRecords(
    models=(
        Check,
        CheckCandidate,
        CandidateDecision,
        LostPupil,
        LostPupilMatch,
        HomeEducatedChild,
        HomeEducationNotice,
    ),
    remove=_remove,
    export=_export,
    export_case=_export_case,
)
