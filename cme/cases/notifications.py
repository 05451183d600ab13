"""What the casework tells people by email. Case numbers and links only; no names."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cme.accounts.models import Role, User
from cme.core.notify import absolute, email_on_commit

from .models import Case


def notify_assigned(*, case: Case, user: Any, as_what: str) -> None:
    email_on_commit(
        to=[user.email],
        subject=f"CME Register: you are the {as_what} for case {case.pk}",
        body=(
            f"You have been named as the {as_what} for case {case.pk} on the CME Register.\n\n"
            f"Sign in to see it: {absolute(reverse('cases:detail', args=[case.pk]))}\n"
        ),
    )


def notify_safeguarding_concern(*, case: Case) -> None:
    """The CME team hears at once; the concern itself is on the case, not in the email."""
    team = User.objects.filter(
        role__in=[Role.CME_OFFICER, Role.CME_MANAGER], is_active=True
    ).values_list("email", flat=True)
    email_on_commit(
        to=list(team),
        subject=f"CME Register: safeguarding concern raised on case {case.pk}",
        body=(
            f"A safeguarding concern has been raised on case {case.pk} and escalated to "
            "children's social care.\n\n"
            f"Sign in to see it: {absolute(reverse('cases:detail', args=[case.pk]))}\n"
        ),
    )
