"""Reasonable enquiries: what a case must hold before it closes as "whereabouts unknown".

DfE's guidance asks councils to make "reasonable enquiries" before a child is treated as
lost, and the registration regulations let a school delete a pupil whose whereabouts are
unknown only after "both the school and the local authority have tried to locate the pupil"
(SI 2024/208 reg 9(1)(h)(iii) and (i)(iii); the policy's Appendix 1). The policy's own steps
are the CME3a/3b to schools, the CME4 to another LA where a destination is known, the PAEWS
visit and the S2S lost pupil database. The council chooses which kinds are required
(CME_ENQUIRIES_BEFORE_LOST); every enquiry made must also be answered, or escalated after its
second chase, so a case never closes with a question still out.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from cme.cases.models import Outcome as CaseOutcome

from .models import Enquiry, Kind, State


def missing_enquiries(case: Any) -> list[str]:
    """What is still missing from the case's record of reasonable enquiries, in words."""
    made = Enquiry.objects.filter(case_id=case.pk).exclude(state=State.WITHDRAWN)
    kinds_made = set(made.values_list("kind", flat=True))
    problems = [
        f"No {Kind(kind).label} has been made"
        for kind in settings.CME_ENQUIRIES_BEFORE_LOST
        if kind in Kind.values and kind not in kinds_made
    ]
    waiting = made.filter(state=State.OUTSTANDING, escalated_on__isnull=True).count()
    if waiting:
        problems.append(
            f"{waiting} enquir{'y is' if waiting == 1 else 'ies are'} still waiting for an "
            "answer (and not yet escalated after a second chase)"
        )
    return problems


def lost_needs_enquiries(case: Any, outcome: str) -> list[str]:
    """The close requirement registered with cme.cases.closing."""
    if outcome != CaseOutcome.LOST:
        return []
    missing = missing_enquiries(case)
    if not missing:
        return []
    return [
        "A case can close as whereabouts unknown only after reasonable enquiries: "
        + "; ".join(missing)
        + ". See the case's enquiries."
    ]
