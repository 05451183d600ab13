"""What closing a case needs of its provision (registered with cme.cases.closing when the
app is ready): no closing as back in education with no provision recorded, while a place is
offered but not started, or while the watch on attendance is still running. (After a watch
finding the child not attending, the case is back in Engaging, from which cases.closing
refuses that outcome.)"""

from __future__ import annotations

from typing import Any

from cme.cases.models import Outcome

from .models import Placement, PlacementState


def provision_watched(case: Any, outcome: str) -> list[str]:
    if outcome != Outcome.IN_PROVISION:
        return []
    placements = list(Placement.objects.filter(case_id=case.pk))
    if any(p.state == PlacementState.ATTENDING for p in placements):
        return []
    watching = [p for p in placements if p.state == PlacementState.WATCHING]
    if watching:
        until = max(p.watch_until for p in watching if p.watch_until)
        return [
            f"The child's attendance at {watching[0].provider_name} is watched until "
            f"{until:%-d %B %Y}. Record the attendance then, before closing as back in education."
        ]
    if any(p.state == PlacementState.OFFERED for p in placements):
        return [
            "A place is offered but the child has not started. Record the start and, after "
            "the watch on attendance, that they are attending, before closing as back in "
            "education."
        ]
    # No provision recorded: "progress into provision" is what the reports count, and a case
    # closed as back in education with nothing recorded would be a closure they cannot see.
    return [
        "Record the provision the child is in (Provision, on the case page): the provider, "
        "the offer and the start, then that they are attending. A case closes as back in "
        "education only with its provision recorded."
    ]
