"""What closing a case needs of its provision (registered with cme.cases.closing when the
app is ready): "back in education" only once a placement has been watched and the child
found attending; no closing as back in education while the watch is still running."""

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
    return [
        "Record the provision the child has started and, after the watch on their "
        "attendance, that they are attending, before closing as back in education."
    ]
