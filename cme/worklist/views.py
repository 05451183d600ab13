from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.referrals.selectors import referrals_awaiting_triage
from cme.roll.selectors import roll_queue

from .selectors import home_page


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What needs doing today: referrals to triage for the CME team, a caseload for workers."""
    user = request.user
    context = {
        "awaiting_triage": referrals_awaiting_triage(user=user)
        if can(user, Action.TRIAGE)
        else None,
        "home": home_page(user=user, today=timezone.localdate()),
        "can_view_register": can(user, Action.VIEW_REGISTER),
        "school_returns": roll_queue(user=user) if can(user, Action.TRIAGE) else None,
    }
    return render(request, "worklist/home.html", context)
