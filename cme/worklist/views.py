from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.cases.selectors import COUNT_CAP, Bucket
from cme.checklist.selectors import may_use_checklists
from cme.core.errors import NotAllowed
from cme.referrals.selectors import referrals_awaiting_triage
from cme.roll.selectors import may_make_returns, roll_queue, upload_schools
from cme.roll.watch_selectors import may_read_watch_list
from cme.schools.selectors import school_paews_contact, schools_of_paews_officer
from cme.transfers.selectors import transfers_by_school

from .role_home import Section, enquiries_waiting, referrals_made, school_pupils, sections_for
from .selectors import home_page, queue_list


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What needs doing today, for this reader's role (cme/worklist/role_home.py): referrals
    to triage for the CME team, a caseload for workers, a school's pupils and referrals, an
    agency's and another council's referrals and their outcomes."""
    user = request.user
    today = timezone.localdate()
    sections = sections_for(user)
    context: dict[str, Any] = {
        "sections": {s.value for s in sections},
        "awaiting_triage": referrals_awaiting_triage(user=user)
        if Section.TRIAGE in sections and can(user, Action.TRIAGE)
        else None,
        "home": home_page(user=user, today=today)
        if sections & {Section.QUEUE, Section.CASELOAD}
        else None,
        "queue_cap": COUNT_CAP,
        "can_view_register": can(user, Action.VIEW_REGISTER),
        "can_refer": can(user, Action.RECORD_REFERRAL),
        "school_returns": roll_queue(user=user) if can(user, Action.TRIAGE) else None,
        # The reg 13 returns: made by a school's staff, uploaded also by its PAEWS officer.
        "makes_returns": may_make_returns(user),
        "uploads_returns": bool(upload_schools(user)),
        "reads_watch_list": may_read_watch_list(user),
        # CME1: a school's checklists, those sent to a PAEWS officer, all for the CME team.
        "uses_checklists": may_use_checklists(user),
    }
    if Section.REFERRALS_MADE in sections:
        context["referrals_made"], context["referrals_made_page"] = referrals_made(user=user)
    if Section.PUPILS in sections:
        context["pupils"], context["pupils_total"] = school_pupils(user=user)
    if Section.SCHOOL_DUTIES in sections:
        context["school_duties"] = transfers_by_school(user=user, today=today)
    if Section.ENQUIRIES in sections:
        context["enquiries_waiting"] = enquiries_waiting(user=user)
    if Section.PAEWS_CONTACT in sections:
        context["paews_contact"] = school_paews_contact(user=user)
    if Section.PAEWS_SCHOOLS in sections:
        context["paews_schools"] = schools_of_paews_officer(user=user)
    return render(request, "worklist/home.html", context)


@login_required
def referrals_made_list(request: HttpRequest) -> HttpResponse:
    """Every referral the reader's organisation made, with its outcome, a page at a time."""
    user = request.user
    if Section.REFERRALS_MADE not in sections_for(user):
        raise NotAllowed
    rows, page = referrals_made(
        user=user, page_number=request.GET.get("page", 1), per_page=settings.CME_PAGE_SIZE
    )
    return render(request, "worklist/referrals_made.html", {"rows": rows, "page": page})


QUEUE_TITLES = {Bucket.OVERDUE: "Overdue", Bucket.DUE_SOON: "Due in the next few school days"}


@login_required
def queue(request: HttpRequest, bucket: str) -> HttpResponse:
    """All of a worker's overdue or due-soon work, soonest first, a page at a time."""
    user = request.user
    if Section.QUEUE not in sections_for(user):
        raise NotAllowed
    if bucket not in {b.value for b in Bucket}:
        raise Http404
    try:
        number = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        number = 1
    items, more = queue_list(
        user=user,
        bucket=Bucket(bucket),
        today=timezone.localdate(),
        page=number,
        per_page=settings.CME_PAGE_SIZE,
    )
    return render(
        request,
        "worklist/queue.html",
        {
            "items": items,
            "title": QUEUE_TITLES[Bucket(bucket)],
            "tag": "red" if bucket == Bucket.OVERDUE else "yellow",
            "number": number,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if more else None,
        },
    )
